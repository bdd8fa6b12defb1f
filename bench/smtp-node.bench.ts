// SMTP as people run it, measured from outside: `sesame serve` with its defaults (its listener
// workers share the SMTP port) but delivery off (the accept path, as `smtp.send`), an IAM user's
// SES SMTP password over STARTTLS, each message authorized by the user's policy (ses:SendRawEmail
// with ses:FromAddress and ses:ApiVersion conditions) and committed to the outbox; a bare
// smtp-server sink (same TLS, no AUTH, the message dropped) in a process of its own; the load
// client (10 KB raw messages over pooled connections) in a third process, so that no target shares
// a thread with what measures it. Rounds: a Sesame window, then the sink's; the ratio is the median
// of the rounds' ratios. Server CPU is the process tree's (from /proc) over the messages sent.
//
//   npx tsx bench/smtp-node.bench.ts [--messages 3000] [--connections 8] [--rounds 3] [--workers N] [--profile DIR]
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import { runClientInChild } from './support/load.js';
import { round } from './support/load-spec.js';
import { processTreeCpuMs } from './support/proc-cpu.js';
import { installExitHooks, startPortPrintingScript, stopAllProcesses } from './support/processes.js';
import { startSesameProcess } from './support/sesame-process.js';
import type { SmtpLoadResult, SmtpLoadSpec } from './support/smtp-load-client.js';
import { median } from './smtp.bench.js';
import { FORBIDDEN_FROM, FROM, TO } from './support/workload.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The target (#18): SMTP at 0.8 of the bare sink or better. */
export const SMTP_GOAL_RATIO = 0.8;

export interface SmtpNodeBenchOptions {
  messages?: number;
  connections?: number;
  rounds?: number;
  /** Extra settings for Sesame (e.g. SESAME_WORKERS). */
  env?: Record<string, string>;
  note?: (line: string) => void;
  /** Write V8 CPU profiles of every Sesame process (primary and workers) into this folder. */
  profileDir?: string;
}

export interface SmtpNodeBenchResult {
  bench: 'smtp.node';
  workers: string;
  sesame_msgs_per_s: number;
  sesame_p50_ms: number;
  sesame_p99_ms: number;
  sink_msgs_per_s: number;
  ratio: number;
  round_ratios: number[];
  /** Server process tree's CPU per message (all of Sesame's processes; the sink's one process). */
  sesame_cpu_ms_per_msg: number;
  sink_cpu_ms_per_msg: number;
  /** The load client's CPU over wall time in Sesame's windows and in the sink's. */
  client_cpu_sesame: number;
  client_cpu_sink: number;
  errors: number;
  messages: number;
  connections: number;
  message_bytes: number;
  load_average: number[];
}

interface Window {
  result: SmtpLoadResult;
  cpuMsPerMsg: number;
}

const settle = () => new Promise((r) => setTimeout(r, 1000));

/** The policy holds over SMTP before anything is measured: the allowed sender passes, another is refused. */
async function checkPolicy(port: number, auth: { user: string; pass: string }): Promise<string> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    requireTLS: true,
    tls: { rejectUnauthorized: false },
    auth,
  });
  try {
    await transport.sendMail({ from: FROM, to: TO, subject: 'check', text: 'check' });
    const denied = await transport
      .sendMail({ from: FORBIDDEN_FROM, to: TO, subject: 'check', text: 'check' })
      .then(
        () => 'accepted',
        (e: { response?: string }) => e.response ?? String(e),
      );
    if (!denied.startsWith('554'))
      throw new Error(`SMTP send from ${FORBIDDEN_FROM} should be refused, got ${denied}`);
    return denied;
  } finally {
    transport.close();
  }
}

export async function runSmtpNodeBench(opts: SmtpNodeBenchOptions = {}): Promise<SmtpNodeBenchResult> {
  const note = opts.note ?? ((l: string) => process.stderr.write(`${l}\n`));
  const messages = opts.messages ?? 3000;
  const connections = opts.connections ?? 8;
  const rounds = opts.rounds ?? 3;
  const messageBytes = 10 * 1024;
  installExitHooks();
  const sesame = await startSesameProcess({
    env: { SESAME_DELIVERY_CONCURRENCY: '0', ...opts.env },
    label: 'smtp',
    smtp: true,
    ...(opts.profileDir ? { profileDir: opts.profileDir } : {}),
  });
  const windows: { sesame: Window; sink: Window }[] = [];
  const loads: number[] = [];
  try {
    const denied = await checkPolicy(sesame.smtp.port, sesame.smtp);
    note(`smtp-node: ${sesame.notes.join('; ')}; over SMTP ${FORBIDDEN_FROM} -> ${denied.trim()}`);
    const sink = await startPortPrintingScript(join(HERE, 'support'), 'smtp-sink', 'SMTP sink');
    try {
      const spec = (port: number, auth?: { user: string; pass: string }): SmtpLoadSpec => ({
        host: '127.0.0.1',
        port,
        implicitTls: false,
        ...(auth ? { auth } : {}),
        from: `Bench <${FROM}>`,
        to: TO,
        messageBytes,
        connections,
        messages,
        warmupMessages: Math.ceil(messages / 4),
      });
      const measure = async (pid: number, s: SmtpLoadSpec, name: string): Promise<Window> => {
        await settle();
        const cpu0 = processTreeCpuMs(pid) ?? 0;
        const result = await runClientInChild<SmtpLoadResult>('smtp-load-client', s, 120_000);
        const cpuMsPerMsg = round(((processTreeCpuMs(pid) ?? 0) - cpu0) / (s.messages + s.warmupMessages), 3);
        note(
          `smtp-node: ${name.padEnd(6)} ${String(result.msgs_per_s).padStart(8)} msgs/s  p50 ${result.p50_ms} ms  ` +
            `p99 ${result.p99_ms} ms  errors ${result.errors}  client cpu ${result.client_cpu}  ` +
            `server cpu ${cpuMsPerMsg} ms/msg  load ${round(loadavg()[0]!, 2)}`,
        );
        for (const e of result.error_samples) note(`smtp-node:   ${name} error: ${e}`);
        return { result, cpuMsPerMsg };
      };
      for (let r = 0; r < rounds; r++) {
        loads.push(round(loadavg()[0]!, 2));
        // The first round warms up longer: every listener worker compiles its own code.
        const warm = (x: SmtpLoadSpec) => (r === 0 ? { ...x, warmupMessages: messages } : x);
        const s = await measure(sesame.pid, warm(spec(sesame.smtp.port, sesame.smtp)), 'sesame');
        const b = await measure(sink.pid, warm(spec(sink.port)), 'sink');
        windows.push({ sesame: s, sink: b });
      }
    } finally {
      await sink.stop();
    }
  } finally {
    await sesame.stop();
    await stopAllProcesses();
  }
  const med = (f: (w: { sesame: Window; sink: Window }) => number) => round(median(windows.map(f)), 3);
  const ratios = windows.map((w) => round(w.sesame.result.msgs_per_s / w.sink.result.msgs_per_s, 3));
  return {
    bench: 'smtp.node',
    workers: opts.env?.SESAME_WORKERS ?? 'default',
    sesame_msgs_per_s: med((w) => w.sesame.result.msgs_per_s),
    sesame_p50_ms: med((w) => w.sesame.result.p50_ms),
    sesame_p99_ms: med((w) => w.sesame.result.p99_ms),
    sink_msgs_per_s: med((w) => w.sink.result.msgs_per_s),
    ratio: round(median(ratios), 3),
    round_ratios: ratios,
    sesame_cpu_ms_per_msg: med((w) => w.sesame.cpuMsPerMsg),
    sink_cpu_ms_per_msg: med((w) => w.sink.cpuMsPerMsg),
    client_cpu_sesame: med((w) => w.sesame.result.client_cpu),
    client_cpu_sink: med((w) => w.sink.result.client_cpu),
    errors: windows.reduce((n, w) => n + w.sesame.result.errors + w.sink.result.errors, 0),
    messages,
    connections,
    message_bytes: messageBytes,
    load_average: loads,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '3000' },
      connections: { type: 'string', default: '8' },
      rounds: { type: 'string', default: '3' },
      workers: { type: 'string' },
      env: { type: 'string', multiple: true },
      profile: { type: 'string' },
    },
  });
  const result = await runSmtpNodeBench({
    messages: Number(values.messages),
    connections: Number(values.connections),
    rounds: Number(values.rounds),
    env: {
      ...(values.workers ? { SESAME_WORKERS: values.workers } : {}),
      ...Object.fromEntries((values.env ?? []).map((kv) => kv.split('=', 2) as [string, string])),
    },
    ...(values.profile ? { profileDir: values.profile } : {}),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
