import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { outboxRow } from '../ses/send/outbox.js';
import { deliveryEvent, sendEvent } from './events.js';
import { buildMailObject, callerIdentityName, splitAddressList } from './mail-object.js';
import { outboxMessage } from './test-support.js';

const recorded = JSON.parse(
  // A copy of the SES responses recorded against AWS (LocalStack's Apache-2.0 test data) (SES responses recorded against AWS).
  readFileSync(new URL('../../test/fixtures/ses-responses.json', import.meta.url), 'utf8'),
) as Record<string, { 'recorded-content': { messages: { Message: unknown }[] } }>;
const sns =
  recorded['tests/aws/services/ses/test_ses.py::TestSES::test_ses_sns_topic_integration_send_email']![
    'recorded-content'
  ].messages;

/** Key paths of a JSON value (arrays by their first element): the shape, not the values. */
function shape(v: unknown, p = ''): string[] {
  if (Array.isArray(v)) return [p + '[]', ...(v.length > 0 ? shape(v[0], p + '[]') : [])];
  if (v && typeof v === 'object')
    return Object.entries(v).flatMap(([k, x]) => [p + '.' + k, ...shape(x, p + '.' + k)]);
  return [];
}

describe('SES event JSON', () => {
  const row = outboxRow(
    outboxMessage(['rcpt@example.net'], {
      configurationSet: 'my-set',
      tags: [{ Name: 'custom-tag', Value: 'tag-value' }],
    }),
  );
  const mail = buildMailObject(row);

  it('Send and Delivery events have the recorded SNS payload shapes (tags SES cannot know aside)', () => {
    // The recorded send had no Return-Path header of its own.
    const plain = { ...row, raw: Buffer.from(row.raw.toString().replace(/Return-Path: [^\r]*\r\n/, '')) };
    const mail = buildMailObject(plain);
    const ignore = /ses:source-ip|ses:outgoing-ip/;
    const send = shape(sendEvent(mail, new Date()).payload).filter((k) => !ignore.test(k));
    const recordedSend = shape(sns[1]!.Message).filter((k) => !ignore.test(k));
    expect(send).toEqual(recordedSend);
    const delivery = shape(
      deliveryEvent(mail, new Date(), 'rcpt@example.net', '250 OK', 'mta').payload,
    ).filter((k) => !ignore.test(k));
    expect(delivery).toEqual(shape(sns[2]!.Message).filter((k) => !ignore.test(k)));
  });

  it('lists the headers the sender wrote (not the Message-ID/Date SES stamped) and the common headers', () => {
    expect(mail.headers.map((h) => h.name)).toEqual([
      'From',
      'To',
      'Subject',
      'Return-Path',
      'MIME-Version',
      'Content-Type',
    ]);
    expect(mail.commonHeaders).toEqual({
      returnPath: 'caller-supplied@example.com',
      from: ['Sender <sender@example.com>'],
      to: ['rcpt@example.net'],
      messageId: row.message_id,
      subject: 'Hello',
    });
    expect(mail.tags).toEqual({
      'ses:operation': ['SendEmail'],
      'ses:configuration-set': ['my-set'],
      'ses:from-domain': ['example.com'],
      'custom-tag': ['tag-value'],
      'ses:caller-identity': ['alice'],
    });
    expect([mail.sendingAccountId, mail.sourceArn, mail.headersTruncated]).toEqual([
      '111111111111',
      'arn:aws:ses:us-east-1:111111111111:identity/example.com',
      false,
    ]);
  });

  it('splits address lists outside quotes and brackets; names the caller as SES does', () => {
    expect(splitAddressList('"Doe, John" <j@x.com>, b@y.com,<c,d@z.com>')).toEqual([
      '"Doe, John" <j@x.com>',
      'b@y.com',
      '<c,d@z.com>',
    ]);
    expect(callerIdentityName('arn:aws:iam::111111111111:root')).toBe('root');
    expect(callerIdentityName('arn:aws:iam::111111111111:user/team/bob')).toBe('bob');
    expect(callerIdentityName('arn:aws:sts::111111111111:assumed-role/R/session-1')).toBe('session-1');
  });
});
