// SES v2 SendEmail end to end: SigV4 verification, IAM decision (a user allowed ses:SendEmail only
// from one address), durable commit to the outbox — measured against moto_server with IAM on and
// against a bare node:http server (the ceiling), in the same run, with the same closed-loop client
// (a child process, 16 keep-alive connections, every request freshly signed).
//
//   npx tsx bench/api.bench.ts [--duration 5] [--warmup 1] [--connections 16] [--rounds 3] [--only sesame,moto,bare]
// Profile the server side over the measurement window only:
//   npx tsx bench/api.bench.ts --only sesame --profile-dir /tmp/prof
//   npx tsx bench/support/cpuprofile-top.ts /tmp/prof/api-sesame.cpuprofile
// (tsx-compiled code reports line 1 for every function; for file:line profile a tsc build, see
// bench/support/cpuprofile-top.ts.)
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startBareTarget } from './support/bare-target.js';
import { runLoadInChild } from './support/load.js';
import { round, type LoadResult, type LoadSpec } from './support/load-spec.js';
import { startMotoTarget } from './support/moto-target.js';
import { profileWindow } from './support/profiler.js';
import { processCpuMs } from './support/proc-cpu.js';
import { installExitHooks, stopAllProcesses } from './support/processes.js';
import { startSesameTarget, type SesameTarget } from './support/sesame-target.js';
import { startSesV2LocalTarget } from './support/ses-v2-local-target.js';
import { REGION, SEND_HEADERS, SEND_PATH, sendEmailBody, type Target } from './support/workload.js';

export type ApiTargetName = 'sesame' | 'moto' | 'bare' | 'ses_v2_local';

export interface ApiBenchOptions {
  durationMs?: number;
  warmupMs?: number;
  connections?: number;
  targets?: readonly ApiTargetName[];
  /** Alternating windows of Sesame and the bare server (default 3): medians are reported. */
  rounds?: number;
  /** Write a CPU profile of this process (the in-process servers) over the first window of each. */
  profileDir?: string;
  /** Human notes (default: stderr). */
  note?: (line: string) => void;
}

/** The targets for this benchmark. */
export const API_GOALS = { ratioVsMoto: 25, ratioVsBare: 0.35, sesameP99Ms: 20 } as const;

export interface ApiBenchResult {
  bench: 'api.sesv2.SendEmail';
  connections: number;
  duration_s: number;
  sesame_rps: number | null;
  moto_rps: number | null;
  bare_rps: number | null;
  ses_v2_local_rps: number | null;
  ratio_vs_moto: number | null;
  /** Median over the rounds of Sesame's rate over the bare server's measured right after it. */
  ratio_vs_bare: number | null;
  round_ratios_vs_bare: number[];
  rounds: number;
  sesame_p50_ms: number | null;
  sesame_p99_ms: number | null;
  moto_p50_ms: number | null;
  moto_p99_ms: number | null;
  bare_p50_ms: number | null;
  bare_p99_ms: number | null;
  sesame_errors: number | null;
  moto_errors: number | null;
  bare_errors: number | null;
  /**
   * Server CPU time per successful request (in-process targets: this process; moto: its PID via
   * /proc). Unlike req/s it holds when other work shares the machine; the cpu_ratio_* fields are
   * the throughput ratios a dedicated core would give.
   */
  sesame_cpu_ms_per_req: number | null;
  moto_cpu_ms_per_req: number | null;
  bare_cpu_ms_per_req: number | null;
  cpu_ratio_vs_moto: number | null;
  cpu_ratio_vs_bare: number | null;
  /** Outbox rows written during Sesame's run (warm-up included): ≥ its successful requests. */
  sesame_outbox_rows: number | null;
  goals: { ratio_vs_moto: number; ratio_vs_bare: number; sesame_p99_ms: number };
  /** null when a needed measurement is missing. */
  goals_met: { ratio_vs_moto: boolean | null; ratio_vs_bare: boolean | null; sesame_p99_ms: boolean | null };
}

type Starter = () => Promise<Target | { skipped: string }>;

const STARTERS: Record<ApiTargetName, Starter> = {
  bare: startBareTarget,
  sesame: startSesameTarget,
  moto: startMotoTarget,
  ses_v2_local: startSesV2LocalTarget,
};

function spec(target: Target, o: { durationMs: number; warmupMs: number; connections: number }): LoadSpec {
  return {
    url: `${target.endpoint}${SEND_PATH}`,
    method: 'POST',
    body: sendEmailBody(),
    headers: { ...SEND_HEADERS },
    // Every target gets signed requests, so the client does the same work for each; targets without
    // auth just ignore the Authorization header.
    sign: target.credentials
      ? { ...target.credentials, region: REGION, service: 'ses' }
      : {
          accessKeyId: 'AKIAUNUSEDBYTARGET00',
          secretAccessKey: 'unused',
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

function isSesame(t: Target): t is SesameTarget {
  return 'outboxCount' in t;
}

/** One measurement window of a started target. */
interface Window {
  result: LoadResult;
  cpuMsPerReq?: number;
  loopBusy?: number;
}

async function measureWindow(
  name: ApiTargetName,
  target: Target,
  o: { durationMs: number; warmupMs: number; connections: number },
  profileDir: string | undefined,
  note: (line: string) => void,
): Promise<Window> {
  const cpu0 = process.cpuUsage();
  const loop0 = performance.eventLoopUtilization();
  const pid = target.pid;
  const procCpu0 = pid === undefined ? undefined : processCpuMs(pid);
  const load = () => runLoadInChild(spec(target, o));
  let result: LoadResult;
  if (profileDir && name !== 'moto' && name !== 'ses_v2_local') {
    const p = await profileWindow(profileDir, `api-${name}`, load);
    result = p.result;
    note(`api: ${name} CPU profile of the measurement window: ${p.file}`);
  } else {
    result = await load();
  }
  // In-process targets only: this process's CPU per answered request, a figure that holds even
  // when other work shares the machine (req/s does not), and how busy the main thread was (1 = it
  // was the bottleneck).
  const cpu = process.cpuUsage(cpu0);
  const loopBusy = pid === undefined ? performance.eventLoopUtilization(loop0).utilization : undefined;
  const procCpu1 = pid === undefined ? undefined : processCpuMs(pid);
  const serverCpuMs =
    pid === undefined
      ? (cpu.user + cpu.system) / 1000
      : procCpu0 !== undefined && procCpu1 !== undefined
        ? procCpu1 - procCpu0
        : undefined;
  const w: Window = { result };
  if (serverCpuMs !== undefined && result.total_ok > 0)
    w.cpuMsPerReq = round(serverCpuMs / result.total_ok, 3);
  if (loopBusy !== undefined) w.loopBusy = round(loopBusy, 2);
  note(
    `api: ${name.padEnd(12)} ${String(result.rps).padStart(9)} req/s  p50 ${result.p50_ms} ms  p99 ${result.p99_ms} ms  ` +
      `max ${result.max_ms} ms  errors ${result.errors}  client cpu ${result.client_cpu}` +
      (w.cpuMsPerReq !== undefined ? `  server cpu ${w.cpuMsPerReq} ms/req` : '') +
      (w.loopBusy !== undefined ? `  event loop busy ${w.loopBusy}` : ''),
  );
  for (const e of result.error_samples) note(`api:   ${name} error: ${e}`);
  return w;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Several windows of one target as one result: medians, errors summed. */
function combine(windows: Window[]): { result: LoadResult; cpuMsPerReq?: number } {
  const rs = windows.map((w) => w.result);
  const med = (f: (r: LoadResult) => number) => round(median(rs.map(f)), 3);
  const result: LoadResult = {
    requests: rs.reduce((n, r) => n + r.requests, 0),
    total_ok: rs.reduce((n, r) => n + r.total_ok, 0),
    errors: rs.reduce((n, r) => n + r.errors, 0),
    rps: round(median(rs.map((r) => r.rps)), 1),
    p50_ms: med((r) => r.p50_ms),
    p90_ms: med((r) => r.p90_ms),
    p99_ms: med((r) => r.p99_ms),
    max_ms: Math.max(...rs.map((r) => r.max_ms)),
    mean_ms: med((r) => r.mean_ms),
    measured_ms: rs.reduce((n, r) => n + r.measured_ms, 0),
    client_cpu: med((r) => r.client_cpu),
    error_samples: rs.flatMap((r) => r.error_samples).slice(0, 5),
  };
  const cpus = windows.flatMap((w) => (w.cpuMsPerReq === undefined ? [] : [w.cpuMsPerReq]));
  return cpus.length > 0 ? { result, cpuMsPerReq: round(median(cpus), 3) } : { result };
}

/** Targets measured in alternating rounds (the ratio between them is what the goal is about). */
const PAIRED: readonly ApiTargetName[] = ['sesame', 'bare'];

export async function runApiBench(opts: ApiBenchOptions = {}): Promise<ApiBenchResult> {
  const o = {
    durationMs: opts.durationMs ?? 5000,
    warmupMs: opts.warmupMs ?? 1000,
    connections: opts.connections ?? 16,
  };
  const rounds = opts.rounds ?? 3;
  const note = opts.note ?? ((l: string) => process.stderr.write(`${l}\n`));
  const names = opts.targets ?? (['bare', 'sesame', 'moto', 'ses_v2_local'] as const);
  installExitHooks();
  const results: Partial<Record<ApiTargetName, LoadResult>> = {};
  let outboxRows: number | null = null;
  const cpuMsPerReq: Partial<Record<ApiTargetName, number>> = {};
  const windows: Partial<Record<ApiTargetName, Window[]>> = {};
  const started: Partial<Record<ApiTargetName, Target>> = {};
  /** Per round, Sesame over the bare server measured right after it. */
  const roundRatios: number[] = [];
  const round3 = (x: number) => round(x, 3);

  const start = async (name: ApiTargetName): Promise<Target | undefined> => {
    try {
      const s = await STARTERS[name]();
      if ('skipped' in s) {
        note(`api: ${name} skipped: ${s.skipped}`);
        return undefined;
      }
      for (const n of s.notes) note(`api: ${n}`);
      return s;
    } catch (e) {
      note(`api: ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  };
  /** A target's first window warms up three times longer: its code is still being compiled. */
  const measure = async (name: ApiTargetName, target: Target, first: boolean) => {
    try {
      const settings = first ? { ...o, warmupMs: o.warmupMs * 3 } : o;
      const w = await measureWindow(name, target, settings, first ? opts.profileDir : undefined, note);
      (windows[name] ??= []).push(w);
      return w;
    } catch (e) {
      note(`api: ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  };

  try {
    // Sesame and the bare ceiling take turns, window after window: the machine's speed drifts
    // (bare alone measured 4,500-8,700 req/s within an hour), and adjacent windows share it.
    for (const name of PAIRED) if (names.includes(name)) started[name] = await start(name);
    const sesame = started.sesame;
    const before = sesame && isSesame(sesame) ? await sesame.outboxCount() : 0;
    for (let r = 0; r < rounds; r++) {
      const round: Partial<Record<ApiTargetName, Window>> = {};
      for (const name of PAIRED) {
        const t = started[name];
        const w = t ? await measure(name, t, r === 0) : undefined;
        if (w) round[name] = w;
      }
      // A ratio only from windows of the same round (a failed window leaves its round out).
      if (round.sesame && round.bare && round.bare.result.rps > 0)
        roundRatios.push(round3(round.sesame.result.rps / round.bare.result.rps));
    }
    if (sesame && isSesame(sesame)) {
      outboxRows = (await sesame.outboxCount()) - before;
      const answered = (windows.sesame ?? []).reduce((n, w) => n + w.result.requests, 0);
      if (outboxRows < answered)
        note(
          `api: WARNING sesame answered ${answered} x 200 but only ${outboxRows} outbox rows were written`,
        );
    }
    for (const name of PAIRED) {
      await started[name]?.stop();
      delete started[name];
    }
    // The peers: one window each.
    for (const name of names) {
      if (PAIRED.includes(name)) continue;
      const t = await start(name);
      if (!t) continue;
      try {
        await measure(name, t, true);
      } finally {
        await t.stop();
      }
    }
  } finally {
    for (const t of Object.values(started)) await t?.stop();
    await stopAllProcesses();
  }
  for (const [name, ws] of Object.entries(windows) as [ApiTargetName, Window[]][]) {
    if (ws.length === 0) continue;
    const c = combine(ws);
    results[name] = c.result;
    if (c.cpuMsPerReq !== undefined) cpuMsPerReq[name] = c.cpuMsPerReq;
  }
  if (roundRatios.length > 0) note(`api: sesame/bare per round: ${roundRatios.join(', ')}`);

  const rps = (n: ApiTargetName) => results[n]?.rps ?? null;
  const ratio = (a: number | null, b: number | null, digits: number) =>
    a !== null && b ? round(a / b, digits) : null;
  const ratioVsMoto = ratio(rps('sesame'), rps('moto'), 1);
  const ratioVsBare = roundRatios.length > 0 ? round(median(roundRatios), 3) : null;
  const sesameP99 = results.sesame?.p99_ms ?? null;
  return {
    bench: 'api.sesv2.SendEmail',
    connections: o.connections,
    duration_s: o.durationMs / 1000,
    sesame_rps: rps('sesame'),
    moto_rps: rps('moto'),
    bare_rps: rps('bare'),
    ses_v2_local_rps: rps('ses_v2_local'),
    ratio_vs_moto: ratioVsMoto,
    ratio_vs_bare: ratioVsBare,
    round_ratios_vs_bare: roundRatios,
    rounds,
    sesame_p50_ms: results.sesame?.p50_ms ?? null,
    sesame_p99_ms: sesameP99,
    moto_p50_ms: results.moto?.p50_ms ?? null,
    moto_p99_ms: results.moto?.p99_ms ?? null,
    bare_p50_ms: results.bare?.p50_ms ?? null,
    bare_p99_ms: results.bare?.p99_ms ?? null,
    sesame_errors: results.sesame?.errors ?? null,
    moto_errors: results.moto?.errors ?? null,
    bare_errors: results.bare?.errors ?? null,
    sesame_cpu_ms_per_req: cpuMsPerReq.sesame ?? null,
    moto_cpu_ms_per_req: cpuMsPerReq.moto ?? null,
    bare_cpu_ms_per_req: cpuMsPerReq.bare ?? null,
    cpu_ratio_vs_moto: ratio(cpuMsPerReq.moto ?? null, cpuMsPerReq.sesame ?? null, 2),
    cpu_ratio_vs_bare: ratio(cpuMsPerReq.bare ?? null, cpuMsPerReq.sesame ?? null, 3),
    sesame_outbox_rows: outboxRows,
    goals: {
      ratio_vs_moto: API_GOALS.ratioVsMoto,
      ratio_vs_bare: API_GOALS.ratioVsBare,
      sesame_p99_ms: API_GOALS.sesameP99Ms,
    },
    goals_met: {
      ratio_vs_moto: ratioVsMoto === null ? null : ratioVsMoto >= API_GOALS.ratioVsMoto,
      ratio_vs_bare: ratioVsBare === null ? null : ratioVsBare >= API_GOALS.ratioVsBare,
      sesame_p99_ms: sesameP99 === null ? null : sesameP99 <= API_GOALS.sesameP99Ms,
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      connections: { type: 'string', default: '16' },
      only: { type: 'string' },
      rounds: { type: 'string', default: '3' },
      'profile-dir': { type: 'string' },
    },
  });
  const targets = values.only?.split(',').map((s) => s.trim()) as ApiTargetName[] | undefined;
  for (const t of targets ?? []) if (!(t in STARTERS)) throw new Error(`unknown target ${t}`);
  const result = await runApiBench({
    durationMs: Number(values.duration) * 1000,
    warmupMs: Number(values.warmup) * 1000,
    connections: Number(values.connections),
    rounds: Number(values.rounds),
    targets,
    profileDir: values['profile-dir'],
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
