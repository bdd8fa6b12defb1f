// Import and export job workers: a claim loop (delivery/claim-loop.ts) over the jobs table, each
// job run under a lease from where it stood (run.ts). stop() lets jobs in flight reach their next
// step (up to stopTimeoutMs), then gives back what it holds; another claim resumes them.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { startClaimLoop } from '../../delivery/claim-loop.js';
import type { SesJobRow } from '../../store/schema/jobs.js';
import { claimJobs, LeaseLost, reclaimJobs, releaseJobs } from './queue.js';
import { runExport } from './run-export.js';
import { runImport } from './run-import.js';
import { DEFAULT_JOB_TUNING, runJob, type JobEnv, type JobTuning } from './run.js';

export interface JobWorkerDeps extends Omit<JobEnv, 'tuning' | 'now'> {
  log: Pick<Logger, 'warn' | 'error' | 'debug'>;
  /** Jobs this node runs at once. */
  concurrency: number;
  tuning?: Partial<JobTuning>;
  pollMs?: number;
  stopTimeoutMs?: number;
  workerId?: string;
  now?: () => Date;
}

export function startJobWorker(deps: JobWorkerDeps): { workerId: string; stop(): Promise<void> } {
  const tuning = { ...DEFAULT_JOB_TUNING, ...deps.tuning };
  const workerId = deps.workerId ?? `${hostname()}/${process.pid}/jobs-${randomUUID().slice(0, 8)}`;
  const now = deps.now ?? (() => new Date());
  const stopping = new AbortController();
  const env: JobEnv = {
    signal: stopping.signal,
    store: deps.store,
    ...(deps.s3 ? { s3: deps.s3 } : {}),
    ...(deps.exportLocation ? { exportLocation: deps.exportLocation } : {}),
    mayUseBucket: deps.mayUseBucket,
    now,
    tuning,
  };
  const loop = startClaimLoop<SesJobRow>({
    name: 'import/export jobs',
    queue: 'jobs',
    concurrency: deps.concurrency,
    pollMs: deps.pollMs ?? 500,
    stopTimeoutMs: deps.stopTimeoutMs ?? 10_000,
    now,
    log: deps.log,
    claim: (limit, at) => claimJobs(deps.store, { workerId, limit, now: at, leaseMs: tuning.leaseMs }),
    reclaim: (at) => reclaimJobs(deps.store, at),
    release: () => releaseJobs(deps.store, workerId),
    run: (row) =>
      runJob(env, workerId, row, { import: runImport, export: runExport }).then(
        () => deps.log.debug({ jobId: row.job_id }, 'job ran'),
        (err: unknown) => {
          // A lost job was cancelled or taken over; its progress stays where the last step left it.
          if (err instanceof LeaseLost) deps.log.warn({ jobId: row.job_id }, err.message);
          else deps.log.error({ err, jobId: row.job_id }, 'job failed');
        },
      ),
  });
  return {
    workerId,
    stop: () => {
      stopping.abort();
      return loop.stop();
    },
  };
}
