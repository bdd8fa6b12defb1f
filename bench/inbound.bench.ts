// Receiving throughput: 10 KB messages delivered over STARTTLS by 8 pooled nodemailer connections
// to Sesame's MX listener, each matching one receipt rule with one S3 action (moto_server, started
// here), against a bare smtp-server sink (same TLS, the message drained and dropped) in the same
// run. `ratio` compares acceptance (250 once committed) while the S3 actions run in the same
// process; `completed_ratio` waits until every S3 object is written, which moto_server bounds
// (its own PutObject rate is measured in the same run). SPF, DKIM and DMARC verdicts are computed
// against a local DNS server. --accept-only measures the receiver without action workers.
// Prints one JSON line.
//
//   npx tsx bench/inbound.bench.ts [--messages 1000] [--rounds 3] [--accept-only]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import nodemailer from 'nodemailer';
import pino from 'pino';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateReceiptRuleCommand,
  CreateReceiptRuleSetCommand,
  SESClient,
  SetActiveReceiptRuleSetCommand,
  VerifyDomainIdentityCommand,
} from '@aws-sdk/client-ses';
import { loadConfig } from '../src/config/config.js';
import { startServer } from '../src/server.js';
import { startTestDnsServer } from '../src/ses/verification/test-dns-server.js';
import type { Store } from '../src/store/database.js';
import { startMotoServer } from './support/moto-server.js';
import { flag, median } from './smtp.bench.js';
import { startSink } from './support/smtp-sink.js';
import { profileWindow } from './support/profiler.js';

const ACCOUNT = '111122223333';
const ROOT = {
  accessKeyId: 'AKIABENCHROOT0000003',
  secretAccessKey: 'benchRootSecretKey/000000000000000000003',
};
const BUCKET = 'inbound-bench';
const FROM = 'bench@sender.example';
const TO = 'bench@inbound-bench.example';

export interface InboundBenchResult {
  /** `inbound.accept`: with --accept-only (no action workers: the receiver alone). */
  bench: 'inbound.receive' | 'inbound.accept';
  /** Accepted (committed, then 250) per second while the S3 actions run (median of the rounds). */
  sesame_msgs_per_s: number;
  sink_msgs_per_s: number;
  /** Median over the rounds of Sesame's acceptance rate over the sink's measured right after it. */
  ratio: number;
  round_ratios: number[];
  /** Accepted and written to S3, per second: bounded by the S3 server (moto). */
  sesame_completed_msgs_per_s: number;
  completed_ratio: number;
  /** moto_server's own PutObject rate for the same objects and concurrency, in this run. */
  moto_put_object_per_s: number;
  /** This process's CPU per message while measuring (the clients share the process). */
  sesame_cpu_ms_per_msg: number;
  sink_cpu_ms_per_msg: number;
  messages: number;
  rounds: number;
  connections: number;
  message_bytes: number;
  s3_objects: number;
}

const settle = () => new Promise((r) => setTimeout(r, 1000));

function mail(bytes: number) {
  const line = `${'0123456789abcdef'.repeat(4).slice(0, 76)}\r\n`;
  return {
    from: FROM,
    to: TO,
    subject: 'inbound bench',
    text: line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes),
  };
}

async function countObjects(endpoint: string): Promise<number> {
  const s3 = s3Client(endpoint);
  let n = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'in/', ContinuationToken: token }),
    );
    n += page.KeyCount ?? 0;
    token = page.NextContinuationToken;
  } while (token);
  s3.destroy();
  return n;
}

/** The S3 server's ceiling: PutObject of objects this size, as many at once as Sesame's workers. */
async function motoPutRate(endpoint: string, o: { messages: number; bytes: number }): Promise<number> {
  const s3 = s3Client(endpoint);
  const body = Buffer.alloc(o.bytes + 1024, 97);
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < o.messages)
        await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `ceiling/${next++}`, Body: body }));
    }),
  );
  s3.destroy();
  return o.messages / (Number(process.hrtime.bigint() - start) / 1e9);
}

const s3Client = (endpoint: string) =>
  new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });

/** Messages whose receipt actions have not all run yet (0 for the sink). */
const pending = async (store: Store) =>
  Number(
    (
      await store.db
        .selectFrom('inbound_messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirstOrThrow()
    ).n,
  );

/**
 * Sends `messages` over a warmed pool: the rate at which they were accepted (250 after the commit)
 * and the rate at which `drained()` came to hold (their receipt actions all run).
 */
async function drive(
  port: number,
  o: { messages: number; connections: number; bytes: number },
  drained: () => Promise<boolean>,
): Promise<{ accepted: number; completed: number; cpuMs: number }> {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: o.connections,
    maxMessages: Infinity,
    host: '127.0.0.1',
    port,
    requireTLS: true,
    tls: { rejectUnauthorized: false },
    name: 'mx.sender.example',
  });
  const m = mail(o.bytes);
  try {
    // Warm-up (TLS handshakes, compiled code), then wait until its after-work is done.
    await Promise.all(
      Array.from({ length: Math.max(o.connections, Math.ceil(o.messages / 4)) }, () => transport.sendMail(m)),
    );
    while (!(await drained())) await new Promise((r) => setTimeout(r, 50));
    const start = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    const seconds = () => Number(process.hrtime.bigint() - start) / 1e9;
    let accepted = 0;
    const window = async () => {
      await Promise.all(Array.from({ length: o.messages }, () => transport.sendMail(m)));
      accepted = o.messages / seconds();
      while (!(await drained())) await new Promise((r) => setTimeout(r, 20));
    };
    // SESAME_BENCH_PROFILE_DIR: a CPU profile of each measurement window (inbound-<port>.cpuprofile).
    const profileDir = process.env.SESAME_BENCH_PROFILE_DIR;
    if (profileDir) await profileWindow(profileDir, `inbound-${port}`, window);
    else await window();
    const completed = o.messages / seconds();
    const cpu = process.cpuUsage(cpu0);
    return { accepted, completed, cpuMs: (cpu.user + cpu.system) / 1000 / o.messages };
  } finally {
    transport.close();
  }
}

export async function runInboundBench(
  opts: { messages?: number; rounds?: number; acceptOnly?: boolean } = {},
): Promise<InboundBenchResult> {
  const settings = { messages: opts.messages ?? 1000, connections: 8, bytes: 10 * 1024 };
  const rounds = opts.rounds ?? 3;
  const dataDir = mkdtempSync(join(tmpdir(), 'sesame-inbound-bench-'));
  const moto = await startMotoServer();
  const dns = await startTestDnsServer({ txt: { 'sender.example': ['v=spf1 ip4:127.0.0.1 -all'] } });
  // The sink: the same STARTTLS, no processing (AUTH is offered, and not used by the MTA client).
  const sink = await startSink(false);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const s3 = new S3Client({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    s3.destroy();
    const config = loadConfig({
      SESAME_DATA_DIR: dataDir,
      SESAME_HTTP_PORT: '0',
      SESAME_ACCOUNT_ID: ACCOUNT,
      SESAME_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId,
      SESAME_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey,
      SESAME_S3_ENDPOINT: moto.endpoint,
      SESAME_S3_ACCESS_KEY_ID: 'x',
      SESAME_S3_SECRET_ACCESS_KEY: 'y',
      SESAME_DNS_SERVERS: dns.address,
      SESAME_LOG_LEVEL: 'warn',
      // --accept-only: no action workers; the messages are committed and stay queued.
      ...(opts.acceptOnly ? { SESAME_DELIVERY_CONCURRENCY: '0' } : {}),
    });
    // 'ephemeral': the listeners (the MX one included) on free ports.
    server = await startServer(config, {
      quiet: true,
      logger: pino({ level: 'warn' }),
      smtpPorts: 'ephemeral',
    });
    const ses = new SESClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: ROOT,
      maxAttempts: 1,
    });
    await ses.send(new VerifyDomainIdentityCommand({ Domain: 'inbound-bench.example' }));
    await ses.send(new CreateReceiptRuleSetCommand({ RuleSetName: 'bench' }));
    await ses.send(
      new CreateReceiptRuleCommand({
        RuleSetName: 'bench',
        Rule: {
          Name: 'store',
          Enabled: true,
          Recipients: [TO],
          Actions: [{ S3Action: { BucketName: BUCKET, ObjectKeyPrefix: 'in/' } }],
        },
      }),
    );
    await ses.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: 'bench' }));
    ses.destroy();
    const store = server.app.store;
    const pairs: {
      sesame: { accepted: number; completed: number; cpuMs: number };
      sink: { accepted: number; cpuMs: number };
    }[] = [];
    for (let r = 0; r < rounds; r++) {
      await settle();
      const sesame = await drive(
        server.inboundSmtp!,
        settings,
        async () => opts.acceptOnly === true || (await pending(store)) === 0,
      );
      await settle();
      const bare = await drive(sink.port, settings, async () => true);
      pairs.push({ sesame, sink: bare });
    }
    const s3Objects = await countObjects(moto.endpoint);
    const s3Puts = await motoPutRate(moto.endpoint, settings);
    const ratios = pairs.map((p) => Math.round((p.sesame.accepted / p.sink.accepted) * 1000) / 1000);
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      bench: opts.acceptOnly ? 'inbound.accept' : 'inbound.receive',
      sesame_msgs_per_s: round(median(pairs.map((p) => p.sesame.accepted))),
      sink_msgs_per_s: round(median(pairs.map((p) => p.sink.accepted))),
      ratio: median(ratios),
      round_ratios: ratios,
      sesame_completed_msgs_per_s: round(median(pairs.map((p) => p.sesame.completed))),
      moto_put_object_per_s: round(s3Puts),
      completed_ratio:
        Math.round(median(pairs.map((p) => p.sesame.completed / p.sink.accepted)) * 1000) / 1000,
      sesame_cpu_ms_per_msg: Math.round(median(pairs.map((p) => p.sesame.cpuMs)) * 1000) / 1000,
      sink_cpu_ms_per_msg: Math.round(median(pairs.map((p) => p.sink.cpuMs)) * 1000) / 1000,
      messages: settings.messages,
      rounds,
      connections: settings.connections,
      message_bytes: settings.bytes,
      s3_objects: s3Objects,
    };
  } finally {
    await server?.stop();
    await sink.stop();
    await dns.stop();
    await moto.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runInboundBench({
    messages: flag('messages'),
    rounds: flag('rounds'),
    acceptOnly: process.argv.includes('--accept-only'),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
