import { describe, expect, it } from 'vitest';
import type { Operation } from '../model.js';
import { compileRoutes, matchRoute } from './router.js';

const op = (method: string, requestUri: string) => ({ http: { method, requestUri } }) as unknown as Operation;
const routes = compileRoutes({
  SendEmail: op('POST', '/v2/email/outbound-emails'),
  ListEmailIdentities: op('GET', '/v2/email/identities'),
  GetEmailIdentity: op('GET', '/v2/email/identities/{EmailIdentity}'),
  GetEmailIdentityPolicies: op('GET', '/v2/email/identities/{EmailIdentity}/policies'),
  GetObject: op('GET', '/objects/{Key+}'),
});

describe('matchRoute', () => {
  it('answers a static path the same every time (the second from its memory), query and one trailing slash ignored', () => {
    for (let i = 0; i < 3; i++) {
      expect(matchRoute(routes, 'post', '/v2/email/outbound-emails')).toEqual({
        operation: 'SendEmail',
        pathParams: {},
      });
    }
    expect(matchRoute(routes, 'GET', '/v2/email/identities?PageSize=5')).toEqual({
      operation: 'ListEmailIdentities',
      pathParams: {},
    });
    expect(matchRoute(routes, 'GET', '/v2/email/identities/')?.operation).toBe('ListEmailIdentities');
  });

  it('never answers a remembered path for another method', () => {
    expect(matchRoute(routes, 'POST', '/v2/email/outbound-emails')?.operation).toBe('SendEmail');
    expect(matchRoute(routes, 'GET', '/v2/email/outbound-emails')).toBeUndefined();
  });

  it('decodes labels each time, literal segments winning over labels', () => {
    expect(matchRoute(routes, 'GET', '/v2/email/identities/a%40b.example')).toEqual({
      operation: 'GetEmailIdentity',
      pathParams: { EmailIdentity: 'a@b.example' },
    });
    expect(matchRoute(routes, 'GET', '/v2/email/identities/c.example')).toEqual({
      operation: 'GetEmailIdentity',
      pathParams: { EmailIdentity: 'c.example' },
    });
    expect(matchRoute(routes, 'GET', '/v2/email/identities/c.example/policies')?.operation).toBe(
      'GetEmailIdentityPolicies',
    );
    expect(matchRoute(routes, 'GET', '/objects/a/b%2Fc')).toEqual({
      operation: 'GetObject',
      pathParams: { Key: 'a/b/c' },
    });
  });

  it('finds nothing for an unknown path or a bad escape', () => {
    expect(matchRoute(routes, 'GET', '/v2/email/nothing')).toBeUndefined();
    expect(matchRoute(routes, 'GET', '/v2/email/identities/%E0%A4%A')).toBeUndefined();
  });
});
