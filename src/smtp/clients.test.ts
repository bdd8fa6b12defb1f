// Real SMTP clients against the listeners: nodemailer (STARTTLS and implicit TLS), Python's
// smtplib and swaks. What they send must come out as the same normalized send as SendRawEmail.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { smtpPasswordV4 } from '../auth/smtp-password.js';
import { AwsError } from '../errors/aws-error.js';
import {
  ACCOUNT,
  KEYS,
  REGION,
  sampleMessage,
  startTestListeners,
  type TestKey,
  type TestListeners,
} from './test-support.js';

const run = promisify(execFile);
let smtp: TestListeners;
beforeAll(async () => {
  smtp = await startTestListeners();
});
afterAll(async () => {
  await smtp.stop();
});
beforeEach(() => {
  smtp.fail(undefined);
});

const MESSAGE_ID = /^0100018f00000000-\d{8}-0000-0000-0000-000000000000-000000$/;

function transport(mode: 'starttls' | 'implicit', key: TestKey = KEYS.user, pass = key.password) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: mode === 'starttls' ? smtp.starttlsPort : smtp.implicitPort,
    secure: mode === 'implicit',
    requireTLS: mode === 'starttls',
    auth: { user: key.accessKeyId, pass },
    tls: { rejectUnauthorized: false },
  });
}

async function sendError(p: Promise<unknown>): Promise<{ responseCode?: number; response?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { responseCode?: number; response?: string };
  }
  throw new Error('expected the send to fail');
}

describe('nodemailer', () => {
  it.each(['starttls', 'implicit'] as const)(
    '%s: sends and gets 250 Ok <MessageId>; the send is normalized like SendRawEmail',
    async (mode) => {
      const before = smtp.calls.length;
      const info = await transport(mode).sendMail({
        envelope: { from: 'bounces@example.com', to: ['to@example.net', 'bcc@example.org'] },
        from: '"Ann Example" <ann@example.com>',
        to: 'to@example.net',
        subject: 'hi',
        text: 'hello',
      });
      const call = smtp.calls[before];
      expect(smtp.calls.length).toBe(before + 1);
      expect(call?.messageId).toMatch(MESSAGE_ID);
      expect(info.response).toBe(`250 Ok ${call?.messageId}`);
      const { ctx, req } = call!;
      expect(ctx.apiVersion).toBe('2');
      expect(ctx.region).toBe(REGION);
      expect(ctx.source).toEqual({ ip: '127.0.0.1', secureTransport: true });
      expect(ctx.caller.principal.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/smtp-user`);
      expect(req.operation).toBe('SMTP');
      expect(req.apiVersion).toBe('2');
      expect(req.actions).toEqual(['ses:SendRawEmail']);
      expect(req.source?.address).toBe('bounces@example.com');
      expect(req.from).toMatchObject({ address: 'ann@example.com', name: 'Ann Example' });
      expect(req.feedbackAddress).toBe('bounces@example.com');
      expect(req.entries[0]?.envelopeRecipients).toEqual(['to@example.net', 'bcc@example.org']);
      expect(req.entries[0]?.headerRecipients.to).toEqual(['to@example.net']);
    },
  );

  it('honours the X-SES-* headers and strips them before the message is accepted', async () => {
    const before = smtp.calls.length;
    await transport('implicit').sendMail({
      from: 'ann@example.com',
      to: 'to@example.net',
      subject: 'delegated',
      text: 'hello',
      headers: {
        'X-SES-SOURCE-ARN': 'arn:aws:ses:us-east-1:444455556666:identity/example.com',
        'X-SES-FROM-ARN': 'arn:aws:ses:us-east-1:444455556666:identity/ann@example.com',
        'X-SES-RETURN-PATH-ARN': 'arn:aws:ses:us-east-1:444455556666:identity/example.com',
        'X-SES-CONFIGURATION-SET': 'marketing',
        'X-SES-MESSAGE-TAGS': 'campaign=spring, team=growth',
        'X-Other': 'kept',
      },
    });
    const req = smtp.calls[before]!.req;
    expect(req.arns).toEqual({
      source: 'arn:aws:ses:us-east-1:444455556666:identity/example.com',
      from: 'arn:aws:ses:us-east-1:444455556666:identity/ann@example.com',
      returnPath: 'arn:aws:ses:us-east-1:444455556666:identity/example.com',
    });
    expect(req.configurationSetName).toBe('marketing');
    expect(req.tags).toEqual([
      { Name: 'campaign', Value: 'spring' },
      { Name: 'team', Value: 'growth' },
    ]);
    const stored = req.entries[0]!.message!.toString('latin1');
    expect(stored).not.toMatch(/^X-SES-/im);
    expect(stored).toMatch(/^X-Other: kept\r$/m);
    expect(stored).toMatch(/^Subject: delegated\r$/m);
  });

  it('a wrong password and the password for another region both get 535', async () => {
    const wrong = await sendError(
      transport('starttls', KEYS.user, smtpPasswordV4('other-secret', REGION)).verify(),
    );
    expect(wrong.responseCode).toBe(535);
    expect(wrong.response).toBe('535 Authentication Credentials Invalid');
    const otherRegion = await sendError(
      transport('implicit', KEYS.user, smtpPasswordV4(KEYS.user.secretAccessKey, 'eu-west-1')).verify(),
    );
    expect(otherRegion.response).toBe('535 Authentication Credentials Invalid');
  });

  it.each([
    [
      new AwsError(
        'AccessDenied',
        "User `arn:aws:iam::111122223333:user/smtp-user' is not authorized to perform `ses:SendRawEmail' on resource `arn:aws:ses:us-east-1:111122223333:identity/example.com'",
        403,
      ),
      "554 Access denied: User `arn:aws:iam::111122223333:user/smtp-user' is not authorized to perform `ses:SendRawEmail' on resource `arn:aws:ses:us-east-1:111122223333:identity/example.com'",
    ],
    [
      new AwsError(
        'MessageRejected',
        'Email address is not verified. The following identities failed the check in region US-EAST-1: ann@example.com',
      ),
      '554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: ann@example.com',
    ],
    [
      new AwsError('Throttling', 'Maximum sending rate exceeded.'),
      '454 Throttling failure: Maximum sending rate exceeded.',
    ],
    [
      new AwsError('Throttling', 'Daily message quota exceeded.'),
      '454 Throttling failure: Daily message quota exceeded.',
    ],
    [new Error('disk on fire'), '451 Temporary service failure'],
  ])('maps %s to the SES reply', async (error, reply) => {
    smtp.fail(error);
    const before = smtp.calls.length;
    const e = await sendError(
      transport('implicit').sendMail({ from: 'ann@example.com', to: 'to@example.net', text: 'x' }),
    );
    expect(e.response).toBe(reply);
    expect(e.responseCode).toBe(Number(reply.slice(0, 3)));
    expect(smtp.calls.length).toBe(before);
  });
});

describe('Python smtplib', () => {
  const script = `
import json, smtplib, ssl, sys
port, user, password, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
msg = sys.stdin.read()
try:
    if mode == 'implicit':
        s = smtplib.SMTP_SSL('127.0.0.1', port, context=ctx, timeout=10)
    else:
        s = smtplib.SMTP('127.0.0.1', port, timeout=10)
        s.starttls(context=ctx)
    s.login(user, password)
    s.sendmail('sender@example.com', ['one@example.net', 'two@example.net'], msg)
    code, text = s.noop()
    s.quit()
    print(json.dumps({'ok': True}))
except smtplib.SMTPResponseException as e:
    print(json.dumps({'ok': False, 'code': e.smtp_code, 'text': e.smtp_error.decode()}))
`;
  async function python(port: number, user: string, password: string, mode: 'starttls' | 'implicit') {
    const child = run('python3', ['-c', script, String(port), user, password, mode], { timeout: 20_000 });
    child.child.stdin?.end(sampleMessage());
    const { stdout } = await child;
    return JSON.parse(stdout) as { ok: boolean; code?: number; text?: string };
  }

  it.each(['starttls', 'implicit'] as const)(
    '%s: starttls()/login()/sendmail() deliver one message',
    async (mode) => {
      const before = smtp.calls.length;
      const port = mode === 'starttls' ? smtp.starttlsPort : smtp.implicitPort;
      expect(await python(port, KEYS.user.accessKeyId, KEYS.user.password, mode)).toEqual({ ok: true });
      expect(smtp.calls.length).toBe(before + 1);
      expect(smtp.calls[before]?.req.entries[0]?.envelopeRecipients).toEqual([
        'one@example.net',
        'two@example.net',
      ]);
      expect(smtp.calls[before]?.req.source?.address).toBe('sender@example.com');
    },
  );

  it('login() with an inactive key gets 535', async () => {
    expect(
      await python(smtp.starttlsPort, KEYS.inactive.accessKeyId, KEYS.inactive.password, 'starttls'),
    ).toEqual({
      ok: false,
      code: 535,
      text: 'Authentication Credentials Invalid',
    });
  });
});

describe('swaks', () => {
  const SWAKS = '/usr/bin/swaks';
  const haveSwaks = existsSync(SWAKS);
  if (!haveSwaks) console.warn(`swaks test skipped: ${SWAKS} is not installed (apt-get install swaks)`);

  it.skipIf(!haveSwaks)('sends with STARTTLS + AUTH LOGIN and sees 250 Ok <MessageId>', async () => {
    const before = smtp.calls.length;
    const { stdout } = await run(
      SWAKS,
      [
        '--server',
        '127.0.0.1',
        '--port',
        String(smtp.starttlsPort),
        '--tls',
        '--auth',
        'LOGIN',
        '--auth-user',
        KEYS.user.accessKeyId,
        '--auth-password',
        KEYS.user.password,
        '--from',
        'sender@example.com',
        '--to',
        'rcpt@example.net',
        '--header',
        'Subject: swaks',
      ],
      { timeout: 20_000 },
    );
    expect(smtp.calls.length).toBe(before + 1);
    expect(stdout).toContain(`<~  250 Ok ${smtp.calls[before]?.messageId}`);
    expect(stdout).toContain('<~  235 Authentication successful.');
  });

  it.skipIf(!haveSwaks)(
    'without --tls it is not offered AUTH before STARTTLS and stops before MAIL',
    async () => {
      const e = await run(
        SWAKS,
        [
          '--server',
          '127.0.0.1',
          '--port',
          String(smtp.starttlsPort),
          '--auth',
          'PLAIN',
          '--auth-user',
          KEYS.user.accessKeyId,
          '--auth-password',
          KEYS.user.password,
          '--from',
          'sender@example.com',
          '--to',
          'rcpt@example.net',
        ],
        { timeout: 20_000 },
      ).then(
        () => undefined,
        (err: { stdout: string; stderr: string }) => err,
      );
      // swaks does not try AUTH the server does not advertise (the raw 530 is in listener.test.ts).
      expect(e).toBeDefined();
      expect(`${e?.stdout}${e?.stderr}`).toContain('*** Host did not advertise authentication');
      expect(e?.stdout).not.toContain('-> MAIL FROM');
    },
  );
});
