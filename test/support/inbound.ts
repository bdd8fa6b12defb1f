// What the receiving tests drive and observe: a real S3-compatible server (moto_server), a loopback
// HTTP endpoint standing for SNS subscribers and Lambda functions, and real SMTP clients (Python's
// smtplib, swaks, nodemailer) delivering to the receiver.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { startMotoServer } from '../../bench/support/moto-server.js';
import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { startTestDnsServer, type TestDnsServer } from '../../src/ses/verification/test-dns-server.js';
import type { Dialect } from '../../src/store/database.js';
import { ACCOUNT, startTestServer, type TestServer } from './server.js';

export interface MotoS3 {
  endpoint: string;
  s3: S3Client;
  createBucket(name: string): Promise<void>;
  /** Keys under `prefix` (sorted). */
  keys(bucket: string, prefix?: string): Promise<string[]>;
  get(bucket: string, key: string): Promise<Buffer>;
  stop(): Promise<void>;
}

/** A moto_server on a free port, used as an S3-compatible store. */
export async function startMotoS3(): Promise<MotoS3> {
  const { endpoint, stop } = await startMotoServer();
  const s3 = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' },
  });
  return {
    endpoint,
    s3,
    createBucket: async (name) => void (await s3.send(new CreateBucketCommand({ Bucket: name }))),
    keys: async (bucket, prefix) => {
      const out = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, ...(prefix ? { Prefix: prefix } : {}) }),
      );
      return (out.Contents ?? []).map((c) => c.Key!).sort();
    },
    get: async (bucket, key) => {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await out.Body!.transformToByteArray());
    },
    stop: async () => {
      s3.destroy();
      await stop();
    },
  };
}

export interface Hit {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HookServer {
  base: string;
  hits: Hit[];
  /** Hits on one path, in arrival order. */
  on(path: string): Hit[];
  /** The answer to the next POSTs on `path` (status and JSON body), in order; then 200 `{}`. */
  answer(path: string, ...replies: { status: number; body?: unknown }[]): void;
  /** Waits until `path` has at least `n` hits. */
  wait(path: string, n?: number, timeoutMs?: number): Promise<Hit[]>;
  close(): Promise<void>;
}

export async function startHookServer(): Promise<HookServer> {
  const hits: Hit[] = [];
  const replies = new Map<string, { status: number; body?: unknown }[]>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      hits.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const reply = replies.get(path)?.shift() ?? { status: 200, body: {} };
      res.statusCode = reply.status;
      res.setHeader('content-type', 'application/json');
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const on = (path: string) => hits.filter((h) => h.path === path);
  return {
    base,
    hits,
    on,
    answer: (path, ...r) => replies.set(path, [...(replies.get(path) ?? []), ...r]),
    async wait(path, n = 1, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (on(path).length < n) {
        if (Date.now() > until)
          throw new Error(`${path}: ${on(path).length} of ${n} requests after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return on(path);
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Polls `read` until `ok` holds for its value (or fails with the last value). */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until)
      throw new Error(`condition not met after ${timeoutMs} ms: ${JSON.stringify(v).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export { smtplibSend, swaksSend, nodemailerSend, type SmtpOutcome } from './smtp-clients.js';

// ---------------------------------------------------------------------------------------------
// A receiving setup: Sesame with S3, SNS subscribers, Lambda functions and a DNS server that
// publishes sender.example's SPF, DKIM key and DMARC policy.

export const RECEIVING_DOMAIN = 'inbound.example';
export const SENDER_DOMAIN = 'sender.example';
export const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:inbound`;
export const FN_EVENT = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:on-mail`;
export const FN_SYNC = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:decide`;

export interface Receiving {
  server: TestServer;
  /** The MX listener's port. */
  port: number;
  dns: TestDnsServer;
  hooks: HookServer;
  bucket: string;
  /** A message from sender.example, DKIM-signed with the key its DNS publishes. */
  signed(o: { to: string; subject: string; body?: string; from?: string }): Promise<Buffer>;
  stop(): Promise<void>;
}

export function plainMessage(o: {
  from: string;
  to: string;
  subject: string;
  body?: string;
  extra?: string[];
}): Buffer {
  return Buffer.from(
    [
      `From: ${o.from}`,
      `To: ${o.to}`,
      `Subject: ${o.subject}`,
      'Date: Sat, 28 Nov 2026 12:00:00 +0000',
      `Message-ID: <${o.subject.replace(/\W+/g, '-')}@${SENDER_DOMAIN}>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      ...(o.extra ?? []),
      '',
      o.body ?? 'Hello from the sender.',
      '',
    ].join('\r\n'),
  );
}

export async function startReceiving(
  dialect: Dialect,
  moto: MotoS3 | undefined,
  env: Record<string, string> = {},
): Promise<Receiving> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const dns = await startTestDnsServer({
    txt: {
      [SENDER_DOMAIN]: ['v=spf1 ip4:127.0.0.1 -all'],
      [`_dmarc.${SENDER_DOMAIN}`]: ['v=DMARC1; p=reject'],
      [`s1._domainkey.${SENDER_DOMAIN}`]: [`v=DKIM1; k=rsa; p=${p}`],
    },
  });
  const hooks = await startHookServer();
  const bucket = `inbound-${dialect}-${Math.random().toString(36).slice(2, 8)}`;
  if (moto) await moto.createBucket(bucket);
  const server = await startTestServer(
    {
      ...(moto
        ? {
            SESAME_S3_ENDPOINT: moto.endpoint,
            SESAME_S3_ACCESS_KEY_ID: 'moto',
            SESAME_S3_SECRET_ACCESS_KEY: 'moto',
          }
        : {}),
      SESAME_SNS_SUBSCRIPTIONS: `${TOPIC}=${hooks.base}/sns`,
      SESAME_LAMBDA_FUNCTIONS: `${FN_EVENT}=${hooks.base}/on-mail,${FN_SYNC}=${hooks.base}/decide`,
      SESAME_DNS_SERVERS: dns.address,
      ...env,
    },
    dialect,
  );
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    server,
    port: server.inboundSmtp!,
    dns,
    hooks,
    bucket,
    async signed(o) {
      const raw = plainMessage({
        from: o.from ?? `alice@${SENDER_DOMAIN}`,
        to: o.to,
        subject: o.subject,
        body: o.body,
      });
      // mailauth 4.13 reads signatureData at run time (its typings name the older flat options).
      const { signatures } = await dkimSign(raw, {
        signatureData: [{ signingDomain: SENDER_DOMAIN, selector: 's1', privateKey: pem }],
      } as never);
      return Buffer.concat([Buffer.from(signatures), raw]);
    },
    async stop() {
      await server.stop();
      await hooks.close();
      await dns.stop();
    },
  };
}

/** A SigV4-signed GET of Sesame's own API (service `sesame`): the mailbox, the audit log. */
export async function mailboxCall(
  server: { endpoint: string },
  creds: { accessKeyId: string; secretAccessKey: string },
  path: string,
  query: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const url = new URL(server.endpoint);
  const signer = new SignatureV4({
    credentials: creds,
    region: 'us-east-1',
    service: 'sesame',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path,
      query,
      headers: { host: url.host },
    }),
  );
  const qs = new URLSearchParams(query).toString();
  const res = await fetch(`${server.endpoint}${path}${qs ? `?${qs}` : ''}`, {
    headers: signed.headers as Record<string, string>,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
