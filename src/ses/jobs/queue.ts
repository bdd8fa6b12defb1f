// The worker's side of import and export jobs: each job row is its own queue entry. A worker claims
// due jobs (CREATED, or PROCESSING after a worker died or gave it back) under a lease (FOR UPDATE
// SKIP LOCKED on PostgreSQL, so nodes sharing a database share the jobs; one statement on SQLite,
// whose writer lock serialises claimers). Every write of a step is fenced by the lease and the claim's
// attempt number, so a worker that lost its job (lease expired, job cancelled) changes nothing.
import { sql } from 'kysely';
import type { Store } from '../../store/database.js';
import type { SesJobRow } from '../../store/schema/jobs.js';

export async function claimJobs(
  store: Store,
  o: { workerId: string; limit: number; now: number; leaseMs: number },
): Promise<SesJobRow[]> {
  if (o.limit <= 0) return [];
  const lease = {
    status: 'PROCESSING' as const,
    lease_owner: o.workerId,
    lease_until: o.now + o.leaseMs,
    attempts: sql<number>`attempts + 1`,
  };
  return store.db.transaction().execute(async (trx) => {
    const due = trx
      .selectFrom('ses_jobs')
      .select('job_id')
      .where('status', 'in', ['CREATED', 'PROCESSING'])
      .where('lease_owner', 'is', null)
      .where('next_attempt_at', '<=', o.now)
      .orderBy('next_attempt_at')
      .limit(o.limit);
    if (store.dialect === 'postgres') {
      const ids = (await due.forUpdate().skipLocked().execute()).map((r) => r.job_id);
      if (ids.length === 0) return [];
      return trx.updateTable('ses_jobs').set(lease).where('job_id', 'in', ids).returningAll().execute();
    }
    return trx.updateTable('ses_jobs').set(lease).where('job_id', 'in', due).returningAll().execute();
  });
}

/** Jobs whose worker's lease ran out are due again at once (they resume from their progress). */
export async function reclaimJobs(store: Store, now: number): Promise<number> {
  const res = await store.db
    .updateTable('ses_jobs')
    .set({ lease_owner: null, lease_until: null, next_attempt_at: now })
    .where('status', '=', 'PROCESSING')
    .where('lease_until', '<', now)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Gives back what `workerId` holds (graceful stop): another claim resumes it. */
export async function releaseJobs(store: Store, workerId: string): Promise<number> {
  const res = await store.db
    .updateTable('ses_jobs')
    .set({ lease_owner: null, lease_until: null })
    .where('lease_owner', '=', workerId)
    .where('status', '=', 'PROCESSING')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** A claim: who holds the job, in which attempt. */
export interface Held {
  jobId: string;
  workerId: string;
  attempt: number;
}

/** A step of a worker that no longer holds its job: nothing of it is written. */
export class LeaseLost extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} is no longer held (lease expired or job cancelled)`);
    this.name = 'LeaseLost';
  }
}

/** Updates the job only while `held` holds it; throws LeaseLost otherwise (rolling back the step). */
export async function updateHeld(store: Store, held: Held, set: Partial<SesJobRow>): Promise<void> {
  const res = await store.db
    .updateTable('ses_jobs')
    .set(set)
    .where('job_id', '=', held.jobId)
    .where('lease_owner', '=', held.workerId)
    .where('attempts', '=', held.attempt)
    .where('status', '=', 'PROCESSING')
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw new LeaseLost(held.jobId);
}

/** The job's end: COMPLETED or FAILED, with what it produced; the lease is given up. */
export function finishJob(
  store: Store,
  held: Held,
  now: number,
  end: Pick<Partial<SesJobRow>, 'output' | 'error_message' | 'exported_records' | 'processed_records'> & {
    status: 'COMPLETED' | 'FAILED';
  },
): Promise<void> {
  return updateHeld(store, held, { ...end, lease_owner: null, lease_until: null, completed_at: now });
}

/** Tries again later (a temporary failure): the lease is given up until `at`. */
export function retryJob(store: Store, held: Held, at: number, error: string): Promise<void> {
  return updateHeld(store, held, {
    lease_owner: null,
    lease_until: null,
    next_attempt_at: at,
    error_message: error.slice(0, 1000),
  });
}
