// Import and export jobs are durable: a job accepted by a node that runs none (an accept-only node,
// SESAME_DELIVERY_CONCURRENCY=0) waits in the store, CREATED, through that node's stop, and the next
// node started on the same store runs it. Both store dialects, S3 served by moto_server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateImportJobCommand,
  GetImportJobCommand,
  GetSuppressedDestinationCommand,
} from '@aws-sdk/client-sesv2';
import { testDialects } from '../../src/store/database.js';
import { startMotoS3, type MotoS3 } from '../support/inbound.js';
import { freshPostgresDatabase, startTestServer } from '../support/server.js';
import { clientsFor } from '../support/ses-fixtures.js';

let moto: MotoS3;
beforeAll(async () => {
  moto = await startMotoS3();
}, 60_000);
afterAll(async () => moto?.stop());

describe.each(testDialects())('jobs across a restart (%s)', (dialect) => {
  it('runs a job accepted before the restart, on the next node started', async () => {
    const bucket = `restart-${dialect}`;
    await moto.createBucket(bucket);
    await moto.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'list.csv', Body: 'kept@example.com,BOUNCE\n' }),
    );
    const dataDir = mkdtempSync(join(tmpdir(), 'sesame-jobs-'));
    const db = dialect === 'postgres' ? await freshPostgresDatabase() : undefined;
    const env = {
      SESAME_DATA_DIR: dataDir,
      ...(db ? { SESAME_DATABASE_URL: db.url } : {}),
      SESAME_S3_ENDPOINT: moto.endpoint,
      SESAME_S3_ACCESS_KEY_ID: 'moto',
      SESAME_S3_SECRET_ACCESS_KEY: 'moto',
    };
    try {
      const accepting = await startTestServer({ ...env, SESAME_DELIVERY_CONCURRENCY: '0' }, dialect);
      let JobId: string;
      try {
        const c = clientsFor(accepting, accepting.credentials);
        ({ JobId } = (await c.v2.send(
          new CreateImportJobCommand({
            ImportDestination: { SuppressionListDestination: { SuppressionListImportAction: 'PUT' } },
            ImportDataSource: { S3Url: `s3://${bucket}/list.csv`, DataFormat: 'CSV' },
          }),
        )) as { JobId: string });
        await new Promise((r) => setTimeout(r, 700)); // more than a claim loop's poll
        expect((await c.v2.send(new GetImportJobCommand({ JobId }))).JobStatus).toBe('CREATED');
      } finally {
        await accepting.stop();
      }
      const running = await startTestServer(env, dialect);
      try {
        const c = clientsFor(running, running.credentials);
        const until = Date.now() + 20_000;
        let status: string | undefined;
        while (status !== 'COMPLETED' && Date.now() < until) {
          status = (await c.v2.send(new GetImportJobCommand({ JobId }))).JobStatus;
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(await c.v2.send(new GetImportJobCommand({ JobId }))).toMatchObject({
          JobStatus: 'COMPLETED',
          ProcessedRecordsCount: 1,
          FailedRecordsCount: 0,
        });
        const entry = await c.v2.send(
          new GetSuppressedDestinationCommand({ EmailAddress: 'kept@example.com' }),
        );
        expect(entry.SuppressedDestination?.Reason).toBe('BOUNCE');
      } finally {
        await running.stop();
      }
    } finally {
      await db?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
