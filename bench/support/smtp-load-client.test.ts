import { afterEach, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { testCertificate } from '../../src/smtp/test-support.js';
import { rawMessage, runSmtpLoad, type SmtpLoadSpec } from './smtp-load-client.js';

let server: SMTPServer | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A STARTTLS server that wants AUTH user/secret and keeps what it receives. */
async function receiver(): Promise<{
  port: number;
  received: { from: string; to: string[]; data: Buffer }[];
}> {
  const tls = await testCertificate();
  const received: { from: string; to: string[]; data: Buffer }[] = [];
  server = new SMTPServer({
    key: tls.key,
    cert: tls.cert,
    logger: false,
    disableReverseLookup: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      if (auth.username === 'user' && auth.password === 'secret') return cb(null, { user: 'user' });
      const e = Object.assign(new Error('Authentication Credentials Invalid'), { responseCode: 535 });
      cb(e);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks),
        });
        cb(null, 'Ok');
      });
    },
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const addr = server.server.address();
  return { port: typeof addr === 'object' && addr ? addr.port : 0, received };
}

const spec = (port: number, pass: string): SmtpLoadSpec => ({
  host: '127.0.0.1',
  port,
  implicitTls: false,
  auth: { user: 'user', pass },
  from: 'Bench <bench@example.com>',
  to: 'to@example.net',
  messageBytes: 10 * 1024,
  connections: 3,
  warmupMessages: 4,
  messages: 20,
});

describe('runSmtpLoad', () => {
  it('sends the composed message raw over STARTTLS + AUTH and counts every answered message', async () => {
    const { port, received } = await receiver();
    const r = await runSmtpLoad(spec(port, 'secret'));
    expect(r.errors).toBe(0);
    expect(r.messages).toBe(20);
    expect(r.msgs_per_s).toBeGreaterThan(0);
    expect(r.p99_ms).toBeGreaterThanOrEqual(r.p50_ms);
    expect(received).toHaveLength(24); // warm-up included
    const undated = (b: Buffer) => b.toString().replace(/^Date: .*\r\n/m, '');
    const raw = rawMessage(spec(port, 'secret'));
    for (const m of received) {
      expect(m.from).toBe('bench@example.com');
      expect(m.to).toEqual(['to@example.net']);
      expect(undated(m.data)).toBe(undated(raw));
    }
    expect(raw.length).toBeGreaterThan(10 * 1024);
    expect(raw.toString()).toMatch(/^From: Bench <bench@example\.com>\r\n/);
  });

  it('counts refused messages as errors, not as messages', async () => {
    const { port, received } = await receiver();
    const r = await runSmtpLoad(spec(port, 'wrong'));
    expect(r.messages).toBe(0);
    expect(r.errors).toBe(20);
    expect(r.error_samples[0]).toMatch(/535/);
    expect(received).toHaveLength(0);
  });
});
