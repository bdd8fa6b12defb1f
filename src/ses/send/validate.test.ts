import { describe, it, expect } from 'vitest';
import { AwsError } from '../../errors/aws-error.js';
import { normalizeV1SendEmail, normalizeV1SendRawEmail } from './normalize-v1.js';
import { normalizeV2SendEmail } from './normalize-v2.js';
import type { SendRequest } from './send-request.js';
import { tagError, validateSend } from './validate.js';

function errorOf(req: SendRequest): { code: string; message: string } | undefined {
  try {
    validateSend(req);
    return undefined;
  } catch (e) {
    if (e instanceof AwsError) return { code: e.code, message: e.message };
    throw e;
  }
}

const simple = { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } };
const v1 = (over: Record<string, unknown> = {}) =>
  normalizeV1SendEmail({
    Source: 'a@example.com',
    Destination: { ToAddresses: ['b@x.com'] },
    Message: simple,
    ...over,
  });

describe('validateSend', () => {
  it('accepts a well-formed send', async () => {
    expect(errorOf(await v1())).toBeUndefined();
  });
  it('refuses more than 50 recipients', async () => {
    const to = Array.from({ length: 51 }, (_, i) => `r${i}@x.com`);
    // v1 SendEmail refuses before composing; a raw message's Destinations at validation.
    await expect(v1({ Destination: { ToAddresses: to } })).rejects.toMatchObject({
      code: 'InvalidParameterValue',
      message: 'Recipient count exceeds 50.',
    });
    const raw = await normalizeV1SendRawEmail({
      RawMessage: { Data: Buffer.from('From: a@x.com\r\nSubject: s\r\n\r\nx') },
      Destinations: to,
    });
    expect(errorOf(raw)).toEqual({
      code: 'InvalidParameterValue',
      message: 'Recipient count exceeds 50.',
    });
    expect(errorOf(await v1({ Destination: { ToAddresses: to.slice(0, 50) } }))).toBeUndefined();
  });
  it('refuses a send without recipients', async () => {
    expect(errorOf(await v1({ Destination: {} }))).toEqual({
      code: 'InvalidParameterValue',
      message: 'There are no recipients in this message.',
    });
  });
  it('refuses a raw message without From', async () => {
    const req = await normalizeV1SendRawEmail({ RawMessage: { Data: Buffer.from('To: b@x.com\r\n\r\nx') } });
    expect(errorOf(req)).toEqual({
      code: 'InvalidParameterValue',
      message: "Missing required header 'From'.",
    });
  });
  it('refuses bad address syntax in SES words', async () => {
    expect(errorOf(await v1({ Source: 'nobody' }))).toEqual({
      code: 'InvalidParameterValue',
      message: "Missing final '@domain'",
    });
    expect(errorOf(await v1({ Destination: { ToAddresses: ['a b@x.com'] } }))?.message).toBe(
      'Local address contains control or whitespace',
    );
    expect(errorOf(await v1({ ReplyToAddresses: ['x@'] }))?.message).toBe('Missing domain');
  });
  it('limits size to 10 MB on v1 and 40 MB on v2', async () => {
    const big = Buffer.concat([
      Buffer.from('From: a@example.com\r\nTo: b@x.com\r\n\r\n'),
      Buffer.alloc(10 * 1024 * 1024, 'a'),
    ]);
    expect(errorOf(await normalizeV1SendRawEmail({ RawMessage: { Data: big } }))).toEqual({
      code: 'InvalidParameterValue',
      message: `Message length is more than 10485760 bytes long: '${big.length}'.`,
    });
    expect(errorOf(await normalizeV2SendEmail({ Content: { Raw: { Data: big } } }))).toBeUndefined();
  });
  it('validates tags with the texts AWS returns', () => {
    expect(tagError({ Name: 'test_invalid_name:123', Value: 'test' })).toBe(
      "Invalid tag name <test_invalid_name:123>: only alphanumeric ASCII characters, '_',  '-' are allowed.",
    );
    expect(tagError({ Name: 'test', Value: 'test_invalid_value:123' })).toBe(
      "Invalid tag value <test_invalid_value:123>: only alphanumeric ASCII characters, '_',  '-' , '.', '@' are allowed.",
    );
    expect(tagError({ Name: '', Value: 'test' })).toBe('The tag name must be specified.');
    expect(tagError({ Name: 'test', Value: '' })).toBe('The tag value must be specified.');
    expect(tagError({ Name: 'a'.repeat(256), Value: 'v' })).toBe('Tag name cannot exceed 255 characters.');
    expect(tagError({ Name: 'n', Value: 'a'.repeat(256) })).toBe('Tag value cannot exceed 255 characters.');
    expect(tagError({ Name: 'ok-name_1', Value: 'a.b@c-d_e' })).toBeUndefined();
  });
});
