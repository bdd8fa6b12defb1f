// SMTP throughput: 10 KB messages over 8 pooled nodemailer connections with AUTH + TLS against
// Sesame, and the same against a bare smtp-server sink (same TLS, no AUTH, no processing) in the
// same run. Prints one JSON line. `runSmtpBench` takes a started Sesame port and credentials
// (the lead passes real ones); run standalone it starts Sesame's listeners with the test fakes.
//
//   npx tsx bench/smtp.bench.ts [--messages 2000] [--connections 8] [--rounds 3]
import { profileWindow } from './support/profiler.js';
import { pathToFileURL } from 'node:url';
import nodemailer from 'nodemailer';
import { KEYS, startTestListeners } from '../src/smtp/test-support.js';
import { startSink } from './support/smtp-sink.js';

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
  /** Messages per round and target. */
  messages?: number;
  /** Rounds of Sesame then the sink, back to back: the ratio is the median of the rounds' ratios. */
  rounds?: number;
  messageBytes?: number;
  from?: string;
  to?: string;
}

export interface SmtpBenchResult {
  bench: 'smtp.send';
  sesame_msgs_per_s: number;
  sink_msgs_per_s: number;
  /** Median over the rounds of Sesame's rate over the sink's measured right after it. */
  ratio: number;
  /** Each round's ratio: how much the machine's speed drifted during the run. */
  round_ratios: number[];
  /** This process's CPU per message while measuring (client and server share the process). */
  sesame_cpu_ms_per_msg: number;
  sink_cpu_ms_per_msg: number;
  messages: number;
  rounds: number;
  connections: number;
  message_bytes: number;
}

const settle = () => new Promise((r) => setTimeout(r, 1000));

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

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
    // Warm-up outside the measurement: the pool's connections (TLS handshakes, AUTH), then a
    // quarter of a round so the code measured is compiled (the first round was ~20% slower).
    await Promise.all(Array.from({ length: opts.connections }, () => transport.sendMail(mail)));
    await Promise.all(Array.from({ length: Math.ceil(opts.messages / 4) }, () => transport.sendMail(mail)));
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

export async function runSmtpBench(opts: SmtpBenchOptions = {}): Promise<SmtpBenchResult> {
  const settings = {
    connections: opts.connections ?? 8,
    // 800-message windows (about a second) swung 0.5-1.0 between rounds of one run; 2,000 hold better.
    messages: opts.messages ?? 2000,
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
  const rounds = opts.rounds ?? 3;
  try {
    const host = target.host ?? '127.0.0.1';
    // Adjacent measurements share the machine's momentary speed (it drifts ~2x here over minutes):
    // each round pairs one Sesame window with the sink's right after it.
    const pairs: { sesame: { rate: number; cpuMs: number }; bare: { rate: number; cpuMs: number } }[] = [];
    for (let r = 0; r < rounds; r++) {
      // Each window starts once the previous one's after-work has settled: Sesame's WAL checkpoint
      // of 20 MB and its garbage otherwise land in the sink's window (one run had a round at 1.02).
      await settle();
      const sesame = await drive(
        {
          host,
          port: target.port,
          implicitTls: target.implicitTls,
          auth: { user: target.user, pass: target.pass },
        },
        settings,
      );
      await settle();
      const bare = await drive(
        { host: '127.0.0.1', port: sink.port, implicitTls: target.implicitTls },
        settings,
      );
      pairs.push({ sesame, bare });
    }
    const round = (n: number) => Math.round(n * 10) / 10;
    const ratios = pairs.map((p) => Math.round((p.sesame.rate / p.bare.rate) * 1000) / 1000);
    return {
      bench: 'smtp.send',
      sesame_msgs_per_s: round(median(pairs.map((p) => p.sesame.rate))),
      sink_msgs_per_s: round(median(pairs.map((p) => p.bare.rate))),
      ratio: median(ratios),
      round_ratios: ratios,
      sesame_cpu_ms_per_msg: Math.round(median(pairs.map((p) => p.sesame.cpuMs)) * 1000) / 1000,
      sink_cpu_ms_per_msg: Math.round(median(pairs.map((p) => p.bare.cpuMs)) * 1000) / 1000,
      messages: settings.messages,
      rounds,
      connections: settings.connections,
      message_bytes: settings.messageBytes,
    };
  } finally {
    await sink.stop();
    await standalone?.stop();
  }
}

export function flag(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runSmtpBench({
    messages: flag('messages'),
    connections: flag('connections'),
    rounds: flag('rounds'),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
