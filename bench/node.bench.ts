// The server people actually run, measured from outside: `sesame serve` in its own process tree
// (primary and workers), a load client in another process (raw-load-client.ts: cheap enough not to
// starve the server), SES v2 SendEmail signed by an IAM user whose policy has a ses:FromAddress
// condition, 16 keep-alive connections; moto_server and a bare node:http server (each a process of
// its own) in the same run. Two configurations of Sesame:
//
//   node.e2e     its defaults: capture delivery on, events recorded. After each window the
//                benchmark waits until every accepted message is captured (the lag is reported);
//                CPU per message counts the server's CPU until then, and captured_rps is the window's
//                accepted messages over the window plus that drain (the rate sustained end to end).
//   node.accept  SESAME_DELIVERY_CONCURRENCY=0: the accept path alone.
//
// Sesame's windows and the bare server's take turns (rounds); ratios are medians of per-round
// ratios. CPU per message is the whole process tree's CPU (from /proc) over successful requests.
//
//   npx tsx bench/node.bench.ts [--duration 5] [--rounds 3] [--only e2e,accept,bare,moto] [--workers N] [--client raw|sdk] [--profile DIR]
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { startBareProcess } from './support/bare-process.js';
import { runLoadInChild, type LoadClientKind } from './support/load.js';
import { round, type LoadResult, type LoadSpec } from './support/load-spec.js';
import { startMotoTarget } from './support/moto-target.js';
import { processTreeCpuMs } from './support/proc-cpu.js';
import { installExitHooks, stopAllProcesses } from './support/processes.js';
import { startSesameProcess, type SesameProcess } from './support/sesame-process.js';
import { REGION, SEND_HEADERS, SEND_PATH, sendEmailBody, type Target } from './support/workload.js';

export type NodeTargetName = 'e2e' | 'accept' | 'bare' | 'moto';

export interface NodeBenchOptions {
  durationMs?: number;
  warmupMs?: number;
  connections?: number;
  rounds?: number;
  targets?: readonly NodeTargetName[];
  /** Extra settings for both Sesame configurations (e.g. SESAME_WORKERS). */
  env?: Record<string, string>;
  client?: LoadClientKind;
  note?: (line: string) => void;
  /** Write V8 CPU profiles of every Sesame process (primary and workers) into this folder. */
  profileDir?: string;
}

/** The targets (#18). */
export const NODE_GOALS = {
  e2eRatioVsMoto: 25,
  acceptRatioVsBare: 0.5,
  acceptP99Ms: 10,
  acceptCpuMs: 0.2,
  deliveryCpuMs: 0.15,
} as const;

interface Window {
  result: LoadResult;
  /** Server CPU (process tree) per successful request; e2e: until the backlog was delivered. */
  cpuMsPerMsg?: number;
  /** e2e: messages accepted but not yet captured when the load stopped, and the time to drain them. */
  backlogAtEnd?: number;
  drainMs?: number;
  /** e2e: the window's accepted messages over the window plus the drain, all of them captured. */
  capturedRps?: number;
  load: number;
}

/** The load of every node benchmark window against `t`. */
export function spec(
  t: Target,
  o: Required<Pick<NodeBenchOptions, 'durationMs' | 'warmupMs' | 'connections'>>,
): LoadSpec {
  return {
    url: `${t.endpoint}${SEND_PATH}`,
    method: 'POST',
    body: sendEmailBody(),
    headers: { ...SEND_HEADERS },
    sign: {
      ...(t.credentials ?? { accessKeyId: 'AKIAUNUSEDBYTARGET00', secretAccessKey: 'unused' }),
      region: REGION,
      service: 'ses',
    },
    connections: o.connections,
    warmupMs: o.warmupMs,
    durationMs: o.durationMs,
    requestTimeoutMs: 10_000,
    expectStatus: 200,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function measure(
  name: NodeTargetName,
  t: Target,
  o: Required<Pick<NodeBenchOptions, 'durationMs' | 'warmupMs' | 'connections' | 'client'>>,
  note: (l: string) => void,
): Promise<Window> {
  const load = round(loadavg()[0]!, 2);
  const cpu0 = t.pid ? processTreeCpuMs(t.pid) : undefined;
  // moto (werkzeug) closes each connection after its answer, which the raw client's keep-alive
  // sockets do not redo; the SDK's client reconnects (moto's rate is far below what it can drive).
  const result = await runLoadInChild(spec(t, o), name === 'moto' ? 'sdk' : o.client);
  const w: Window = { result, load };
  const sesame = 'backlog' in t ? (t as SesameProcess) : undefined;
  if (sesame && name === 'e2e') {
    const stopped = performance.now();
    const b = await sesame.backlog();
    w.backlogAtEnd = b.pending;
    let pending = b.pending;
    while (pending > 0 && performance.now() - stopped < 120_000) {
      await new Promise((r) => setTimeout(r, 50));
      pending = (await sesame.backlog()).pending;
    }
    w.drainMs = round(performance.now() - stopped, 0);
    // What the node sustains end to end: a rate whose messages are all captured when it is measured
    // (the accepted rate alone would reward starving delivery). total_ok counts the warm-up's too.
    w.capturedRps = round(result.total_ok / ((o.warmupMs + o.durationMs + w.drainMs) / 1000), 1);
    if (pending > 0) note(`node: ${name}: WARNING ${pending} messages still undelivered after 120 s`);
  }
  const cpu1 = t.pid ? processTreeCpuMs(t.pid) : undefined;
  if (cpu0 !== undefined && cpu1 !== undefined && result.total_ok > 0)
    w.cpuMsPerMsg = round((cpu1 - cpu0) / result.total_ok, 3);
  note(
    `node: ${name.padEnd(7)} ${String(result.rps).padStart(8)} req/s  p50 ${result.p50_ms} ms  p99 ${result.p99_ms} ms  ` +
      `errors ${result.errors}  client cpu ${result.client_cpu}` +
      (w.cpuMsPerMsg !== undefined ? `  server cpu ${w.cpuMsPerMsg} ms/msg` : '') +
      (w.backlogAtEnd !== undefined
        ? `  backlog at end ${w.backlogAtEnd}, drained in ${w.drainMs} ms, ${w.capturedRps} captured msgs/s`
        : '') +
      `  load ${load}`,
  );
  for (const e of result.error_samples) note(`node:   ${name} error: ${e}`);
  return w;
}

export interface NodeBenchResult {
  bench: 'node.e2e' | 'node.accept';
  workers: string;
  sesame_rps: number | null;
  sesame_p50_ms: number | null;
  sesame_p99_ms: number | null;
  sesame_errors: number | null;
  sesame_cpu_ms_per_msg: number | null;
  moto_rps: number | null;
  bare_rps: number | null;
  ratio_vs_moto: number | null;
  ratio_vs_bare: number | null;
  round_ratios_vs_bare: number[];
  client_cpu: number | null;
  moto_cpu_ms_per_req: number | null;
  bare_cpu_ms_per_req: number | null;
  /** e2e: accepted messages over the window plus its drain (every one captured), and that against moto. */
  captured_rps?: number | null;
  captured_ratio_vs_moto?: number | null;
  /** e2e: undelivered messages when the load stopped (median of the windows), the longest drain. */
  backlog_at_end?: number | null;
  drain_ms?: number | null;
  load_average: number[];
}

export async function runNodeBench(opts: NodeBenchOptions = {}): Promise<NodeBenchResult[]> {
  const o = {
    durationMs: opts.durationMs ?? 5000,
    warmupMs: opts.warmupMs ?? 1000,
    connections: opts.connections ?? 16,
    client: opts.client ?? 'raw',
  };
  const rounds = opts.rounds ?? 3;
  const note = opts.note ?? ((l: string) => process.stderr.write(`${l}\n`));
  const names = opts.targets ?? (['e2e', 'accept', 'bare', 'moto'] as const);
  installExitHooks();
  const profile = opts.profileDir ? { profileDir: opts.profileDir } : {};
  const windows: Partial<Record<NodeTargetName, Window[]>> = {};
  const ratios: Record<'e2e' | 'accept', number[]> = { e2e: [], accept: [] };
  const started: Partial<Record<NodeTargetName, Target>> = {};
  const starters: Record<NodeTargetName, () => Promise<Target>> = {
    e2e: () => startSesameProcess({ env: { ...opts.env }, label: 'e2e', ...profile }),
    accept: () =>
      startSesameProcess({
        env: { ...opts.env, SESAME_DELIVERY_CONCURRENCY: '0' },
        label: 'accept',
        ...profile,
      }),
    bare: startBareProcess,
    moto: startMotoTarget,
  };
  try {
    for (const n of names) {
      if (n === 'moto') continue;
      started[n] = await starters[n]();
      for (const line of started[n].notes) note(`node: ${line}`);
    }
    for (let r = 0; r < rounds; r++) {
      const settings = r === 0 ? { ...o, warmupMs: o.warmupMs * 3 } : o;
      const bare = started.bare ? await measure('bare', started.bare, settings, note) : undefined;
      if (bare) (windows.bare ??= []).push(bare);
      for (const n of ['e2e', 'accept'] as const) {
        const t = started[n];
        if (!t) continue;
        const w = await measure(n, t, settings, note);
        (windows[n] ??= []).push(w);
        if (bare && bare.result.rps > 0) ratios[n].push(round(w.result.rps / bare.result.rps, 3));
      }
    }
    for (const n of Object.keys(started) as NodeTargetName[]) await started[n]?.stop();
    if (names.includes('moto')) {
      const moto = await startMotoTarget();
      try {
        windows.moto = [await measure('moto', moto, o, note)];
      } finally {
        await moto.stop();
      }
    }
  } finally {
    for (const t of Object.values(started)) await t?.stop().catch(() => {});
    await stopAllProcesses();
  }
  const med = (n: NodeTargetName, f: (w: Window) => number | undefined) => {
    const xs = (windows[n] ?? []).flatMap((w) => (f(w) === undefined ? [] : [f(w)!]));
    return xs.length ? round(median(xs), 3) : null;
  };
  const motoRps = med('moto', (w) => w.result.rps);
  const bareRps = med('bare', (w) => w.result.rps);
  const rows: NodeBenchResult[] = [];
  for (const n of ['e2e', 'accept'] as const) {
    if (!windows[n]) continue;
    const rps = med(n, (w) => w.result.rps);
    rows.push({
      bench: n === 'e2e' ? 'node.e2e' : 'node.accept',
      workers: opts.env?.SESAME_WORKERS ?? 'default',
      sesame_rps: rps,
      sesame_p50_ms: med(n, (w) => w.result.p50_ms),
      sesame_p99_ms: med(n, (w) => w.result.p99_ms),
      sesame_errors: (windows[n] ?? []).reduce((s, w) => s + w.result.errors, 0),
      sesame_cpu_ms_per_msg: med(n, (w) => w.cpuMsPerMsg),
      moto_rps: motoRps,
      bare_rps: bareRps,
      ratio_vs_moto: rps !== null && motoRps ? round(rps / motoRps, 1) : null,
      ratio_vs_bare: ratios[n].length ? round(median(ratios[n]), 3) : null,
      round_ratios_vs_bare: ratios[n],
      client_cpu: med(n, (w) => w.result.client_cpu),
      moto_cpu_ms_per_req: med('moto', (w) => w.cpuMsPerMsg),
      bare_cpu_ms_per_req: med('bare', (w) => w.cpuMsPerMsg),
      ...(n === 'e2e'
        ? {
            captured_rps: med(n, (w) => w.capturedRps),
            captured_ratio_vs_moto: motoRps ? round((med(n, (w) => w.capturedRps) ?? 0) / motoRps, 1) : null,
            backlog_at_end: med(n, (w) => w.backlogAtEnd),
            drain_ms: Math.max(...(windows[n] ?? []).map((w) => w.drainMs ?? 0)),
          }
        : {}),
      load_average: (windows[n] ?? []).map((w) => w.load),
    });
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      rounds: { type: 'string', default: '3' },
      only: { type: 'string' },
      workers: { type: 'string' },
      client: { type: 'string', default: 'raw' },
      profile: { type: 'string' },
    },
  });
  const rows = await runNodeBench({
    durationMs: Number(values.duration) * 1000,
    warmupMs: Number(values.warmup) * 1000,
    rounds: Number(values.rounds),
    targets: values.only?.split(',') as NodeTargetName[] | undefined,
    env: values.workers ? { SESAME_WORKERS: values.workers } : {},
    client: values.client as LoadClientKind,
    ...(values.profile ? { profileDir: values.profile } : {}),
  });
  for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
  process.exit(0);
}
