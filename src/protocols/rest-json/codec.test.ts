import { describe, expect, it } from 'vitest';
import { AwsError } from '../../errors/aws-error.js';
import { indexModel, loadModel, type ServiceModelDocument } from '../model.js';
import { parseRestJsonInput } from './parse-input.js';
import { serializeRestJsonError, serializeRestJsonOutput } from './serialize.js';

const v2 = loadModel('sesv2');
const none = new URLSearchParams();
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

function thrown(f: () => unknown): { code: string; message: string; status: number } {
  try {
    f();
  } catch (e) {
    if (e instanceof AwsError) return { code: e.code, message: e.message, status: e.httpStatus };
    throw e;
  }
  throw new Error('expected an AwsError');
}

describe('parseRestJsonInput', () => {
  it('merges URI labels and the JSON body', () => {
    const input = parseRestJsonInput(
      v2,
      'CreateEmailIdentityPolicy',
      { EmailIdentity: 'a@b.c', PolicyName: 'p' },
      none,
      {},
      json({ Policy: '{}' }),
    );
    expect(input).toEqual({ EmailIdentity: 'a@b.c', PolicyName: 'p', Policy: '{}' });
  });

  it('reads query-string lists, timestamps and integers', () => {
    const q = new URLSearchParams(
      'Reason=BOUNCE&Reason=COMPLAINT&StartDate=2026-11-01T00%3A00%3A00Z&PageSize=5',
    );
    expect(parseRestJsonInput(v2, 'ListSuppressedDestinations', {}, q, {}, Buffer.alloc(0))).toEqual({
      Reasons: ['BOUNCE', 'COMPLAINT'],
      StartDate: new Date('2026-11-01T00:00:00Z'),
      PageSize: 5,
    });
    expect(
      thrown(() =>
        parseRestJsonInput(
          v2,
          'ListSuppressedDestinations',
          {},
          new URLSearchParams('PageSize=x'),
          {},
          Buffer.alloc(0),
        ),
      ),
    ).toEqual({
      code: 'BadRequestException',
      message: "Invalid value 'x' for querystring parameter PageSize",
      status: 400,
    });
  });

  it('decodes blobs from base64', () => {
    const body = json({ Content: { Raw: { Data: Buffer.from('MIME').toString('base64') } } });
    const input = parseRestJsonInput(v2, 'SendEmail', {}, none, {}, body);
    expect((input.Content as { Raw: { Data: Buffer } }).Raw.Data.toString()).toBe('MIME');
  });

  it('refuses malformed JSON, a non-object body and values of the wrong kind', () => {
    expect(
      thrown(() => parseRestJsonInput(v2, 'SendEmail', {}, none, {}, Buffer.from('{"Content":'))),
    ).toEqual({
      code: 'BadRequestException',
      message: 'Could not parse request body into json: the body is not well-formed JSON.',
      status: 400,
    });
    expect(thrown(() => parseRestJsonInput(v2, 'SendEmail', {}, none, {}, json([1]))).message).toBe(
      'Start of structure or map found where not expected.',
    );
    expect(
      thrown(() =>
        parseRestJsonInput(v2, 'SendEmail', {}, none, {}, json({ Content: {}, FromEmailAddress: 5 })),
      ).message,
    ).toBe('NUMBER_VALUE can not be converted to a String');
    expect(
      thrown(() => parseRestJsonInput(v2, 'SendEmail', {}, none, {}, json({ Content: [] }))).message,
    ).toBe('Start of list found where not expected');
  });

  it('validates against the model with BadRequestException', () => {
    expect(thrown(() => parseRestJsonInput(v2, 'SendEmail', {}, none, {}, Buffer.alloc(0)))).toEqual({
      code: 'BadRequestException',
      message:
        "1 validation error detected: Value null at 'content' failed to satisfy constraint: Member must not be null",
      status: 400,
    });
    const long = 'p'.repeat(65);
    expect(
      thrown(() =>
        parseRestJsonInput(
          v2,
          'DeleteEmailIdentityPolicy',
          { EmailIdentity: 'x', PolicyName: long },
          none,
          {},
          Buffer.alloc(0),
        ),
      ).message,
    ).toBe(
      `1 validation error detected: Value '${long}' at 'policyName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
  });

  it('reads header-bound members and epoch-second timestamps; writes headers and the model status', () => {
    const doc: ServiceModelDocument = {
      metadata: {
        protocol: 'rest-json',
        apiVersion: 'v',
        signingName: 's',
        endpointPrefix: 's',
        serviceId: 'S',
      },
      operations: {
        Op: { http: { method: 'POST', requestUri: '/op', responseCode: 201 }, input: 'In', output: 'Out' },
      },
      shapes: {
        In: {
          type: 'structure',
          members: {
            Token: { shape: 'S', location: 'header', locationName: 'X-Token' },
            N: { shape: 'I' },
            At: { shape: 'T' },
          },
        },
        Out: {
          type: 'structure',
          members: { Etag: { shape: 'S', location: 'header', locationName: 'ETag' }, At: { shape: 'T' } },
        },
        S: { type: 'string' },
        I: { type: 'integer' },
        T: { type: 'timestamp' },
      },
    };
    const m = indexModel('sesv2', doc);
    expect(parseRestJsonInput(m, 'Op', {}, none, { 'x-token': 'abc' }, json({ N: 3, At: 1.5 }))).toEqual({
      Token: 'abc',
      N: 3,
      At: new Date(1500),
    });
    expect(serializeRestJsonOutput(m, 'Op', { Etag: 'e1', At: new Date(1500) })).toEqual({
      status: 201,
      headers: { 'content-type': 'application/json', etag: 'e1' },
      body: '{"At":1.5}',
    });
  });
});

describe('serializeRestJsonOutput', () => {
  it('writes doubles with a decimal point, epoch-second timestamps and model member order', () => {
    const out = serializeRestJsonOutput(v2, 'GetAccount', {
      SendingEnabled: true,
      SendQuota: { SentLast24Hours: 0, MaxSendRate: 1.5, Max24HourSend: 200 },
    });
    expect(out).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"SendQuota":{"Max24HourSend":200.0,"MaxSendRate":1.5,"SentLast24Hours":0.0},"SendingEnabled":true}',
    });
    const list = serializeRestJsonOutput(v2, 'ListSuppressedDestinations', {
      SuppressedDestinationSummaries: [
        { EmailAddress: 'a"b@x', Reason: 'BOUNCE', LastUpdateTime: new Date('2026-11-28T00:00:00Z') },
      ],
    });
    expect(list.body).toBe(
      '{"SuppressedDestinationSummaries":[{"EmailAddress":"a\\"b@x","Reason":"BOUNCE","LastUpdateTime":1795824000}]}',
    );
    expect(serializeRestJsonOutput(v2, 'DeleteEmailIdentity', {}).body).toBe('{}');
  });
});

describe('serializeRestJsonError', () => {
  it('carries the code in x-amzn-ErrorType and __type, the message lowercase', () => {
    expect(
      serializeRestJsonError(
        new AwsError('NotFoundException', 'Email identity x does not exist.', 404),
        'rid',
      ),
    ).toEqual({
      status: 404,
      headers: {
        'x-amzn-ErrorType': 'NotFoundException',
        'x-amzn-RequestId': 'rid',
        'content-type': 'application/json',
      },
      body: '{"__type":"NotFoundException","message":"Email identity x does not exist."}',
    });
  });
});
