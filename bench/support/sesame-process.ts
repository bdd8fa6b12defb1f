// Sesame as people run it: `sesame serve` in a process of its own (its workers included), with its
// defaults but for what a load test needs: free ports, a temporary data folder, the production
// limits high enough that throttling never answers (granted through PutAccountDetails, as an
// operator with SESAME_AUTO_APPROVE_PRODUCTION would), an identity and an IAM user allowed
// ses:SendEmail from one address only, checked both ways before measuring.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateEmailIdentityCommand,
  PutAccountDetailsCommand,
  SESv2Client,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { smtpPasswordV4 } from '../../src/auth/smtp-password.js';
import { freePort, startProcess, stopProcess } from './processes.js';
import {
  DOMAIN,
  FORBIDDEN_FROM,
  FROM,
  REGION,
  SEND_POLICY,
  SMTP_SEND_POLICY,
  TO,
  USER_NAME,
  type Target,
} from './workload.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT_DIR = resolve(HERE, '..', '..');
const ACCOUNT = '111122223333';
const ROOT = {
  accessKeyId: 'AKIABENCHROOT0000009',
  secretAccessKey: 'benchRootSecretKey/000000000000000000009',
};

/** Where delivery stands: what was accepted, and what of it is still to be delivered. */
export interface Backlog {
  accepted: number;
  pending: number;
  captured: number;
}

export interface SesameProcess extends Target {
  pid: number;
  dataDir: string;
  /** The STARTTLS listener and the user's SES SMTP credentials. */
  smtp: { port: number; user: string; pass: string };
  backlog(): Promise<Backlog>;
}

export interface SesameProcessOptions {
  /** Settings on top of the defaults (e.g. SESAME_WORKERS, SESAME_DELIVERY_CONCURRENCY). */
  env?: Record<string, string>;
  /** PostgreSQL instead of SQLite (a fresh database at this URL). */
  databaseUrl?: string;
  /** Skip the account setup (a second node: the first one did it). */
  skipSetup?: boolean;
  label?: string;
  /** Write V8 CPU profiles of every process of the node (primary and workers) into this folder. */
  profileDir?: string;
  /** Also allow the user ses:SendRawEmail from the same address over SMTP (ApiVersion 2). */
  smtp?: boolean;
}

const sdk = (endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }) => ({
  endpoint,
  region: REGION,
  credentials,
  maxAttempts: 1,
});

async function waitReady(endpoint: string, child: { exitCode: number | null }, tail: () => string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sesame serve exited (${child.exitCode}): ${tail()}`);
    const ok = await fetch(`${endpoint}/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`sesame serve not ready after 60 s: ${tail()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function startSesameProcess(o: SesameProcessOptions = {}): Promise<SesameProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sesame-node-bench-'));
  const port = await freePort();
  const smtpPort = await freePort();
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    SESAME_DATA_DIR: dataDir,
    SESAME_HTTP_HOST: '127.0.0.1',
    SESAME_HTTP_PORT: String(port),
    SESAME_SMTP_PORT: String(smtpPort),
    SESAME_SMTPS_PORT: String(await freePort()),
    SESAME_INBOUND_SMTP_PORT: String(await freePort()),
    SESAME_ACCOUNT_ID: ACCOUNT,
    SESAME_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId,
    SESAME_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey,
    SESAME_REGION: REGION,
    SESAME_AUTO_APPROVE_PRODUCTION: 'true',
    SESAME_PRODUCTION_MAX_SEND_RATE: '1000000',
    SESAME_PRODUCTION_MAX_24_HOUR_SEND: '1000000000',
    SESAME_MASTER_KEY: 'a'.repeat(64),
    SESAME_OPERATOR_TOKEN: 'bench-operator-token-0000',
    ...(o.databaseUrl ? { SESAME_DATABASE_URL: o.databaseUrl } : {}),
    ...o.env,
  };
  const { child, stderrTail } = startProcess(
    process.execPath,
    [
      ...(o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`] : []),
      '--import',
      'tsx',
      join(ROOT_DIR, 'src/cli/sesame.ts'),
      'serve',
    ],
    { cwd: ROOT_DIR, env },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess(child, 15_000);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitReady(endpoint, child, stderrTail);
    const root = new SESv2Client(sdk(endpoint, ROOT));
    const iam = new IAMClient(sdk(endpoint, ROOT));
    if (!o.skipSetup) {
      await root.send(
        new PutAccountDetailsCommand({
          MailType: 'TRANSACTIONAL',
          WebsiteURL: 'https://bench.example.com',
          UseCaseDescription: 'benchmark',
          ProductionAccessEnabled: true,
        }),
      );
      await root.send(new CreateEmailIdentityCommand({ EmailIdentity: DOMAIN }));
      await iam.send(new CreateUserCommand({ UserName: USER_NAME }));
      await iam.send(
        new PutUserPolicyCommand({ UserName: USER_NAME, PolicyName: 'send', PolicyDocument: SEND_POLICY }),
      );
      if (o.smtp)
        await iam.send(
          new PutUserPolicyCommand({
            UserName: USER_NAME,
            PolicyName: 'smtp',
            PolicyDocument: SMTP_SEND_POLICY,
          }),
        );
    }
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: USER_NAME }))).AccessKey;
    if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error('Sesame CreateAccessKey returned no key');
    const credentials = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
    const user = new SESv2Client(sdk(endpoint, credentials));
    const mail = (from: string) =>
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [TO] },
        Content: { Simple: { Subject: { Data: 'check' }, Body: { Text: { Data: 'check' } } } },
      });
    // The path measured is the real one: the allowed sender passes, another is denied.
    for (let i = 0; i < 4; i++) {
      const ok = await user.send(mail(FROM));
      if (!ok.MessageId) throw new Error('Sesame SendEmail returned no MessageId');
      const denied = await user.send(mail(FORBIDDEN_FROM)).then(
        () => 'allowed',
        (e: { name?: string }) => e.name ?? 'error',
      );
      if (denied !== 'AccessDeniedException')
        throw new Error(`Sesame: send from ${FORBIDDEN_FROM} should be AccessDeniedException, got ${denied}`);
    }
    const backlog = o.databaseUrl ? postgresBacklog(o.databaseUrl) : sqliteBacklog(dataDir);
    return {
      name: o.label ?? 'sesame',
      endpoint,
      credentials,
      pid: child.pid!,
      dataDir,
      smtp: { port: smtpPort, user: key.AccessKeyId, pass: smtpPasswordV4(key.SecretAccessKey, REGION) },
      notes: [
        `${o.label ?? 'sesame'}: sesame serve (pid ${child.pid}), ${o.databaseUrl ? 'PostgreSQL' : `SQLite in ${dataDir}`}, ` +
          `settings ${JSON.stringify(o.env ?? {})}; policy checked (${FORBIDDEN_FROM} -> AccessDeniedException)`,
      ],
      backlog,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

const BACKLOG_SQL = `select
  (select count(*) from outbox) as accepted,
  (select count(*) from outbox where status in ('queued', 'sending')) as pending,
  (select count(*) from captured_messages where kind = 'outbound') as captured`;

function sqliteBacklog(dataDir: string): () => Promise<Backlog> {
  return async () => {
    const db = new BetterSqlite3(join(dataDir, 'sesame.db'), { readonly: true, fileMustExist: true });
    try {
      const r = db.prepare(BACKLOG_SQL).get() as Record<string, number>;
      return { accepted: Number(r.accepted), pending: Number(r.pending), captured: Number(r.captured) };
    } finally {
      db.close();
    }
  };
}

function postgresBacklog(url: string): () => Promise<Backlog> {
  return async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const r = (await c.query(BACKLOG_SQL)).rows[0] as Record<string, string>;
      return { accepted: Number(r.accepted), pending: Number(r.pending), captured: Number(r.captured) };
    } finally {
      await c.end();
    }
  };
}
