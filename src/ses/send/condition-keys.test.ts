// Every row of the derivation table (docs/spec/ses.md §1.3), through the real normalizers.
import { describe, it, expect } from 'vitest';
import { sendConditionKeys } from './condition-keys.js';
import { normalizeRawMessage } from './normalize-raw.js';
import {
  normalizeV1SendBounce,
  normalizeV1SendBulkTemplatedEmail,
  normalizeV1SendEmail,
  normalizeV1SendRawEmail,
  normalizeV1SendTemplatedEmail,
} from './normalize-v1.js';
import { normalizeV2SendBulkEmail, normalizeV2SendEmail } from './normalize-v2.js';

const mime = (headers: string, body = 'hello') =>
  Buffer.from(`${headers.trim().split('\n').join('\r\n')}\r\n\r\n${body}\r\n`);
const simple = { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } };

describe('v1 SendEmail', () => {
  it('takes From key and display name from Source; Recipients = To ∪ Cc ∪ Bcc; feedback falls back to Source', async () => {
    const req = await normalizeV1SendEmail({
      Source: 'John Doe <johndoe@example.com>',
      Destination: {
        ToAddresses: ['a@x.com'],
        CcAddresses: ['"B" <b@x.com>'],
        BccAddresses: ['hidden@x.com'],
      },
      Message: simple,
    });
    expect(sendConditionKeys(req)).toEqual({
      'ses:Recipients': ['a@x.com', 'b@x.com', 'hidden@x.com'],
      'ses:FromAddress': 'johndoe@example.com',
      'ses:FromDisplayName': 'John Doe',
      'ses:FeedbackAddress': 'johndoe@example.com',
    });
    expect(req.actions).toEqual(['ses:SendEmail']);
    // Bcc recipients are delivered but never written into the composed headers.
    expect(req.entries[0]!.message!.toString()).not.toMatch(/hidden@x\.com/);
  });
  it('uses ReturnPath for the feedback key and omits FromDisplayName without a display name', async () => {
    const req = await normalizeV1SendEmail({
      Source: 'sender@example.com',
      ReturnPath: 'bounces@example.com',
      Destination: { ToAddresses: ['a@x.com'] },
      Message: simple,
    });
    const keys = sendConditionKeys(req);
    expect(keys['ses:FeedbackAddress']).toBe('bounces@example.com');
    expect('ses:FromDisplayName' in keys).toBe(false);
  });
});

describe('v1 templated sends', () => {
  it('SendTemplatedEmail: Source, Destination, ReturnPath else Source', () => {
    const req = normalizeV1SendTemplatedEmail({
      Source: '"Shop" <shop@example.com>',
      Destination: { ToAddresses: ['a@x.com'] },
      Template: 't',
      TemplateData: '{}',
    });
    expect(sendConditionKeys(req)).toEqual({
      'ses:Recipients': ['a@x.com'],
      'ses:FromAddress': 'shop@example.com',
      'ses:FromDisplayName': 'Shop',
      'ses:FeedbackAddress': 'shop@example.com',
    });
    expect(req.actions).toEqual(['ses:SendTemplatedEmail']);
  });
  it('SendBulkTemplatedEmail: one evaluation over the union of every destination', () => {
    const req = normalizeV1SendBulkTemplatedEmail({
      Source: 'shop@example.com',
      ReturnPath: 'rp@example.com',
      Template: 't',
      DefaultTemplateData: '{}',
      Destinations: [
        { Destination: { ToAddresses: ['a@x.com'] } },
        { Destination: { ToAddresses: ['b@x.com'], BccAddresses: ['a@x.com'] } },
      ],
    });
    expect(sendConditionKeys(req)['ses:Recipients']).toEqual(['a@x.com', 'b@x.com']);
    expect(sendConditionKeys(req)['ses:FeedbackAddress']).toBe('rp@example.com');
    expect(req.actions).toEqual(['ses:SendBulkTemplatedEmail']);
    expect(req.entries).toHaveLength(2);
  });
});

describe('v1 SendRawEmail', () => {
  const raw = mime(`
From: =?UTF-8?B?SsO8cmdlbg==?= <juergen@example.com>
To: to@x.com
Cc: "C" <cc@x.com>
Bcc: bcc@x.com
Return-Path: <rp@example.com>
Subject: s`);

  it('reads From only from the headers (RFC 2047 name) and recipients from the headers', async () => {
    const req = await normalizeV1SendRawEmail({ RawMessage: { Data: raw } });
    expect(sendConditionKeys(req)).toEqual({
      'ses:Recipients': ['to@x.com', 'cc@x.com', 'bcc@x.com'],
      'ses:FromAddress': 'juergen@example.com',
      'ses:FromDisplayName': 'Jürgen',
      // No Source: the Return-Path header.
      'ses:FeedbackAddress': 'rp@example.com',
    });
    expect(req.actions).toEqual(['ses:SendRawEmail']);
  });
  it('Destinations define the recipients (Bcc by naming an address only there); Source beats Return-Path', async () => {
    const req = await normalizeV1SendRawEmail({
      RawMessage: { Data: raw },
      Source: 'Env <envelope@example.com>',
      Destinations: ['only@x.com', 'to@x.com'],
    });
    const keys = sendConditionKeys(req);
    expect(keys['ses:Recipients']).toEqual(['only@x.com', 'to@x.com']);
    expect(keys['ses:FeedbackAddress']).toBe('envelope@example.com');
    expect(keys['ses:FromAddress']).toBe('juergen@example.com');
  });
  it('falls back to the From header when there is neither Source nor Return-Path', async () => {
    const req = await normalizeV1SendRawEmail({
      RawMessage: { Data: mime('From: f@example.com\nTo: t@x.com') },
    });
    expect(sendConditionKeys(req)['ses:FeedbackAddress']).toBe('f@example.com');
  });
  it('has no From key when the message has no From header', async () => {
    const req = await normalizeV1SendRawEmail({ RawMessage: { Data: mime('To: t@x.com') } });
    expect(sendConditionKeys(req)).toEqual({ 'ses:Recipients': ['t@x.com'] });
  });
});

describe('v1 SendBounce', () => {
  it('supplies only ses:FromAddress (the BounceSender)', async () => {
    const req = await normalizeV1SendBounce({
      OriginalMessageId: 'orig',
      BounceSender: 'Mailer <mailer@example.com>',
      BouncedRecipientInfoList: [{ Recipient: 'r@example.com', BounceType: 'DoesNotExist' }],
    });
    expect(sendConditionKeys(req)).toEqual({ 'ses:FromAddress': 'mailer@example.com' });
    expect(req.actions).toEqual(['ses:SendBounce']);
  });
});

describe('v2 SendEmail', () => {
  it('Simple: FromEmailAddress, Destination, feedback else From', async () => {
    const req = await normalizeV2SendEmail({
      FromEmailAddress: 'Ann <a@example.com>',
      Destination: { ToAddresses: ['b@x.com'], BccAddresses: ['c@x.com'] },
      Content: { Simple: simple },
    });
    expect(sendConditionKeys(req)).toEqual({
      'ses:Recipients': ['b@x.com', 'c@x.com'],
      'ses:FromAddress': 'a@example.com',
      'ses:FromDisplayName': 'Ann',
      'ses:FeedbackAddress': 'a@example.com',
    });
    expect(req.actions).toEqual(['ses:SendEmail']);
    const withFeedback = await normalizeV2SendEmail({
      FromEmailAddress: 'a@example.com',
      FeedbackForwardingEmailAddress: 'fb@example.com',
      Destination: { ToAddresses: ['b@x.com'] },
      Content: { Simple: simple },
    });
    expect(sendConditionKeys(withFeedback)['ses:FeedbackAddress']).toBe('fb@example.com');
  });
  it('Template: authorized as ses:SendTemplatedEmail with the same keys', async () => {
    const req = await normalizeV2SendEmail({
      FromEmailAddress: 'a@example.com',
      Destination: { ToAddresses: ['b@x.com'] },
      Content: { Template: { TemplateName: 't', TemplateData: '{}' } },
    });
    expect(req.actions).toEqual(['ses:SendTemplatedEmail']);
    expect(sendConditionKeys(req)['ses:FromAddress']).toBe('a@example.com');
  });
  it('Raw: ses:SendRawEmail; From header unless FromEmailAddress; Destination else headers; feedback param, Return-Path, From', async () => {
    const raw = mime('From: "Hdr" <hdr@example.com>\nTo: t@x.com\nReturn-Path: rp@example.com');
    const plain = await normalizeV2SendEmail({ Content: { Raw: { Data: raw } } });
    expect(plain.actions).toEqual(['ses:SendRawEmail']);
    expect(sendConditionKeys(plain)).toEqual({
      'ses:Recipients': ['t@x.com'],
      'ses:FromAddress': 'hdr@example.com',
      'ses:FromDisplayName': 'Hdr',
      'ses:FeedbackAddress': 'rp@example.com',
    });
    const overridden = await normalizeV2SendEmail({
      FromEmailAddress: 'param@example.com',
      FeedbackForwardingEmailAddress: 'fb@example.com',
      Destination: { ToAddresses: ['d@x.com'] },
      Content: { Raw: { Data: raw } },
    });
    expect(sendConditionKeys(overridden)).toEqual({
      'ses:Recipients': ['d@x.com'],
      'ses:FromAddress': 'param@example.com',
      'ses:FeedbackAddress': 'fb@example.com',
    });
  });
});

describe('v2 SendBulkEmail', () => {
  it('checks ses:SendBulkEmail (no address keys) and ses:SendBulkTemplatedEmail (address keys, no From fallback for feedback)', () => {
    const req = normalizeV2SendBulkEmail({
      FromEmailAddress: 'Ann <a@example.com>',
      DefaultContent: { Template: { TemplateName: 't', TemplateData: '{}' } },
      BulkEmailEntries: [
        { Destination: { ToAddresses: ['x@x.com'] } },
        { Destination: { ToAddresses: ['y@x.com'] } },
      ],
    });
    expect(req.actions).toEqual(['ses:SendBulkEmail', 'ses:SendBulkTemplatedEmail']);
    expect(sendConditionKeys(req, 'ses:SendBulkEmail')).toEqual({});
    expect(sendConditionKeys(req, 'ses:SendBulkTemplatedEmail')).toEqual({
      'ses:Recipients': ['x@x.com', 'y@x.com'],
      'ses:FromAddress': 'a@example.com',
      'ses:FromDisplayName': 'Ann',
    });
  });
});

describe('SMTP', () => {
  it('is ses:SendRawEmail v2: From header keys, RCPT TO recipients, MAIL FROM feedback', async () => {
    const req = await normalizeRawMessage(
      mime('From: Ann <a@example.com>\nTo: t@x.com\nReturn-Path: rp@example.com'),
      {
        from: 'bounce@example.com',
        to: ['rcpt@x.com'],
      },
    );
    expect(req.apiVersion).toBe('2');
    expect(req.operation).toBe('SMTP');
    expect(req.actions).toEqual(['ses:SendRawEmail']);
    expect(sendConditionKeys(req)).toEqual({
      'ses:Recipients': ['rcpt@x.com'],
      'ses:FromAddress': 'a@example.com',
      'ses:FromDisplayName': 'Ann',
      'ses:FeedbackAddress': 'bounce@example.com',
    });
  });
});
