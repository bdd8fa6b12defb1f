// SES v2 import and export jobs: the seven operations, and the workers that run the jobs in the
// background from the durable jobs table (a job survives a restart and resumes where it stood).
import type { Logger } from 'pino';
import type { OperationTable } from '../../api/operation.js';
import type { Config } from '../../config/config.js';
import { s3AccessFor } from '../../s3/index.js';
import { bucketAllowed } from '../../s3/bucket-access.js';
import type { Store } from '../../store/database.js';
import { exportJobOperations } from './export-operations.js';
import { importJobOperations } from './import-operations.js';
import { startJobWorker } from './worker.js';

export { startJobWorker } from './worker.js';
export { DEFAULT_JOB_TUNING, type JobTuning } from './run.js';

export const jobOperations: OperationTable = { ...importJobOperations, ...exportJobOperations };

/** Jobs run at once on a node that delivers (SESAME_DELIVERY_CONCURRENCY > 0): accept-only nodes run none. */
export const JOB_CONCURRENCY = 2;

export function startJobs(config: Config, store: Store, log: Logger): { stop(): Promise<void> } {
  if (config.deliveryConcurrency <= 0) return { stop: async () => {} };
  return startJobWorker({
    store,
    ...(config.s3 ? { s3: s3AccessFor(config.s3, config.region)! } : {}),
    ...(config.s3?.exportLocation ? { exportLocation: config.s3.exportLocation } : {}),
    mayUseBucket: (accountId, bucket) => bucketAllowed(config, accountId, bucket),
    log,
    concurrency: Math.min(JOB_CONCURRENCY, config.deliveryConcurrency),
  });
}
