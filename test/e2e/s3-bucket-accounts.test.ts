// Sesame reaches S3 with the operator's one key; AWS lets SES into a bucket only through a bucket
// policy naming the account. So an account's import and export jobs and receipt S3 actions may use
// only the buckets SESAME_S3_BUCKET_ACCOUNTS grants it, and an unlisted bucket is the operator's own
// account's alone. Before, any account could read any bucket the key reached (an import copies
// refused lines into a report it then downloads) and write any of them (export, receipt action).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateReceiptRuleCommand, CreateReceiptRuleSetCommand } from '@aws-sdk/client-ses';
import {
  CreateExportJobCommand,
  CreateImportJobCommand,
  GetExportJobCommand,
  GetImportJobCommand,
  type GetExportJobResponse,
  type GetImportJobResponse,
} from '@aws-sdk/client-sesv2';
import { testDialects } from '../../src/store/database.js';
import { jobEnded } from '../support/jobs.js';
import { startMotoS3, type MotoS3 } from '../support/inbound.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { clientsFor, errorOf, secondAccount, type Clients } from '../support/ses-fixtures.js';

const B = '222233334444';
const C = '555566667777';

let moto: MotoS3;
beforeAll(async () => {
  moto = await startMotoS3();
}, 60_000);
afterAll(async () => moto?.stop());

describe.each(testDialects())('S3 buckets per account (%s)', (dialect) => {
  let server: TestServer;
  let operator: Clients;
  let rootB: Clients;
  let rootC: Clients;
  const mine = `operator-${dialect}`;
  const bs = `b-${dialect}`;
  beforeAll(async () => {
    for (const b of [mine, bs]) await moto.createBucket(b);
    await moto.s3.send(new PutObjectCommand({ Bucket: mine, Key: 'secret.csv', Body: 'payroll line one\n' }));
    await moto.s3.send(new PutObjectCommand({ Bucket: bs, Key: 'in.csv', Body: 'b@example.com,BOUNCE\n' }));
    server = await startTestServer(
      {
        SESAME_S3_ENDPOINT: moto.endpoint,
        SESAME_S3_ACCESS_KEY_ID: 'moto',
        SESAME_S3_SECRET_ACCESS_KEY: 'moto',
        SESAME_S3_BUCKET_ACCOUNTS: `${bs}=${B}`,
      },
      dialect,
    );
    operator = clientsFor(server, server.credentials);
    rootB = (await secondAccount(server, B)).root;
    rootC = (await secondAccount(server, C)).root;
  });
  afterAll(async () => server?.stop());

  const importEnded = (c: Clients, JobId: string): Promise<GetImportJobResponse> =>
    jobEnded(() => c.v2.send(new GetImportJobCommand({ JobId })));
  const exportEnded = (c: Clients, JobId: string): Promise<GetExportJobResponse> =>
    jobEnded(() => c.v2.send(new GetExportJobCommand({ JobId })));
  const importFrom = (c: Clients, url: string) =>
    c.v2.send(
      new CreateImportJobCommand({
        ImportDestination: { SuppressionListDestination: { SuppressionListImportAction: 'PUT' } },
        ImportDataSource: { S3Url: url, DataFormat: 'CSV' },
      }),
    );
  const exportTo = (c: Clients, url: string) =>
    c.v2.send(
      new CreateExportJobCommand({
        ExportDataSource: {
          MetricsDataSource: {
            Namespace: 'VDM',
            Dimensions: { EMAIL_IDENTITY: ['*'] },
            Metrics: [{ Name: 'SEND', Aggregation: 'VOLUME' }],
            StartDate: new Date(Date.now() - 86_400_000),
            EndDate: new Date(),
          },
        },
        ExportDestination: { DataFormat: 'CSV', S3Url: url },
      }),
    );

  it("refuses another account's import from the operator's bucket, and reads nothing of it", async () => {
    const { JobId } = await importFrom(rootB, `s3://${mine}/secret.csv`);
    const job = await importEnded(rootB, JobId!);
    expect(job.JobStatus).toBe('FAILED');
    expect(job.FailureInfo).toEqual({
      ErrorMessage: `Access Denied: this account may not use S3 bucket ${mine} (SESAME_S3_BUCKET_ACCOUNTS)`,
    });
    expect(job.ProcessedRecordsCount ?? 0).toBe(0);
    // An account the bucket is granted to reads it; an account without a grant does not.
    const own = await importEnded(rootB, (await importFrom(rootB, `s3://${bs}/in.csv`)).JobId!);
    expect([own.JobStatus, own.ProcessedRecordsCount]).toEqual(['COMPLETED', 1]);
    const other = await importEnded(rootC, (await importFrom(rootC, `s3://${bs}/in.csv`)).JobId!);
    expect(other.JobStatus).toBe('FAILED');
    // The operator's account keeps its unlisted buckets, and is refused a bucket granted to others.
    const operatorsOwn = await importEnded(
      operator,
      (await importFrom(operator, `s3://${mine}/secret.csv`)).JobId!,
    );
    expect(operatorsOwn.JobStatus).toBe('COMPLETED');
    const granted = await importEnded(operator, (await importFrom(operator, `s3://${bs}/in.csv`)).JobId!);
    expect(granted.JobStatus).toBe('FAILED');
  });

  it("refuses another account's export into the operator's bucket, and writes nothing there", async () => {
    const job = await exportEnded(rootB, (await exportTo(rootB, `s3://${mine}/overwrite.csv`)).JobId!);
    expect(job.JobStatus).toBe('FAILED');
    expect(job.FailureInfo?.ErrorMessage).toBe(
      `Access Denied: this account may not use S3 bucket ${mine} (SESAME_S3_BUCKET_ACCOUNTS)`,
    );
    const read = await moto.s3
      .send(new GetObjectCommand({ Bucket: mine, Key: 'overwrite.csv' }))
      .catch((e: Error) => e);
    expect((read as Error).name).toBe('NoSuchKey');
    await new Promise((r) => setTimeout(r, 1100)); // CreateExportJob: once a second
    const own = await exportEnded(rootB, (await exportTo(rootB, `s3://${bs}/out.csv`)).JobId!);
    expect(own.JobStatus).toBe('COMPLETED');
  });

  it("refuses a receipt rule of another account that writes to the operator's bucket", async () => {
    await rootB.v1.send(new CreateReceiptRuleSetCommand({ RuleSetName: 'rs' }));
    const rule = (bucket: string, name: string) =>
      new CreateReceiptRuleCommand({
        RuleSetName: 'rs',
        Rule: { Name: name, Enabled: true, Actions: [{ S3Action: { BucketName: bucket } }] },
      });
    expect(await errorOf(rootB.v1.send(rule(mine, 'theirs')))).toEqual({
      name: 'InvalidS3ConfigurationException',
      status: 400,
      message: `Could not write to bucket: ${mine}`,
    });
    await rootB.v1.send(rule(bs, 'own'));
  });
});

// The emulator profile has one account, whose root every caller acts as: any bucket is the caller's,
// as on moto (moto's receipt-rule suite writes to the buckets it creates; it failed here before).
describe('S3 buckets in the emulator profile', () => {
  let server: TestServer;
  beforeAll(async () => {
    await moto.createBucket('emulator-bucket');
    server = await startTestServer({
      SESAME_PROFILE: 'emulator',
      SESAME_S3_ENDPOINT: moto.endpoint,
      SESAME_S3_ACCESS_KEY_ID: 'moto',
      SESAME_S3_SECRET_ACCESS_KEY: 'moto',
    });
  });
  afterAll(async () => server?.stop());

  it('lets a receipt rule write to a bucket that exists, and refuses one that does not', async () => {
    const ses = clientsFor(server, { accessKeyId: 'testing', secretAccessKey: 'testing' }).v1;
    await ses.send(new CreateReceiptRuleSetCommand({ RuleSetName: 'rs' }));
    const rule = (bucket: string, name: string) =>
      new CreateReceiptRuleCommand({
        RuleSetName: 'rs',
        Rule: {
          Name: name,
          Enabled: true,
          Actions: [{ S3Action: { BucketName: bucket, ObjectKeyPrefix: 'p/' } }],
        },
      });
    await ses.send(rule('emulator-bucket', 'kept'));
    const note = await moto.s3.send(
      new GetObjectCommand({ Bucket: 'emulator-bucket', Key: 'p/AMAZON_SES_SETUP_NOTIFICATION' }),
    );
    expect(await note.Body!.transformToString()).toContain('emulator-bucket');
    expect(await errorOf(ses.send(rule('no-such-bucket', 'lost')))).toEqual({
      name: 'InvalidS3ConfigurationException',
      status: 400,
      message: 'Could not write to bucket: no-such-bucket',
    });
  });
});
