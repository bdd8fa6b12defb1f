import { describe, expect, it } from 'vitest';
import { AwsError } from '../../errors/aws-error.js';
import { indexModel, loadModel, type ServiceModelDocument } from '../model.js';
import { parseQueryInput, resolveQueryAction } from './parse-input.js';

const ses = loadModel('ses');
const iam = loadModel('iam');
const form = (s: string): URLSearchParams => new URLSearchParams(s);

function thrown(f: () => unknown): { code: string; message: string; status: number } {
  try {
    f();
  } catch (e) {
    if (e instanceof AwsError) return { code: e.code, message: e.message, status: e.httpStatus };
    throw e;
  }
  throw new Error('expected an AwsError');
}

describe('resolveQueryAction', () => {
  it('returns the operation named by Action when the Version is the model version', () => {
    expect(resolveQueryAction(ses, form('Action=SendEmail&Version=2010-12-01'))).toBe('SendEmail');
  });

  it('refuses unknown actions, other versions and a missing Version with InvalidAction', () => {
    expect(thrown(() => resolveQueryAction(ses, form('Action=SendMail&Version=2010-12-01')))).toEqual({
      code: 'InvalidAction',
      message: 'Could not find operation SendMail for version 2010-12-01',
      status: 400,
    });
    expect(
      thrown(() => resolveQueryAction(ses, form('Action=GetSendStatistics&Version=2012-12-01'))),
    ).toEqual({
      code: 'InvalidAction',
      message: 'Could not find operation GetSendStatistics for version 2012-12-01',
      status: 400,
    });
    expect(thrown(() => resolveQueryAction(ses, form('Action=SendEmail'))).message).toBe(
      'Could not find operation SendEmail for version NO_VERSION_SPECIFIED',
    );
    expect(thrown(() => resolveQueryAction(ses, form('Version=2010-12-01')))).toEqual({
      code: 'MissingAction',
      message: 'Missing Action',
      status: 400,
    });
    expect(thrown(() => parseQueryInput(ses, 'constructor', form('Version=2010-12-01'))).code).toBe(
      'InvalidAction',
    );
  });
});

describe('parseQueryInput', () => {
  it('decodes maps (.entry.N.key/.value), booleans and nested lists', () => {
    const input = parseQueryInput(
      ses,
      'SetIdentityNotificationTopic',
      form('Identity=example.com&NotificationType=Bounce&SnsTopic=arn%3Aaws%3Asns%3Aus-east-1%3A1%3At'),
    );
    expect(input).toEqual({
      Identity: 'example.com',
      NotificationType: 'Bounce',
      SnsTopic: 'arn:aws:sns:us-east-1:1:t',
    });
    const flags = parseQueryInput(
      ses,
      'SetIdentityFeedbackForwardingEnabled',
      form('Identity=a&ForwardingEnabled=false'),
    );
    expect(flags).toEqual({ Identity: 'a', ForwardingEnabled: false });
  });

  it('orders list members by index, not by arrival', () => {
    const input = parseQueryInput(
      ses,
      'SendRawEmail',
      form('RawMessage.Data=aGk%3D&Destinations.member.2=b&Destinations.member.1=a&Destinations.member.10=c'),
    );
    expect(input.Destinations).toEqual(['a', 'b', 'c']);
    expect((input.RawMessage as { Data: Buffer }).Data.toString()).toBe('hi');
  });

  it('reads an empty parameter as an empty list and ignores unknown parameters', () => {
    expect(parseQueryInput(ses, 'GetIdentityPolicies', form('Identity=x&PolicyNames=&Bogus=1'))).toEqual({
      Identity: 'x',
      PolicyNames: [],
    });
  });

  it('decodes timestamps, flattened lists and maps from a model that has them', () => {
    const doc: ServiceModelDocument = {
      metadata: {
        protocol: 'query',
        apiVersion: 'v',
        signingName: 's',
        endpointPrefix: 's',
        serviceId: 'S',
        xmlNamespace: 'ns',
      },
      operations: { Op: { http: { method: 'POST', requestUri: '/' }, input: 'In' } },
      shapes: {
        In: {
          type: 'structure',
          members: {
            When: { shape: 'T' },
            Names: { shape: 'Flat' },
            Attrs: { shape: 'M' },
            Ratio: { shape: 'D' },
          },
        },
        T: { type: 'timestamp' },
        D: { type: 'double' },
        S: { type: 'string' },
        Flat: { type: 'list', member: { shape: 'S' }, flattened: true },
        M: { type: 'map', key: { shape: 'S' }, value: { shape: 'S' } },
      },
    };
    const m = indexModel('ses', doc);
    const input = parseQueryInput(
      m,
      'Op',
      form(
        'When=2026-11-28T11%3A45%3A00Z&Names.2=b&Names.1=a&Attrs.entry.1.key=k&Attrs.entry.1.value=v&Attrs.entry.2.key=z&Attrs.entry.2.value=&Ratio=0.25',
      ),
    );
    expect(input).toEqual({
      When: new Date('2026-11-28T11:45:00Z'),
      Names: ['a', 'b'],
      Attrs: { k: 'v', z: '' },
      Ratio: 0.25,
    });
  });

  it('answers a value of the wrong type with InvalidParameterValue', () => {
    expect(thrown(() => parseQueryInput(iam, 'ListUsers', form('MaxItems=ten')))).toEqual({
      code: 'InvalidParameterValue',
      message: 'Value (ten) for parameter MaxItems is invalid. Expected: integer.',
      status: 400,
    });
    expect(thrown(() => parseQueryInput(iam, 'ListUsers', form('MaxItems=99999999999'))).code).toBe(
      'InvalidParameterValue',
    );
    expect(
      thrown(() =>
        parseQueryInput(
          ses,
          'SetIdentityFeedbackForwardingEnabled',
          form('Identity=a&ForwardingEnabled=yes'),
        ),
      ),
    ).toEqual({
      code: 'InvalidParameterValue',
      message: 'Value (yes) for parameter ForwardingEnabled is invalid. Expected: boolean.',
      status: 400,
    });
  });

  it('answers model violations with ValidationError in AWS words', () => {
    expect(thrown(() => parseQueryInput(iam, 'CreateUser', form('Path=/')))).toEqual({
      code: 'ValidationError',
      message:
        "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
      status: 400,
    });
    expect(thrown(() => parseQueryInput(iam, 'CreateUser', form('UserName=&Path=x'))).message).toBe(
      "3 validation errors detected: Value 'x' at 'path' failed to satisfy constraint: Member must satisfy regular " +
        "expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F); Value '' at 'userName' failed to satisfy " +
        "constraint: Member must have length greater than or equal to 1; Value '' at 'userName' failed to satisfy " +
        'constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+',
    );
  });

  it('decodes 24,000 parameters of nested lists without quadratic lookups', () => {
    const request = (n: number): URLSearchParams => {
      const parts = ['Source=a%40example.com', 'Template=t', 'DefaultTemplateData=%7B%7D'];
      for (let i = 1; i <= n; i++) {
        parts.push(`Destinations.member.${i}.Destination.ToAddresses.member.1=u${i}%40example.com`);
        parts.push(`Destinations.member.${i}.ReplacementTags.member.1.Name=n`);
        parts.push(`Destinations.member.${i}.ReplacementTags.member.1.Value=v`);
      }
      return form(parts.join('&'));
    };
    // 24,000 parameters: about a second here; the former quadratic lookup took well over 15 s.
    const large = request(8000);
    const started = performance.now();
    const input = parseQueryInput(ses, 'SendBulkTemplatedEmail', large);
    expect(performance.now() - started).toBeLessThan(6000);
    const destinations = input.Destinations as {
      Destination: { ToAddresses: string[] };
    }[];
    expect(destinations).toHaveLength(8000);
    expect(destinations[7999]!.Destination.ToAddresses).toEqual(['u8000@example.com']);
  });
});
