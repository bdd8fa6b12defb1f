// The jobs table as a queue, on both store dialects: one job goes to one claimer however many ask at
// once (nodes sharing a database), a worker that lost its job (lease expired, job cancelled) writes
// nothing, and a job taken over after its worker died resumes after the records already applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { freePort } from '../../../bench/support/processes.js';
import { startMotoS3, type MotoS3 } from '../../../test/support/inbound.js';
import { createS3Access } from '../../s3/index.js';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { cancelJob, getJob, insertJob } from './jobs.js';
import { claimJobs, LeaseLost, reclaimJobs, updateHeld } from './queue.js';
import { startJobWorker } from './worker.js';

const scope = { accountId: '111111111111', region: 'us-east-1' };
const T0 = 1_800_000_000_000;
const silent = { warn() {}, error() {}, debug() {} };

let moto: MotoS3;
beforeAll(async () => {
  moto = await startMotoS3();
  await moto.createBucket('jobs');
}, 60_000);
afterAll(async () => moto?.stop());

describe.each(testDialects())('import/export job queue (%s)', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => store.close());

  const importJob = (key: string, now = new Date(T0)) =>
    insertJob(
      store,
      scope,
      {
        kind: 'import',
        sourceType: 'SUPPRESSION_LIST',
        request: {
          ImportDestination: { SuppressionListDestination: { SuppressionListImportAction: 'PUT' } },
          ImportDataSource: { S3Url: `s3://jobs/${key}`, DataFormat: 'CSV' },
        },
      },
      now,
    );

  it('gives each job to one of many concurrent claimers', async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => importJob(`c${i}.csv`)));
    const claims = await Promise.all(
      ['w1', 'w2', 'w3', 'w4'].map((workerId) =>
        claimJobs(store, { workerId, limit: 5, now: T0, leaseMs: 1000 }),
      ),
    );
    const claimed = claims.flat().map((r) => r.job_id);
    expect(claimed.sort()).toEqual([...ids].sort());
    for (const row of claims.flat()) expect([row.status, Number(row.attempts)]).toEqual(['PROCESSING', 1]);
    // Nothing left to claim while the leases hold; an expired lease makes the job due again.
    expect(await claimJobs(store, { workerId: 'w5', limit: 20, now: T0 + 999, leaseMs: 1000 })).toEqual([]);
    expect(await reclaimJobs(store, T0 + 999)).toBe(0);
    expect(await reclaimJobs(store, T0 + 1001)).toBe(12);
    for (const id of ids) await cancelJob(store, scope, id, new Date(T0 + 2000));
  });

  it('fences a worker that lost its job: a cancelled job takes no more writes', async () => {
    const jobId = await importJob('f.csv');
    const [row] = await claimJobs(store, { workerId: 'w1', limit: 1, now: T0, leaseMs: 60_000 });
    const held = { jobId, workerId: 'w1', attempt: Number(row!.attempts) };
    await updateHeld(store, held, { processed_records: 10 });
    expect(await cancelJob(store, scope, jobId, new Date(T0 + 1))).toBe(true);
    await expect(updateHeld(store, held, { processed_records: 20 })).rejects.toBeInstanceOf(LeaseLost);
    expect(await getJob(store, scope, 'import', jobId)).toMatchObject({
      status: 'CANCELLED',
      processedRecords: 10,
    });
    expect(await cancelJob(store, scope, jobId, new Date(T0 + 2))).toBe(false);
  });

  it('resumes a job whose worker died after the records it had applied', async () => {
    const body = [
      'a@example.com,BOUNCE',
      'b@example.com,BOUNCE',
      'c@example.com,COMPLAINT',
      'd@example.com,BOUNCE',
    ];
    await moto.s3.send(
      new PutObjectCommand({ Bucket: 'jobs', Key: 'resume.csv', Body: `${body.join('\n')}\n` }),
    );
    const now = new Date();
    const jobId = await importJob('resume.csv', now);
    // A worker claimed it, applied two records with their progress, and died holding the lease.
    const [row] = await claimJobs(store, { workerId: 'dead', limit: 1, now: now.getTime(), leaseMs: 1 });
    await updateHeld(
      store,
      { jobId, workerId: 'dead', attempt: Number(row!.attempts) },
      { processed_records: 2 },
    );
    const s3 = createS3Access(
      { endpoint: moto.endpoint, accessKeyId: 'moto', secretAccessKey: 'moto' },
      { region: 'us-east-1' },
    );
    const worker = startJobWorker({
      store,
      s3,
      mayUseBucket: () => true,
      log: silent,
      concurrency: 1,
      pollMs: 20,
      tuning: { batchSize: 1 },
    });
    try {
      const until = Date.now() + 15_000;
      while ((await getJob(store, scope, 'import', jobId))?.status !== 'COMPLETED' && Date.now() < until)
        await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.stop();
      s3.close();
    }
    expect(await getJob(store, scope, 'import', jobId)).toMatchObject({
      status: 'COMPLETED',
      processedRecords: 4,
      failedRecords: 0,
    });
    // Only what the dead worker had not applied was applied now (its two records were not really
    // written here, which is how the test sees that they were skipped).
    const suppressed = await store.db
      .selectFrom('ses_suppressed_destinations')
      .select(['email_address', 'reason'])
      .where('account_id', '=', scope.accountId)
      .orderBy('email_address')
      .execute();
    expect(suppressed).toEqual([
      { email_address: 'c@example.com', reason: 'COMPLAINT' },
      { email_address: 'd@example.com', reason: 'BOUNCE' },
    ]);
  });

  it('retries while the S3 store does not answer, then fails the job after the last attempt', async () => {
    const now = new Date();
    const jobId = await importJob('down.csv', now);
    const port = await freePort(); // nobody listens there
    const s3 = createS3Access(
      { endpoint: `http://127.0.0.1:${port}`, accessKeyId: 'k', secretAccessKey: 's' },
      { region: 'us-east-1' },
    );
    const worker = startJobWorker({
      store,
      s3,
      mayUseBucket: () => true,
      log: silent,
      concurrency: 1,
      pollMs: 20,
      tuning: { maxAttempts: 3, retryBaseMs: 30, retryMaxMs: 100 },
    });
    try {
      const until = Date.now() + 15_000;
      while ((await getJob(store, scope, 'import', jobId))?.status !== 'FAILED' && Date.now() < until)
        await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.stop();
      s3.close();
    }
    const job = await getJob(store, scope, 'import', jobId);
    expect(job).toMatchObject({ status: 'FAILED', processedRecords: 0 });
    expect(job?.errorMessage).toMatch(/ECONNREFUSED/);
    const row = await store.db
      .selectFrom('ses_jobs')
      .select('attempts')
      .where('job_id', '=', jobId)
      .executeTakeFirst();
    expect(Number(row?.attempts)).toBe(3);
  });
});
