// The SMTP dialogue, line by line, against both listeners (docs/spec/ses.md §6.1, §6.6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpPasswordV2, smtpPasswordV4 } from '../auth/smtp-password.js';
import { isLoopback } from './listener.js';
import {
  KEYS,
  RawSmtp,
  authPlain,
  sampleMessage,
  startTestListeners,
  type TestListeners,
} from './test-support.js';

let smtp: TestListeners;
beforeAll(async () => {
  smtp = await startTestListeners();
});
afterAll(async () => {
  await smtp.stop();
});

/** A session on the implicit-TLS listener, greeted and EHLO'd. */
async function implicitSession(): Promise<RawSmtp> {
  const c = await RawSmtp.open(smtp.implicitPort, true);
  await c.reply();
  await c.command('EHLO client.example');
  return c;
}

async function authedSession(): Promise<RawSmtp> {
  const c = await implicitSession();
  expect(await c.command(authPlain(KEYS.user))).toBe('235 Authentication successful.');
  return c;
}

describe('greeting and EHLO', () => {
  it('greets like SES and offers STARTTLS but not AUTH before TLS on the STARTTLS listener', async () => {
    const c = await RawSmtp.open(smtp.starttlsPort, false);
    expect(await c.reply()).toMatch(
      /^220 email-smtp\.amazonaws\.com ESMTP SimpleEmailService-sesame-[0-9a-f]{12}$/,
    );
    const ehlo = (await c.command('EHLO client.example')).split('\n');
    expect(ehlo[0]).toBe('250-email-smtp.amazonaws.com');
    expect(ehlo).toContain('250-STARTTLS');
    expect(ehlo.some((l) => l.includes('AUTH'))).toBe(false);
    expect(await c.startTls()).toBe('220 Ready to start TLS');
    const after = (await c.command('EHLO client.example')).split('\n');
    expect(after.some((l) => /^250[- ]AUTH PLAIN LOGIN$/.test(l))).toBe(true);
    expect(after.some((l) => /^250[- ]SIZE 41943040$/.test(l))).toBe(true);
    expect(after.some((l) => l.includes('STARTTLS'))).toBe(false);
    c.destroy();
  });

  it('offers AUTH PLAIN LOGIN at once on the implicit-TLS listener', async () => {
    const c = await RawSmtp.open(smtp.implicitPort, true);
    expect(await c.reply()).toMatch(/^220 email-smtp\.amazonaws\.com ESMTP /);
    const ehlo = (await c.command('EHLO client.example')).split('\n');
    expect(ehlo.some((l) => /^250[- ]AUTH PLAIN LOGIN$/.test(l))).toBe(true);
    expect(ehlo.some((l) => /^250[- ]PIPELINING$/.test(l))).toBe(true);
    c.destroy();
  });
});

describe('AUTH', () => {
  it('refuses AUTH before STARTTLS with 530 (PLAIN and LOGIN), then accepts it after STARTTLS', async () => {
    const c = await RawSmtp.open(smtp.starttlsPort, false);
    await c.reply();
    await c.command('EHLO client.example');
    expect(await c.command(authPlain(KEYS.user))).toBe('530 Must issue a STARTTLS command first');
    expect(await c.command('AUTH LOGIN')).toBe('530 Must issue a STARTTLS command first');
    await c.startTls();
    await c.command('EHLO client.example');
    expect(await c.command(authPlain(KEYS.user))).toBe('235 Authentication successful.');
    c.destroy();
  });

  it('AUTH LOGIN with the v4 password succeeds', async () => {
    const c = await implicitSession();
    expect(await c.command('AUTH LOGIN')).toBe('334 VXNlcm5hbWU6');
    expect(await c.command(Buffer.from(KEYS.user.accessKeyId).toString('base64'))).toBe('334 UGFzc3dvcmQ6');
    expect(await c.command(Buffer.from(KEYS.user.password).toString('base64'))).toBe(
      '235 Authentication successful.',
    );
    c.destroy();
  });

  it('accepts the root key and the legacy v2 password', async () => {
    const a = await implicitSession();
    expect(await a.command(authPlain(KEYS.root))).toBe('235 Authentication successful.');
    a.destroy();
    const b = await implicitSession();
    expect(await b.command(authPlain(KEYS.user, smtpPasswordV2(KEYS.user.secretAccessKey)))).toBe(
      '235 Authentication successful.',
    );
    b.destroy();
  });

  it.each([
    ['a wrong password', authPlain(KEYS.user, smtpPasswordV4('not-the-secret', 'us-east-1'))],
    [
      'the password for another region',
      authPlain(KEYS.user, smtpPasswordV4(KEYS.user.secretAccessKey, 'us-west-2')),
    ],
    ['the secret itself as password', authPlain(KEYS.user, KEYS.user.secretAccessKey)],
    ['an inactive key', authPlain(KEYS.inactive)],
    ['a temporary (ASIA) key', authPlain(KEYS.temporary)],
    ['an unknown key', authPlain({ ...KEYS.user, accessKeyId: 'AKIANOSUCHKEY0000001' })],
  ])('refuses %s with 535 Authentication Credentials Invalid', async (_, auth) => {
    const c = await implicitSession();
    expect(await c.command(auth)).toBe('535 Authentication Credentials Invalid');
    expect(await c.command('MAIL FROM:<sender@example.com>')).toBe('530 Authentication required');
    c.destroy();
  });

  it('answers 454 Temporary authentication failure when the key store fails', async () => {
    const broken = await startTestListeners({
      deps: {
        resolveKey: async () => {
          throw new Error('database down');
        },
      },
    });
    try {
      const c = await RawSmtp.open(broken.implicitPort, true);
      await c.reply();
      await c.command('EHLO client.example');
      expect(await c.command(authPlain(KEYS.user))).toBe('454 Temporary authentication failure');
      c.destroy();
    } finally {
      await broken.stop();
    }
  });

  it('MAIL before AUTH gets 530 Authentication required', async () => {
    const c = await implicitSession();
    expect(await c.command('MAIL FROM:<sender@example.com>')).toBe('530 Authentication required');
    c.destroy();
  });

  it('plain-text AUTH works from loopback only when smtpAllowInsecureAuth is set', async () => {
    const insecure = await startTestListeners({ config: { smtpAllowInsecureAuth: true } });
    try {
      const c = await RawSmtp.open(insecure.starttlsPort, false);
      await c.reply();
      const ehlo = await c.command('EHLO client.example');
      expect(ehlo).toMatch(/^250[- ]AUTH PLAIN LOGIN$/m);
      expect(await c.command(authPlain(KEYS.user))).toBe('235 Authentication successful.');
      await c.command('MAIL FROM:<sender@example.com>');
      await c.command('RCPT TO:<rcpt@example.net>');
      expect(await c.command('DATA')).toMatch(/^354 /);
      expect(await c.command(`${sampleMessage()}.`)).toMatch(/^250 Ok 0100018f/);
      expect(insecure.calls[0]?.ctx.source).toEqual({ ip: '127.0.0.1', secureTransport: false });
      c.destroy();
    } finally {
      await insecure.stop();
    }
  });

  it('isLoopback: 127/8, ::1 and v4-mapped loopback only', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('127.9.9.9')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
    expect(isLoopback('::ffff:10.0.0.1')).toBe(false);
    expect(isLoopback('not-an-ip')).toBe(false);
  });
});

describe('envelope', () => {
  it('553 for a MAIL FROM or RCPT TO that is not an address', async () => {
    const c = await authedSession();
    // The null sender reaches our check (which quotes the address as SES does)...
    expect(await c.command('MAIL FROM:<>')).toBe('553 <> Invalid email address');
    // ...malformed ones are refused by smtp-server's parser first, reworded as 553.
    expect(await c.command('MAIL FROM:<no-at-sign>')).toBe('553 Invalid email address');
    expect(await c.command('MAIL FROM:<sender@example.com>')).toBe('250 Ok');
    expect(await c.command('RCPT TO:<nobody@>')).toBe('553 Address unknown');
    expect(await c.command('RCPT TO:<>')).toBe('553 Address unknown');
    expect(await c.command('RCPT TO:<rcpt@example.net>')).toBe('250 Ok');
    c.destroy();
  });

  it('at most 50 recipients: the 51st gets 452', async () => {
    const c = await authedSession();
    await c.command('MAIL FROM:<sender@example.com>');
    for (let i = 1; i <= 50; i++) expect(await c.command(`RCPT TO:<r${i}@example.net>`)).toBe('250 Ok');
    expect(await c.command('RCPT TO:<r51@example.net>')).toBe('452 Too many recipients');
    c.destroy();
  });

  it('a declared SIZE over 40 MB is refused at MAIL FROM with 552 Message is too long.', async () => {
    const c = await authedSession();
    expect(await c.command('MAIL FROM:<sender@example.com> SIZE=41943041')).toBe('552 Message is too long.');
    expect(await c.command('MAIL FROM:<sender@example.com> SIZE=41943040')).toBe('250 Ok');
    c.destroy();
  });
});

describe('DATA', () => {
  it('pipelined MAIL/RCPT/RCPT/DATA in one write get their replies in order, and the message is accepted', async () => {
    const c = await authedSession();
    const before = smtp.calls.length;
    c.write(
      'MAIL FROM:<sender@example.com>\r\nRCPT TO:<a@example.net>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n',
    );
    expect([await c.reply(), await c.reply(), await c.reply()]).toEqual(['250 Ok', '250 Ok', '250 Ok']);
    expect(await c.reply()).toBe('354 End data with <CR><LF>.<CR><LF>');
    // The message, its end and the next transaction in one write as well.
    c.write(`${sampleMessage()}.\r\nMAIL FROM:<sender@example.com>\r\nRCPT TO:<c@example.net>\r\nDATA\r\n`);
    const first = await c.reply();
    expect(first).toMatch(/^250 Ok 0100018f00000000-\d{8}-0000-0000-0000-000000000000-000000$/);
    expect([await c.reply(), await c.reply(), await c.reply()]).toEqual([
      '250 Ok',
      '250 Ok',
      '354 End data with <CR><LF>.<CR><LF>',
    ]);
    c.write(`${sampleMessage()}.\r\nQUIT\r\n`);
    expect(await c.reply()).toMatch(/^250 Ok /);
    expect(await c.reply()).toMatch(/^221 /);
    const mine = smtp.calls.slice(before);
    expect(mine.map((m) => m.req.entries[0]?.envelopeRecipients)).toEqual([
      ['a@example.net', 'b@example.net'],
      ['c@example.net'],
    ]);
    expect(first).toBe(`250 Ok ${mine[0]?.messageId}`);
  });

  it('an abrupt disconnect mid-DATA accepts nothing, and the listener keeps serving', async () => {
    const c = await authedSession();
    const before = smtp.calls.length;
    await c.command('MAIL FROM:<sender@example.com>');
    await c.command('RCPT TO:<rcpt@example.net>');
    expect(await c.command('DATA')).toMatch(/^354 /);
    c.write(sampleMessage({ body: 'half a message\r\n'.repeat(1000) }));
    await new Promise((r) => setTimeout(r, 50));
    c.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.calls.length).toBe(before);

    const d = await authedSession();
    await d.command('MAIL FROM:<sender@example.com>');
    await d.command('RCPT TO:<rcpt@example.net>');
    await d.command('DATA');
    expect(await d.command(`${sampleMessage()}.`)).toMatch(/^250 Ok /);
    expect(smtp.calls.length).toBe(before + 1);
    d.destroy();
  });

  it('a message over 40 MB (no SIZE declared) gets 552 Message is too long. and is not accepted', async () => {
    const c = await authedSession();
    const before = smtp.calls.length;
    await c.command('MAIL FROM:<sender@example.com>');
    await c.command('RCPT TO:<rcpt@example.net>');
    await c.command('DATA');
    c.write(sampleMessage({ body: '' }));
    const line = `${'x'.repeat(998)}\r\n`; // 1000 bytes
    const chunk = line.repeat(1024); // ~1 MB
    for (let i = 0; i < 41; i++) c.write(chunk);
    c.write('.\r\n');
    expect(await c.reply(25_000)).toBe('552 Message is too long.');
    expect(smtp.calls.length).toBe(before);
    // The session goes on: the next message is fine.
    await c.command('MAIL FROM:<sender@example.com>');
    await c.command('RCPT TO:<rcpt@example.net>');
    await c.command('DATA');
    expect(await c.command(`${sampleMessage()}.`)).toMatch(/^250 Ok /);
    c.destroy();
  }, 30_000);
});

describe('stop()', () => {
  it('closes open sessions and the ports', async () => {
    const s = await startTestListeners();
    const c = await RawSmtp.open(s.implicitPort, true);
    await c.reply();
    await s.stop();
    expect(await c.waitClosed(3000)).toBe(true);
    await expect(RawSmtp.open(s.starttlsPort, false)).rejects.toThrow(/ECONNREFUSED/);
  });
});
