// Import and export jobs as stored: created by the API, listed newest last in pages, read with
// their progress. The worker's side of the same rows (claims, progress, outcome) is queue.ts.
import { randomUUID } from 'node:crypto';
import type { Store } from '../../store/database.js';
import type { JobKind, JobStatus, SesJobRow } from '../../store/schema/jobs.js';
import { readJson } from '../state/json.js';

export type { JobKind, JobStatus };

export interface S3Location {
  bucket: string;
  key: string;
}

export interface Job {
  jobId: string;
  kind: JobKind;
  accountId: string;
  region: string;
  sourceType: string;
  /** The Create call's members as given. */
  request: Record<string, unknown>;
  status: JobStatus;
  processedRecords: number;
  failedRecords: number;
  exportedRecords?: number;
  /** The export file, or an import's failure report. */
  output?: S3Location;
  errorMessage?: string;
  createdAt: Date;
  completedAt?: Date;
}

export function toJob(row: SesJobRow): Job {
  const job: Job = {
    jobId: row.job_id,
    kind: row.kind,
    accountId: row.account_id,
    region: row.region,
    sourceType: row.source_type,
    request: readJson<Record<string, unknown>>(row.request, {}),
    status: row.status,
    processedRecords: Number(row.processed_records),
    failedRecords: Number(row.failed_records),
    createdAt: new Date(Number(row.created_at)),
  };
  if (row.exported_records !== null) job.exportedRecords = Number(row.exported_records);
  if (row.output !== null) job.output = readJson<S3Location>(row.output, { bucket: '', key: '' });
  if (row.error_message !== null) job.errorMessage = row.error_message;
  if (row.completed_at !== null) job.completedAt = new Date(Number(row.completed_at));
  return job;
}

export interface Scope {
  accountId: string;
  region: string;
}

/** A new job, due at once. */
export async function insertJob(
  store: Store,
  scope: Scope,
  j: { kind: JobKind; sourceType: string; request: object },
  now: Date,
): Promise<string> {
  const jobId = randomUUID();
  await store.db
    .insertInto('ses_jobs')
    .values({
      job_id: jobId,
      kind: j.kind,
      account_id: scope.accountId,
      region: scope.region,
      source_type: j.sourceType,
      request: JSON.stringify(j.request),
      status: 'CREATED',
      processed_records: 0,
      failed_records: 0,
      exported_records: null,
      output: null,
      error_message: null,
      attempts: 0,
      lease_owner: null,
      lease_until: null,
      next_attempt_at: now.getTime(),
      created_at: now.getTime(),
      completed_at: null,
    })
    .execute();
  return jobId;
}

export async function getJob(
  store: Store,
  scope: Scope,
  kind: JobKind,
  jobId: string,
): Promise<Job | undefined> {
  const row = await store.db
    .selectFrom('ses_jobs')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row ? toJob(row) : undefined;
}

/** The paging key of a job: creation time, then id. */
export const jobKey = (j: Job): string => `${String(j.createdAt.getTime()).padStart(15, '0')}:${j.jobId}`;

export async function listJobs(
  store: Store,
  scope: Scope,
  kind: JobKind,
  o: { sourceType?: string; status?: string; after?: string; limit: number },
): Promise<Job[]> {
  let q = store.db
    .selectFrom('ses_jobs')
    .selectAll()
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('kind', '=', kind);
  if (o.sourceType !== undefined) q = q.where('source_type', '=', o.sourceType);
  if (o.status !== undefined) q = q.where('status', '=', o.status as JobStatus);
  if (o.after !== undefined) {
    const [t, id] = [Number(o.after.slice(0, 15)), o.after.slice(16)];
    q = q.where((eb) =>
      eb.or([eb('created_at', '>', t), eb.and([eb('created_at', '=', t), eb('job_id', '>', id)])]),
    );
  }
  const rows = await q.orderBy('created_at').orderBy('job_id').limit(o.limit).execute();
  return rows.map(toJob);
}

/** When the scope's latest job of `kind` was created (CreateExportJob's once-a-second rate). */
export async function latestCreation(store: Store, scope: Scope, kind: JobKind): Promise<number | undefined> {
  const row = await store.db
    .selectFrom('ses_jobs')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
}

/** Cancels a job that has not ended: true when it was CREATED or PROCESSING. Its worker's lease ends. */
export async function cancelJob(store: Store, scope: Scope, jobId: string, now: Date): Promise<boolean> {
  const res = await store.db
    .updateTable('ses_jobs')
    .set({ status: 'CANCELLED', lease_owner: null, lease_until: null, completed_at: now.getTime() })
    .where('job_id', '=', jobId)
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('status', 'in', ['CREATED', 'PROCESSING'])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
