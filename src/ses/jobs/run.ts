// Running one claimed job: an import or an export, under its lease (kept alive while the job
// works, every write fenced by it). The job ends COMPLETED, or FAILED the way SES reports a job it
// could not do (FailureInfo.ErrorMessage); a temporary trouble (S3 unreachable, a cut stream) is
// retried with backoff from where the job stood, and fails the job after the last attempt.
import type { S3Access } from '../../s3/index.js';
import { S3Failure } from '../../s3/index.js';
import type { Store } from '../../store/database.js';
import type { SesJobRow } from '../../store/schema/jobs.js';
import { backoffMs } from '../../delivery/lease.js';
import { toJob, type Job, type S3Location } from './jobs.js';
import { finishJob, LeaseLost, retryJob, updateHeld, type Held } from './queue.js';
import { ImportFailure } from './import-entries.js';

export interface JobTuning {
  leaseMs: number;
  /** Records applied per transaction (and per progress step) of an import. */
  batchSize: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export const DEFAULT_JOB_TUNING: JobTuning = {
  leaseMs: 60_000,
  batchSize: 500,
  maxAttempts: 6,
  retryBaseMs: 2000,
  retryMaxMs: 5 * 60_000,
};

export interface JobEnv {
  store: Store;
  /** SESAME_S3_ENDPOINT's store; undefined when none is configured (jobs then fail). */
  s3?: S3Access;
  /** SESAME_S3_EXPORT_BUCKET: where exports without an S3Url go. */
  exportLocation?: { bucket: string; prefix: string };
  /** Whether a job of this account may read or write this bucket (src/s3/bucket-access.ts). */
  mayUseBucket: (accountId: string, bucket: string) => boolean;
  now: () => Date;
  tuning: JobTuning;
  /** Aborted when the worker stops: a job gives its lease back at its next step. */
  signal?: AbortSignal;
}

/** What a running job is given: its claim, and a way to record progress under it. */
export interface Running {
  env: JobEnv;
  held: Held;
  job: Job;
  /** Writes under the lease (progress, renewed lease); throws LeaseLost when the job was lost. */
  step(set: Partial<SesJobRow>, store?: Store): Promise<void>;
}

/**
 * Text as the store keeps it: PostgreSQL's text holds no NUL, and a write refused for one would
 * leave the job claimed again and again. A NUL reaches a message through the caller's S3Url.
 */
export const storable = (text: string): string => text.replaceAll('\u0000', '\uFFFD');

/** A job that cannot be done: it ends FAILED with this message. */
export class JobFailed extends Error {}

/** The worker is stopping: the job stays where it stands, to be resumed by the next claim. */
class Stopped extends Error {}

export const NO_S3 = 'Sesame has no S3 endpoint to read or write the object (SESAME_S3_ENDPOINT is not set).';

/** An S3 call's failure: a refusal ends the job; anything else is tried again later. */
export function s3Trouble(e: unknown, what: string, at: S3Location): Error {
  if (e instanceof S3Failure && e.permanent)
    return new JobFailed(`Failed to ${what} s3://${at.bucket}/${at.key}: ${e.message}`);
  return e instanceof Error ? e : new Error(String(e));
}

export type Runner = (r: Running) => Promise<void>;

export async function runJob(
  env: JobEnv,
  workerId: string,
  row: SesJobRow,
  runners: { import: Runner; export: Runner },
): Promise<void> {
  const held: Held = { jobId: row.job_id, workerId, attempt: Number(row.attempts) };
  const job = toJob(row);
  const { leaseMs } = env.tuning;
  const step = (set: Partial<SesJobRow>, store = env.store) =>
    env.signal?.aborted
      ? Promise.reject(new Stopped())
      : updateHeld(store, held, { ...set, lease_until: env.now().getTime() + leaseMs });
  // Long steps (reading a big object, computing an export) keep the lease alive.
  let lost: unknown;
  const keepAlive = setInterval(
    () => {
      step({}).catch((e: unknown) => (lost ??= e));
    },
    Math.max(50, leaseMs / 3),
  );
  try {
    await runners[job.kind]({
      env,
      held,
      job,
      step: (set, store) => (lost ? Promise.reject(lost) : step(set, store)),
    });
  } catch (e) {
    if (e instanceof LeaseLost) throw e;
    if (e instanceof Stopped) return;
    const now = env.now().getTime();
    const message = storable(e instanceof Error ? e.message : String(e));
    if (e instanceof JobFailed || e instanceof ImportFailure || held.attempt >= env.tuning.maxAttempts)
      await finishJob(env.store, held, now, { status: 'FAILED', error_message: message.slice(0, 1000) });
    else
      await retryJob(
        env.store,
        held,
        now + backoffMs(held.attempt, env.tuning.retryBaseMs, env.tuning.retryMaxMs),
        message,
      );
  } finally {
    clearInterval(keepAlive);
  }
}
