// Fakes and a raw SMTP client for the SMTP tests and the standalone benchmark: an in-memory key
// table standing in for the IAM resolver, and an accept() that records what it was given.
import { mkdtempSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import pino from 'pino';
import type { CallContext, Caller } from '../api/operation.js';
import { smtpPasswordV4 } from '../auth/smtp-password.js';
import { loadConfig, type Config } from '../config/config.js';
import type { SendRequest } from '../ses/send/send-request.js';
import type { Store } from '../store/database.js';
import type { ResolvedKey, ResolveKey } from './authenticate.js';
import { startSmtpListeners, type SmtpListenerDeps, type SmtpListeners } from './listener.js';
import type { AcceptSend } from './session-to-send.js';
import { loadOrCreateTlsCertificate, type TlsCertificate } from './tls-certificate.js';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';

export interface TestKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** The v4 SMTP password for REGION. */
  password: string;
}

const key = (accessKeyId: string, secretAccessKey: string): TestKey => ({
  accessKeyId,
  secretAccessKey,
  password: smtpPasswordV4(secretAccessKey, REGION),
});

export const KEYS = {
  user: key('AKIAUSERSMTP00000001', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'),
  root: key('AKIAROOTSMTP00000001', 'rootSecretrootSecretrootSecretrootSecret'),
  inactive: key('AKIAINACTIVE00000001', 'inactiveSecretinactiveSecretinactiveSec'),
  temporary: key('ASIATEMPORARY0000001', 'temporarySecrettemporarySecrettemporary'),
} as const;

function callerFor(k: TestKey, kind: 'user' | 'root' | 'role-session'): Caller {
  const base = { accessKeyId: k.accessKeyId, accountId: ACCOUNT, identityPolicies: [], principalTags: {} };
  if (kind === 'root')
    return {
      ...base,
      principal: { kind: 'Account', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT },
      userId: ACCOUNT,
      temporary: false,
    };
  if (kind === 'role-session')
    return {
      ...base,
      principal: {
        kind: 'AssumedRole',
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/r/s`,
        accountId: ACCOUNT,
        roleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
      },
      userId: 'AROAEXAMPLE:s',
      temporary: true,
    };
  return {
    ...base,
    principal: { kind: 'User', arn: `arn:aws:iam::${ACCOUNT}:user/smtp-user`, accountId: ACCOUNT },
    userName: 'smtp-user',
    userId: 'AIDAEXAMPLE',
    temporary: false,
  };
}

const TABLE: Record<string, ResolvedKey> = {
  [KEYS.user.accessKeyId]: {
    key: { secretAccessKey: KEYS.user.secretAccessKey, status: 'Active' },
    caller: callerFor(KEYS.user, 'user'),
  },
  [KEYS.root.accessKeyId]: {
    key: { secretAccessKey: KEYS.root.secretAccessKey, status: 'Active' },
    caller: callerFor(KEYS.root, 'root'),
  },
  [KEYS.inactive.accessKeyId]: {
    key: { secretAccessKey: KEYS.inactive.secretAccessKey, status: 'Inactive' },
    caller: callerFor(KEYS.inactive, 'user'),
  },
  [KEYS.temporary.accessKeyId]: {
    key: {
      secretAccessKey: KEYS.temporary.secretAccessKey,
      status: 'Active',
      sessionToken: 'FwoGZXIvYXdzEXAMPLE',
    },
    caller: callerFor(KEYS.temporary, 'role-session'),
  },
};

export const fakeResolveKey: ResolveKey = async (accessKeyId) => TABLE[accessKeyId];

export interface AcceptedCall {
  ctx: CallContext;
  req: SendRequest;
  messageId: string;
}

/** Records every call; `fail` makes the next calls throw (to test the reply mapping). */
export function recordingAccept(): { accept: AcceptSend; calls: AcceptedCall[]; fail: (e: unknown) => void } {
  const calls: AcceptedCall[] = [];
  let failure: unknown;
  let n = 0;
  const accept: AcceptSend = async (ctx, req) => {
    if (failure !== undefined) throw failure;
    n++;
    const messageId = `0100018f00000000-${String(n).padStart(8, '0')}-0000-0000-0000-000000000000-000000`;
    calls.push({ ctx, req, messageId });
    return { messageId };
  };
  return { accept, calls, fail: (e) => (failure = e) };
}

let sharedTls: Promise<TlsCertificate> | undefined;
/** One generated certificate per test process (RSA generation is not free). */
export function testCertificate(): Promise<TlsCertificate> {
  sharedTls ??= loadOrCreateTlsCertificate(mkdtempSync(join(tmpdir(), 'sesame-smtp-cert-')));
  return sharedTls;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({}),
    smtpHost: '127.0.0.1',
    smtpPort: 0,
    smtpsPort: 0,
    region: REGION,
    dataDir: mkdtempSync(join(tmpdir(), 'sesame-smtp-')),
    ...overrides,
  };
}

export interface TestListeners extends SmtpListeners {
  calls: AcceptedCall[];
  fail: (e: unknown) => void;
  starttlsPort: number;
  implicitPort: number;
}

export async function startTestListeners(
  opts: { config?: Partial<Config>; deps?: Partial<SmtpListenerDeps> } = {},
): Promise<TestListeners> {
  const rec = recordingAccept();
  const listeners = await startSmtpListeners({
    config: testConfig(opts.config),
    store: {} as Store, // the fake accept never touches it
    resolveKey: fakeResolveKey,
    log: pino({ level: 'silent' }),
    accept: rec.accept,
    tls: await testCertificate(),
    closeGraceMs: 200,
    ...opts.deps,
  });
  return {
    ...listeners,
    calls: rec.calls,
    fail: rec.fail,
    starttlsPort: listeners.ports.starttls ?? -1,
    implicitPort: listeners.ports.implicit ?? -1,
  };
}

/** A line-level SMTP client for what real clients will not do (pipelining, hanging up mid-DATA). */
export class RawSmtp {
  private buffer = '';
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(public socket: Socket | TLSSocket) {
    this.attach(socket);
  }

  private attach(socket: Socket | TLSSocket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('error', () => undefined);
  }

  static async open(port: number, implicitTls: boolean): Promise<RawSmtp> {
    const socket = implicitTls
      ? tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false })
      : netConnect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once(implicitTls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    return new RawSmtp(socket);
  }

  /** Waits for one complete reply (multi-line replies are joined with \n). */
  async reply(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = /^(?:\d{3}-[^\r\n]*\r\n)*\d{3}(?: [^\r\n]*)?\r\n/.exec(this.buffer);
      if (m) {
        this.buffer = this.buffer.slice(m[0].length);
        return m[0].trimEnd().split('\r\n').join('\n');
      }
      if (this.closed) throw new Error(`connection closed; buffered: ${JSON.stringify(this.buffer)}`);
      if (Date.now() > deadline) throw new Error(`no reply; buffered: ${JSON.stringify(this.buffer)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  async command(line: string): Promise<string> {
    this.write(`${line}\r\n`);
    return this.reply();
  }

  /** STARTTLS on this connection; replies after it come over TLS. */
  async startTls(): Promise<string> {
    const r = await this.command('STARTTLS');
    this.socket.removeAllListeners('data');
    const secure = tlsConnect({ socket: this.socket as Socket, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.buffer = '';
    this.attach(secure);
    return r;
  }

  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.closed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export const authPlain = (k: TestKey, password = k.password): string =>
  `AUTH PLAIN ${Buffer.from(`\0${k.accessKeyId}\0${password}`).toString('base64')}`;

export function sampleMessage(
  opts: { from?: string; to?: string; extraHeaders?: string[]; body?: string } = {},
): string {
  return [
    `From: ${opts.from ?? 'Sender Name <sender@example.com>'}`,
    `To: ${opts.to ?? 'rcpt@example.net'}`,
    'Subject: hello',
    ...(opts.extraHeaders ?? []),
    '',
    opts.body ?? 'Hello over SMTP.',
    '',
  ].join('\r\n');
}
