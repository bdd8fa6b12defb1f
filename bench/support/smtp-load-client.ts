// SMTP load from a process of its own, so that neither Sesame nor the sink shares a thread with
// the client that measures them. The message is composed once (10 KB of 76-character lines, the
// headers a mail client writes) and sent raw: the client pays for TLS, AUTH and the DATA stream,
// not for MIME composition. Closed loop: `connections` senders over a pool of as many connections,
// each waiting for its answer before the next message.
//
//   node --import tsx bench/support/smtp-load-client.ts '<SmtpLoadSpec JSON>'  -> one SmtpLoadResult JSON line
import { pathToFileURL } from 'node:url';
import nodemailer from 'nodemailer';
import { percentile, round } from './load-spec.js';

export interface SmtpLoadSpec {
  host: string;
  port: number;
  /** true: implicit TLS; false: STARTTLS (required). */
  implicitTls: boolean;
  auth?: { user: string; pass: string };
  from: string;
  to: string;
  messageBytes: number;
  connections: number;
  /** Messages sent before the window (connections opened, code warmed), then measured ones. */
  warmupMessages: number;
  messages: number;
}

export interface SmtpLoadResult {
  messages: number;
  errors: number;
  msgs_per_s: number;
  p50_ms: number;
  p99_ms: number;
  measured_ms: number;
  /** Client CPU time over wall time in the window: near 1.0 means the client may be the limit. */
  client_cpu: number;
  error_samples: string[];
}

export function rawMessage(spec: Pick<SmtpLoadSpec, 'from' | 'to' | 'messageBytes'>): Buffer {
  const line = `${'0123456789abcdef'.repeat(5).slice(0, 76)}\r\n`;
  // Whole lines, so that the client sends the bytes as they are (no line break added at the end).
  const body = line.repeat(Math.ceil(spec.messageBytes / line.length));
  const head = [
    `From: ${spec.from}`,
    `To: ${spec.to}`,
    'Subject: smtp bench',
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <bench-${process.pid}@bench.example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 7bit',
  ].join('\r\n');
  return Buffer.from(`${head}\r\n\r\n${body}`);
}

export async function runSmtpLoad(spec: SmtpLoadSpec): Promise<SmtpLoadResult> {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: spec.connections,
    maxMessages: Infinity,
    host: spec.host,
    port: spec.port,
    secure: spec.implicitTls,
    requireTLS: !spec.implicitTls,
    tls: { rejectUnauthorized: false },
    ...(spec.auth ? { auth: spec.auth } : {}),
  });
  const raw = rawMessage(spec);
  const envelope = { from: spec.from.replace(/^.*<|>$/g, ''), to: [spec.to] };
  const errorSamples: string[] = [];
  let errors = 0;
  const latencies: number[] = [];
  const run = async (count: number, record: boolean) => {
    let left = count;
    const sender = async () => {
      while (left > 0) {
        left--;
        const t0 = performance.now();
        try {
          await transport.sendMail({ envelope, raw });
          if (record) latencies.push(performance.now() - t0);
        } catch (e) {
          errors++;
          if (errorSamples.length < 5) errorSamples.push(String((e as Error).message ?? e));
        }
      }
    };
    await Promise.all(Array.from({ length: spec.connections }, sender));
  };
  try {
    await run(spec.warmupMessages, false);
    errors = 0;
    errorSamples.length = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await run(spec.messages, true);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    latencies.sort((a, b) => a - b);
    return {
      messages: latencies.length,
      errors,
      msgs_per_s: round(latencies.length / (ms / 1000), 1),
      p50_ms: round(percentile(latencies, 50)),
      p99_ms: round(percentile(latencies, 99)),
      measured_ms: round(ms, 0),
      client_cpu: round((cpu.user + cpu.system) / 1000 / ms, 2),
      error_samples: errorSamples,
    };
  } finally {
    transport.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runSmtpLoad(JSON.parse(process.argv[2] ?? '{}') as SmtpLoadSpec);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
