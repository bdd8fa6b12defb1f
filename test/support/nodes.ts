// Sesame nodes as separate processes (`sesame serve`), for the fault and cluster tests: free ports,
// a data folder each, the suite's root key, started until their "Sesame ready" line.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateEmailIdentityCommand,
  PutAccountDetailsCommand,
  SendEmailCommand,
  SESv2Client,
} from '@aws-sdk/client-sesv2';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import nodemailer from 'nodemailer';
import { smtpPasswordV4 } from '../../src/auth/smtp-password.js';
import { createAccount } from '../../src/accounts/accounts.js';
import { insertIdentity } from '../../src/ses/state/identities.js';
import { decideProductionAccess } from '../../src/ses/state/index.js';
import type { Store } from '../../src/store/database.js';
import { createSecretBox, parseMasterKey } from '../../src/store/secret-box.js';
import { freePort } from './postgres.js';
import { spawnSesame, type SesameProcess } from './sesame-process.js';
import { ACCOUNT, ROOT_KEY } from './server.js';

export { ACCOUNT, ROOT_KEY };
export const REGION = 'us-east-1';
/** 32 bytes as hex: every node of a cluster is given the same one. */
export const MASTER_KEY = 'a1'.repeat(32);

export interface SesameNode {
  proc: SesameProcess;
  endpoint: string;
  smtpPort: number;
  dataDir: string;
}

/** Starts `sesame serve` (HTTP and plain-text SMTP on loopback); does not wait for it. */
export async function spawnNode(env: Record<string, string>, name = 'node'): Promise<SesameNode> {
  const dataDir = env.SESAME_DATA_DIR ?? mkdtempSync(join(tmpdir(), `sesame-${name}-`));
  const httpPort = await freePort();
  const smtpPort = await freePort();
  const proc = spawnSesame(['serve'], {
    SESAME_DATA_DIR: dataDir,
    SESAME_HTTP_PORT: String(httpPort),
    SESAME_SMTP_PORT: String(smtpPort),
    SESAME_SMTPS_PORT: '0',
    SESAME_SMTP_ALLOW_INSECURE_AUTH: '1',
    SESAME_ACCOUNT_ID: ACCOUNT,
    SESAME_ROOT_ACCESS_KEY_ID: ROOT_KEY.accessKeyId,
    SESAME_ROOT_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey,
    SESAME_AUTO_APPROVE_PRODUCTION: '1',
    ...env,
  });
  return { proc, endpoint: `http://127.0.0.1:${httpPort}`, smtpPort, dataDir };
}

/** Starts `sesame serve` and waits until it is ready. */
export async function startNode(env: Record<string, string>, name = 'node'): Promise<SesameNode> {
  const node = await spawnNode(env, name);
  await node.proc.waitFor(/Sesame ready/, 30_000);
  return node;
}

// One client per node, key and retry setting, as an application keeps one: a client per call would
// leave each call's keep-alive socket open and soon meet the per-address connection limit.
const clients = new Map<string, SESv2Client>();

export function sesV2(node: { endpoint: string }, credentials = ROOT_KEY, maxAttempts = 1): SESv2Client {
  const key = `${node.endpoint} ${credentials.accessKeyId} ${maxAttempts}`;
  let client = clients.get(key);
  if (!client) {
    client = new SESv2Client({ endpoint: node.endpoint, region: REGION, credentials, maxAttempts });
    clients.set(key, client);
  }
  return client;
}

/** Out of the sandbox (the node's production quota) with example.com verified (SESAME_VERIFICATION=auto). */
export async function prepareSending(node: SesameNode): Promise<void> {
  const ses = sesV2(node);
  await ses.send(
    new PutAccountDetailsCommand({
      MailType: 'TRANSACTIONAL',
      WebsiteURL: 'https://example.com',
      UseCaseDescription: 'tests',
      ProductionAccessEnabled: true,
    }),
  );
  await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.com' })).catch((e: Error) => {
    if (e.name !== 'AlreadyExistsException') throw e;
  });
}

/** A plain-text SMTP submission (loopback AUTH allowed) with the root key's SMTP password. */
export function smtpTransport(node: SesameNode, credentials = ROOT_KEY) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: node.smtpPort,
    secure: false,
    ignoreTLS: true,
    auth: { user: credentials.accessKeyId, pass: smtpPasswordV4(credentials.secretAccessKey, REGION) },
  });
}

/** The MessageId in SES's `250 Ok <MessageId>`. */
export function messageIdOfReply(response: string): string {
  const m = /Ok (\S+)/.exec(response);
  if (!m) throw new Error(`not an SES accept reply: ${response}`);
  return m[1]!;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** SES v2 SendEmail from sender@example.com (one attempt); resolves with the MessageId. */
export async function sendViaApi(
  node: { endpoint: string },
  to = 'rcpt@example.com',
  credentials: Credentials = ROOT_KEY,
  subject = 'test',
): Promise<string> {
  const out = await sesV2(node, credentials).send(
    new SendEmailCommand({
      FromEmailAddress: 'sender@example.com',
      Destination: { ToAddresses: [to] },
      Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: 'hello' } } } },
    }),
  );
  return out.MessageId!;
}

/** The same message through the node's SMTP listener; resolves with the MessageId of `250 Ok`. */
export async function sendViaSmtp(
  node: SesameNode,
  to = 'rcpt@example.com',
  credentials: Credentials = ROOT_KEY,
  subject = 'test',
): Promise<string> {
  const info = await smtpTransport(node, credentials).sendMail({
    from: 'sender@example.com',
    to,
    subject,
    text: 'hello',
  });
  return messageIdOfReply(info.response);
}

/**
 * Polls `fn` every 50 ms until it returns something other than undefined or false (a throw counts
 * as not yet); resolves with that value and the time it took, or fails after `ms`.
 */
export async function eventually<T>(
  what: string,
  ms: number,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== false) return { value, ms: Date.now() - start };
    } catch (e) {
      last = e;
    }
    if (Date.now() - start > ms)
      throw new Error(`${what}: not within ${ms} ms (last error: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An account out of the sandbox with these limits and example.com verified, made by the operator on the store. */
export async function limitedAccount(
  store: Store,
  accountId: string,
  maxSendRate: number,
  max24HourSend: number,
): Promise<Credentials> {
  const credentials = await createAccount(store, createSecretBox(parseMasterKey(MASTER_KEY)), { accountId });
  await decideProductionAccess(store, accountId, REGION, 'grant', {
    productionMaxSendRate: maxSendRate,
    productionMax24HourSend: max24HourSend,
  });
  await insertIdentity(store, accountId, REGION, {
    identity: 'example.com',
    type: 'Domain',
    status: 'Success',
    now: new Date(),
  });
  return { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey };
}

/** A sending policy: ses:SendEmail on everything. */
export const SEND_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*' }],
});

/** IAM user `mailer` with SEND_POLICY inline (as `send`) and an access key, made through `node`'s IAM API by the root. */
export async function createMailer(node: {
  endpoint: string;
}): Promise<{ iam: IAMClient; mailer: Credentials }> {
  const iam = new IAMClient({
    endpoint: node.endpoint,
    region: REGION,
    credentials: ROOT_KEY,
    maxAttempts: 1,
  });
  await iam.send(new CreateUserCommand({ UserName: 'mailer' }));
  await iam.send(
    new PutUserPolicyCommand({ UserName: 'mailer', PolicyName: 'send', PolicyDocument: SEND_POLICY }),
  );
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'mailer' }))).AccessKey!;
  return { iam, mailer: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } };
}

/** A node's workers (Linux: the kernel lists a process's children; tsx's esbuild is one too). */
export function childrenOf(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
    return children
      .filter(Boolean)
      .map(Number)
      .filter((c) => readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('sesame'));
  } catch {
    return [];
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
