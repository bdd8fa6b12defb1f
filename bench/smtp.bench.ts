// SMTP throughput: 10 KB messages over 8 pooled nodemailer connections with AUTH + TLS against
// Sesame, and the same against a bare smtp-server sink (same TLS, no AUTH, no processing) in the
// same run. Prints one JSON line. `runSmtpBench` takes a started Sesame port and credentials
// (the lead passes real ones); run standalone it starts Sesame's listeners with the test fakes.
//
//   npx tsx bench/smtp.bench.ts [--messages 800] [--connections 8]
import { profileWindow } from './support/profiler.js';
import { pathToFileURL } from 'node:url';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { KEYS, startTestListeners, testCertificate } from '../src/smtp/test-support.js';

export interface SmtpBenchTarget {
  host?: string;
  port: number;
  /** true: implicit TLS (2465-style); false: STARTTLS (2587-style). */
  implicitTls: boolean;
  user: string;
  pass: string;
}

export interface SmtpBenchOptions {
  /** A started Sesame SMTP listener; omitted: start one with fake keys and a recording accept. */
  sesame?: SmtpBenchTarget;
  connections?: number;
  messages?: number;
  messageBytes?: number;
  from?: string;
  to?: string;
}

export interface SmtpBenchResult {
  bench: 'smtp.send';
  sesame_msgs_per_s: number;
  sink_msgs_per_s: number;
  ratio: number;
  /** This process's CPU per message while measuring (client and server share the process). */
  sesame_cpu_ms_per_msg: number;
  sink_cpu_ms_per_msg: number;
  messages: number;
  connections: number;
  message_bytes: number;
}

function message(bytes: number, from: string, to: string) {
  const line = `${'0123456789abcdef'.repeat(4).slice(0, 76)}\r\n`;
  return {
    from,
    to,
    subject: 'smtp bench',
    text: line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes),
  };
}

/** Sends `messages` messages through a pooled transport: messages per second and CPU per message. */
async function drive(
  target: { host: string; port: number; implicitTls: boolean; auth?: { user: string; pass: string } },
  opts: Required<Pick<SmtpBenchOptions, 'connections' | 'messages' | 'messageBytes' | 'from' | 'to'>>,
): Promise<{ rate: number; cpuMs: number }> {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: opts.connections,
    maxMessages: Infinity,
    host: target.host,
    port: target.port,
    secure: target.implicitTls,
    requireTLS: !target.implicitTls,
    tls: { rejectUnauthorized: false },
    ...(target.auth ? { auth: target.auth } : {}),
  });
  const mail = message(opts.messageBytes, opts.from, opts.to);
  try {
    // Warm-up: open the pool's connections (TLS handshakes, AUTH) outside the measurement.
    await Promise.all(Array.from({ length: opts.connections }, () => transport.sendMail(mail)));
    const start = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    const sendAll = async () => {
      const sends: Promise<unknown>[] = [];
      for (let i = 0; i < opts.messages; i++) sends.push(transport.sendMail(mail));
      await Promise.all(sends);
    };
    // SESAME_BENCH_PROFILE_DIR: a CPU profile of each measurement window (smtp-<port>.cpuprofile).
    const profileDir = process.env.SESAME_BENCH_PROFILE_DIR;
    if (profileDir) await profileWindow(profileDir, `smtp-${target.port}`, sendAll);
    else await sendAll();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    return { rate: opts.messages / seconds, cpuMs: (cpu.user + cpu.system) / 1000 / opts.messages };
  } finally {
    transport.close();
  }
}

/** A bare smtp-server: the same TLS as Sesame, no AUTH, the message drained and dropped. */
async function startSink(implicitTls: boolean): Promise<{ port: number; stop: () => Promise<void> }> {
  const tls = await testCertificate();
  const server = new SMTPServer({
    secure: implicitTls,
    key: tls.key,
    cert: tls.cert,
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    size: 41_943_040,
    closeTimeout: 200,
    onData(stream, _session, callback) {
      stream.on('end', () => callback(null, 'Ok'));
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export async function runSmtpBench(opts: SmtpBenchOptions = {}): Promise<SmtpBenchResult> {
  const settings = {
    connections: opts.connections ?? 8,
    messages: opts.messages ?? 800,
    messageBytes: opts.messageBytes ?? 10 * 1024,
    from: opts.from ?? 'Bench <bench@example.com>',
    to: opts.to ?? 'success@simulator.amazonses.com',
  };
  let standalone: Awaited<ReturnType<typeof startTestListeners>> | undefined;
  let target = opts.sesame;
  if (!target) {
    standalone = await startTestListeners();
    target = {
      port: standalone.starttlsPort,
      implicitTls: false,
      user: KEYS.user.accessKeyId,
      pass: KEYS.user.password,
    };
  }
  const sink = await startSink(target.implicitTls);
  try {
    const host = target.host ?? '127.0.0.1';
    const sesame = await drive(
      {
        host,
        port: target.port,
        implicitTls: target.implicitTls,
        auth: { user: target.user, pass: target.pass },
      },
      settings,
    );
    const bare = await drive(
      { host: '127.0.0.1', port: sink.port, implicitTls: target.implicitTls },
      settings,
    );
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      bench: 'smtp.send',
      sesame_msgs_per_s: round(sesame.rate),
      sink_msgs_per_s: round(bare.rate),
      ratio: Math.round((sesame.rate / bare.rate) * 1000) / 1000,
      sesame_cpu_ms_per_msg: Math.round(sesame.cpuMs * 1000) / 1000,
      sink_cpu_ms_per_msg: Math.round(bare.cpuMs * 1000) / 1000,
      messages: settings.messages,
      connections: settings.connections,
      message_bytes: settings.messageBytes,
    };
  } finally {
    await sink.stop();
    await standalone?.stop();
  }
}

function flag(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runSmtpBench({ messages: flag('messages'), connections: flag('connections') });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
