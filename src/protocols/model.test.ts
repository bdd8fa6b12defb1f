import { describe, expect, it } from 'vitest';
import {
  getOperation,
  getShape,
  indexModel,
  loadModel,
  ModelError,
  type ServiceModelDocument,
} from './model.js';
import { matchRestJsonRoute } from './rest-json/parse-input.js';

describe('generated models', () => {
  it('ship every operation of the four services with their wire metadata', () => {
    const expected = {
      ses: {
        ops: 71,
        protocol: 'query',
        apiVersion: '2010-12-01',
        ns: 'http://ses.amazonaws.com/doc/2010-12-01/',
        signing: 'ses',
      },
      sesv2: { ops: 110, protocol: 'rest-json', apiVersion: '2019-09-27', ns: undefined, signing: 'ses' },
      iam: {
        ops: 176,
        protocol: 'query',
        apiVersion: '2010-05-08',
        ns: 'https://iam.amazonaws.com/doc/2010-05-08/',
        signing: 'iam',
      },
      sts: {
        ops: 11,
        protocol: 'query',
        apiVersion: '2011-06-15',
        ns: 'https://sts.amazonaws.com/doc/2011-06-15/',
        signing: 'sts',
      },
    } as const;
    for (const [name, e] of Object.entries(expected)) {
      const m = loadModel(name as keyof typeof expected);
      expect(Object.keys(m.operations)).toHaveLength(e.ops);
      expect([
        m.metadata.protocol,
        m.metadata.apiVersion,
        m.metadata.xmlNamespace,
        m.metadata.signingName,
      ]).toEqual([e.protocol, e.apiVersion, e.ns, e.signing]);
    }
  });

  it('keep what the codecs need and no documentation', () => {
    const ses = loadModel('ses');
    expect(getOperation(ses, 'SendEmail')).toEqual({
      http: { method: 'POST', requestUri: '/' },
      input: 'SendEmailRequest',
      output: 'SendEmailResponse',
      resultWrapper: 'SendEmailResult',
      errors: [
        'MessageRejected',
        'MailFromDomainNotVerifiedException',
        'ConfigurationSetDoesNotExistException',
        'ConfigurationSetSendingPausedException',
        'AccountSendingPausedException',
      ],
    });
    expect(getShape(ses, 'ConfigurationSetDoesNotExistException').error).toEqual({
      code: 'ConfigurationSetDoesNotExist',
      httpStatusCode: 400,
      senderFault: true,
    });
    expect(getShape(loadModel('iam'), 'userNameType')).toEqual({
      type: 'string',
      min: 1,
      max: 64,
      pattern: '[\\w+=,.@-]+',
    });
    expect(JSON.stringify(loadModel('sesv2'))).not.toContain('documentation');
    expect(getOperation(ses, 'toString')).toBeUndefined();
    expect(() => getShape(ses, 'NoSuchShape')).toThrow(ModelError);
  });
});

describe('rest-json routing', () => {
  const v2 = loadModel('sesv2');

  it('matches method + path template and percent-decodes labels', () => {
    expect(matchRestJsonRoute(v2, 'GET', '/v2/email/identities/user%40example.com')).toEqual({
      operation: 'GetEmailIdentity',
      pathParams: { EmailIdentity: 'user@example.com' },
    });
    expect(matchRestJsonRoute(v2, 'DELETE', '/v2/email/identities/example.com/policies/p%2F1')).toEqual({
      operation: 'DeleteEmailIdentityPolicy',
      pathParams: { EmailIdentity: 'example.com', PolicyName: 'p/1' },
    });
    expect(matchRestJsonRoute(v2, 'post', '/v2/email/outbound-emails')?.operation).toBe('SendEmail');
    expect(matchRestJsonRoute(v2, 'GET', '/v2/email/suppression/addresses?Reason=BOUNCE')?.operation).toBe(
      'ListSuppressedDestinations',
    );
  });

  it('prefers literal segments over labels', () => {
    expect(matchRestJsonRoute(v2, 'GET', '/v2/email/identities/example.com/policies')?.operation).toBe(
      'GetEmailIdentityPolicies',
    );
    expect(matchRestJsonRoute(v2, 'PUT', '/v2/email/account/sending')?.operation).toBe(
      'PutAccountSendingAttributes',
    );
    expect(matchRestJsonRoute(v2, 'GET', '/v2/email/account')?.operation).toBe('GetAccount');
  });

  it('answers undefined for unknown paths, wrong methods, empty or undecodable labels', () => {
    expect(matchRestJsonRoute(v2, 'GET', '/v2/email/nothing-here')).toBeUndefined();
    expect(matchRestJsonRoute(v2, 'PATCH', '/v2/email/outbound-emails')).toBeUndefined();
    expect(matchRestJsonRoute(v2, 'GET', '/v2/email/identities//policies')).toBeUndefined();
    expect(matchRestJsonRoute(v2, 'GET', '/v2/email/identities/%E0%A4%A')).toBeUndefined();
    expect(matchRestJsonRoute(v2, 'GET', '/v2/email/identities/a/b/c/d')).toBeUndefined();
  });

  it('greedy labels take the rest of the path; literals still win', () => {
    const doc: ServiceModelDocument = {
      metadata: {
        protocol: 'rest-json',
        apiVersion: 'x',
        signingName: 's',
        endpointPrefix: 's',
        serviceId: 'S',
      },
      operations: {
        GetObject: { http: { method: 'GET', requestUri: '/{Bucket}/{Key+}' } },
        GetAcl: { http: { method: 'GET', requestUri: '/{Bucket}/acl' } },
      },
      shapes: {},
    };
    const m = indexModel('sesv2', doc);
    expect(matchRestJsonRoute(m, 'GET', '/b/acl')).toEqual({
      operation: 'GetAcl',
      pathParams: { Bucket: 'b' },
    });
    expect(matchRestJsonRoute(m, 'GET', '/b/dir/a%20b.txt')).toEqual({
      operation: 'GetObject',
      pathParams: { Bucket: 'b', Key: 'dir/a b.txt' },
    });
    expect(matchRestJsonRoute(m, 'GET', '/b')).toBeUndefined();
  });
});
