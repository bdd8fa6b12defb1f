// SES v2 SendEmail end to end: SigV4 verification, IAM decision (a user allowed ses:SendEmail only
// from one address), durable commit to the outbox — measured against moto_server with IAM on and
// against a bare node:http server (the ceiling), in the same run, with the same closed-loop client
// (a child process, 16 keep-alive connections, every request freshly signed).
//
//   npx tsx bench/api.bench.ts [--duration 5] [--warmup 1] [--connections 16] [--only sesame,moto,bare]
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
  /** Write a CPU profile of this process (the in-process servers) over each measurement window. */
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
  ratio_vs_bare: number | null;
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

export async function runApiBench(opts: ApiBenchOptions = {}): Promise<ApiBenchResult> {
  const o = {
    durationMs: opts.durationMs ?? 5000,
    warmupMs: opts.warmupMs ?? 1000,
    connections: opts.connections ?? 16,
  };
  const note = opts.note ?? ((l: string) => process.stderr.write(`${l}\n`));
  const names = opts.targets ?? (['bare', 'sesame', 'moto', 'ses_v2_local'] as const);
  installExitHooks();
  const results: Partial<Record<ApiTargetName, LoadResult>> = {};
  let outboxRows: number | null = null;
  const cpuMsPerReq: Partial<Record<ApiTargetName, number>> = {};

  try {
    for (const name of names) {
      let target: Target | undefined;
      try {
        const started = await STARTERS[name]();
        if ('skipped' in started) {
          note(`api: ${name} skipped: ${started.skipped}`);
          continue;
        }
        target = started;
        for (const n of target.notes) note(`api: ${n}`);
        const before = isSesame(target) ? await target.outboxCount() : 0;
        const cpu0 = process.cpuUsage();
        const loop0 = performance.eventLoopUtilization();
        const pid = target.pid;
        const procCpu0 = pid === undefined ? undefined : processCpuMs(pid);
        const load = () => runLoadInChild(spec(target as Target, o));
        let r: LoadResult;
        if (opts.profileDir && name !== 'moto' && name !== 'ses_v2_local') {
          const p = await profileWindow(opts.profileDir, `api-${name}`, load);
          r = p.result;
          note(`api: ${name} CPU profile of the measurement window: ${p.file}`);
        } else {
          r = await load();
        }
        results[name] = r;
        // In-process targets only: this process's CPU per answered request, a figure that holds
        // even when other work shares the machine (req/s does not).
        const cpu = process.cpuUsage(cpu0);
        // In-process targets: how busy the main thread was (1 = it was the bottleneck).
        const loopBusy = pid === undefined ? performance.eventLoopUtilization(loop0).utilization : undefined;
        const procCpu1 = pid === undefined ? undefined : processCpuMs(pid);
        const serverCpuMs =
          pid === undefined
            ? (cpu.user + cpu.system) / 1000
            : procCpu0 !== undefined && procCpu1 !== undefined
              ? procCpu1 - procCpu0
              : undefined;
        if (serverCpuMs !== undefined && r.total_ok > 0)
          cpuMsPerReq[name] = round(serverCpuMs / r.total_ok, 3);
        if (isSesame(target)) {
          outboxRows = (await target.outboxCount()) - before;
          if (outboxRows < r.requests) {
            note(
              `api: WARNING sesame answered ${r.requests} x 200 but only ${outboxRows} outbox rows were written`,
            );
          }
        }
        note(
          `api: ${name.padEnd(12)} ${String(r.rps).padStart(9)} req/s  p50 ${r.p50_ms} ms  p99 ${r.p99_ms} ms  ` +
            `max ${r.max_ms} ms  errors ${r.errors}  client cpu ${r.client_cpu}` +
            (cpuMsPerReq[name] !== undefined ? `  server cpu ${cpuMsPerReq[name]} ms/req` : '') +
            (loopBusy !== undefined ? `  event loop busy ${round(loopBusy, 2)}` : ''),
        );
        for (const s of r.error_samples) note(`api:   ${name} error: ${s}`);
      } catch (e) {
        note(`api: ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        await target?.stop();
      }
    }
  } finally {
    await stopAllProcesses();
  }

  const rps = (n: ApiTargetName) => results[n]?.rps ?? null;
  const ratio = (a: number | null, b: number | null, digits: number) =>
    a !== null && b ? round(a / b, digits) : null;
  const ratioVsMoto = ratio(rps('sesame'), rps('moto'), 1);
  const ratioVsBare = ratio(rps('sesame'), rps('bare'), 3);
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
      'profile-dir': { type: 'string' },
    },
  });
  const targets = values.only?.split(',').map((s) => s.trim()) as ApiTargetName[] | undefined;
  for (const t of targets ?? []) if (!(t in STARTERS)) throw new Error(`unknown target ${t}`);
  const result = await runApiBench({
    durationMs: Number(values.duration) * 1000,
    warmupMs: Number(values.warmup) * 1000,
    connections: Number(values.connections),
    targets,
    profileDir: values['profile-dir'],
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
