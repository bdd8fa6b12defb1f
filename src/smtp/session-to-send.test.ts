// DATA -> one normalized send: size limit while streaming, nothing on a broken stream, and the
// CallContext SMTP sends are authorized with (ApiVersion 2, listener region, TCP peer).
import { PassThrough } from 'node:stream';
import type { SMTPServerSession } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../errors/aws-error.js';
import type { Store } from '../store/database.js';
import { fakeResolveKey, KEYS, recordingAccept, testConfig } from './test-support.js';
import { MAX_MESSAGE_BYTES, readDataStream, smtpCallContext, submitMessage } from './session-to-send.js';

const session = (secure: boolean): SMTPServerSession =>
  ({
    remoteAddress: '192.0.2.7',
    secure,
    envelope: {
      mailFrom: { address: 'bounce@example.com', args: false },
      rcptTo: [
        { address: 'a@x.org', args: false },
        { address: 'b@y.org', args: false },
      ],
    },
  }) as unknown as SMTPServerSession;

async function submitContext() {
  const caller = (await fakeResolveKey(KEYS.user.accessKeyId, new Date()))!.caller;
  return {
    config: testConfig(),
    store: {} as Store,
    region: 'eu-west-1',
    caller,
    now: new Date('2026-11-28T12:00:00Z'),
  };
}

describe('readDataStream', () => {
  it('collects a message up to the limit', async () => {
    const s = new PassThrough();
    const p = readDataStream(s, 10);
    s.write('12345');
    s.end('67890');
    expect(await p).toEqual({ kind: 'complete', raw: Buffer.from('1234567890') });
  });

  it('one byte over the limit is too long (and the rest is still drained)', async () => {
    const s = new PassThrough();
    const p = readDataStream(s, 10);
    s.write('12345');
    s.write('678901');
    s.end('more');
    expect(await p).toEqual({ kind: 'too-long', bytes: 15 });
  });

  it('the SMTP limit is 40 MB', () => {
    expect(MAX_MESSAGE_BYTES).toBe(40 * 1024 * 1024);
  });

  it('a stream destroyed before its end rejects', async () => {
    const s = new PassThrough();
    const p = readDataStream(s);
    s.write('partial');
    s.destroy(new Error('Connection closed before the message was received in full'));
    await expect(p).rejects.toThrow(/Connection closed/);
    const quiet = new PassThrough();
    const q = readDataStream(quiet);
    quiet.destroy();
    await expect(q).rejects.toThrow(/before the end of DATA/);
  });
});

describe('smtpCallContext', () => {
  it('ApiVersion 2, the listener region, the peer as aws:SourceIp, no user agent, secure transport from TLS', async () => {
    const c = await submitContext();
    const ctx = smtpCallContext(c, session(true));
    expect(ctx).toMatchObject({
      apiVersion: '2',
      region: 'eu-west-1',
      now: c.now,
      caller: c.caller,
      audit: { actions: [], resources: [] },
    });
    expect(ctx.source).toEqual({ ip: '192.0.2.7', secureTransport: true });
    expect(ctx.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(smtpCallContext(c, session(false)).source.secureTransport).toBe(false);
  });
});

describe('submitMessage', () => {
  const raw = Buffer.from(
    'From: Ann <ann@example.com>\r\nTo: a@x.org\r\nX-SES-CONFIGURATION-SET: cs\r\nSubject: s\r\n\r\nbody\r\n',
  );

  it('normalizes MAIL FROM / RCPT TO / headers and answers Ok <MessageId>', async () => {
    const rec = recordingAccept();
    const reply = await submitMessage(rec.accept, await submitContext(), session(true), {
      kind: 'complete',
      raw,
    });
    expect(reply).toBe(`Ok ${rec.calls[0]?.messageId}`);
    const req = rec.calls[0]!.req;
    expect(req.source?.address).toBe('bounce@example.com');
    expect(req.feedbackAddress).toBe('bounce@example.com');
    expect(req.from).toMatchObject({ address: 'ann@example.com', name: 'Ann' });
    expect(req.entries[0]?.envelopeRecipients).toEqual(['a@x.org', 'b@y.org']);
    expect(req.configurationSetName).toBe('cs');
    expect(req.entries[0]?.message?.toString()).toBe(
      'From: Ann <ann@example.com>\r\nTo: a@x.org\r\nSubject: s\r\n\r\nbody\r\n',
    );
  });

  it('too long: 552 without calling accept', async () => {
    const rec = recordingAccept();
    await expect(
      submitMessage(rec.accept, await submitContext(), session(true), { kind: 'too-long', bytes: 1 }),
    ).rejects.toMatchObject({
      responseCode: 552,
      message: 'Message is too long.',
    });
    expect(rec.calls).toEqual([]);
  });

  it('an AwsError from accept becomes its SMTP reply', async () => {
    const rec = recordingAccept();
    rec.fail(
      new AwsError(
        'MessageRejected',
        'Email address is not verified. The following identities failed the check in region EU-WEST-1: ann@example.com',
      ),
    );
    await expect(
      submitMessage(rec.accept, await submitContext(), session(true), { kind: 'complete', raw }),
    ).rejects.toMatchObject({
      responseCode: 554,
      message:
        'Message rejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: ann@example.com',
    });
  });
});
