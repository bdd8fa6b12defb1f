// SES v2 export jobs end to end through @aws-sdk/client-sesv2, writing to a real S3-compatible store
// (moto_server): METRICS_DATA and MESSAGE_INSIGHTS exports of real sends through the mailbox
// simulator, the file answered as a pre-signed URL, the default export bucket, a missing bucket
// failing the job with FailureInfo, cancelling, the once-a-second rate, validation, paging, and
// authorization on `*` and the export-job ARN with ses:ExportSourceType.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  CancelExportJobCommand,
  CreateExportJobCommand,
  GetExportJobCommand,
  ListExportJobsCommand,
  type CreateExportJobRequest,
  type GetExportJobResponse,
} from '@aws-sdk/client-sesv2';
import { testDialects } from '../../src/store/database.js';
import { jobEnded } from '../support/jobs.js';
import { startMotoS3, type MotoS3 } from '../support/inbound.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  genericDenied,
  policyDoc,
  sendingServer,
  userWithPolicy,
  type Clients,
} from '../support/ses-fixtures.js';

const bad = (message: string) => ({ name: 'BadRequestException', status: 400, message });
const DAY = 86_400_000;
const today = () => new Date(Math.floor(Date.now() / DAY) * DAY);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let moto: MotoS3;
beforeAll(async () => {
  moto = await startMotoS3();
}, 60_000);
afterAll(async () => moto?.stop());

describe.each(testDialects())('SES v2 export jobs (%s)', (dialect) => {
  let server: TestServer;
  let root: Clients;
  const bucket = `exports-${dialect}`;
  let lastCreate = 0;
  beforeAll(async () => {
    await moto.createBucket(bucket);
    await moto.createBucket(`default-${dialect}`);
    ({ server, root } = await sendingServer((env) =>
      startTestServer(
        {
          ...env,
          SESAME_S3_ENDPOINT: moto.endpoint,
          SESAME_S3_ACCESS_KEY_ID: 'moto',
          SESAME_S3_SECRET_ACCESS_KEY: 'moto',
          SESAME_S3_EXPORT_BUCKET: `default-${dialect}/vdm`,
        },
        dialect,
      ),
    ));
    const send = (to: string[], Subject: string) =>
      root.v1.send(
        new SendEmailCommand({
          Source: 'news@example.com',
          Destination: { ToAddresses: to },
          Message: { Subject: { Data: Subject }, Body: { Text: { Data: 'b' } } },
        }),
      );
    await send(['success@simulator.amazonses.com', 'success+two@simulator.amazonses.com'], 'Weekly news');
    await send(['bounce@simulator.amazonses.com'], 'Monthly digest');
    // The capture transport delivers other addresses; GetMessageInsights (and so the export) shows
    // no per-recipient events of simulator addresses.
    await send(['reader@good.example'], 'Daily news');
    for (let i = 0; ; i++) {
      const rows = await server.app.store.db
        .selectFrom('delivery_events')
        .select('event_type')
        .where('event_type', 'in', ['Delivery', 'Bounce'])
        .execute();
      if (rows.length >= 4) break;
      if (i > 200) throw new Error('deliveries not recorded in time');
      await sleep(50);
    }
  });
  afterAll(async () => server?.stop());

  /** CreateExportJob, at most once a second as SES allows. */
  const create = async (input: CreateExportJobRequest, c = root): Promise<string> => {
    await sleep(Math.max(0, lastCreate + 1050 - Date.now()));
    lastCreate = Date.now();
    return (await c.v2.send(new CreateExportJobCommand(input))).JobId!;
  };
  const ended = (JobId: string): Promise<GetExportJobResponse> =>
    jobEnded(() => root.v2.send(new GetExportJobCommand({ JobId })));
  const metrics = (extra = {}) => ({
    MetricsDataSource: {
      Namespace: 'VDM' as const,
      Dimensions: { EMAIL_IDENTITY: ['*'] },
      Metrics: [
        { Name: 'SEND' as const, Aggregation: 'VOLUME' as const },
        { Name: 'DELIVERY' as const, Aggregation: 'VOLUME' as const },
        { Name: 'PERMANENT_BOUNCE' as const, Aggregation: 'RATE' as const },
      ],
      StartDate: today(),
      EndDate: new Date(today().getTime() + DAY),
      ...extra,
    },
  });

  it('exports daily metrics per identity as JSON and answers the file as a pre-signed URL', async () => {
    const JobId = await create({
      ExportDataSource: metrics(),
      ExportDestination: { DataFormat: 'JSON', S3Url: `s3://${bucket}/metrics/` },
    });
    const job = await ended(JobId);
    expect(job).toMatchObject({
      JobId,
      ExportSourceType: 'METRICS_DATA',
      JobStatus: 'COMPLETED',
      Statistics: { ProcessedRecordsCount: 1, ExportedRecordsCount: 1 },
    });
    expect(job.FailureInfo).toBeUndefined();
    expect(job.ExportDataSource?.MetricsDataSource?.Dimensions).toEqual({ EMAIL_IDENTITY: ['*'] });
    const url = job.ExportDestination!.S3Url!;
    expect(url).toMatch(
      new RegExp(`^${moto.endpoint}/${bucket}/metrics/${JobId}\\.json\\?.*X-Amz-Signature=`),
    );
    const file = await fetch(url);
    expect(file.status).toBe(200);
    expect(
      (await file.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      {
        Timestamp: today().toISOString(),
        EMAIL_IDENTITY: 'example.com',
        SEND_VOLUME: 4,
        DELIVERY_VOLUME: 3,
        PERMANENT_BOUNCE_RATE: 1 / 4,
      },
    ]);
  });

  it('exports message insights as CSV, filtered, to the default export bucket', async () => {
    const JobId = await create({
      ExportDataSource: {
        MessageInsightsDataSource: {
          StartDate: new Date(Date.now() - DAY),
          EndDate: new Date(Date.now() + 60_000),
          Include: { Subject: ['*ly *'] },
          Exclude: { Destination: ['success+two@*'] },
        },
      },
      ExportDestination: { DataFormat: 'CSV' },
    });
    const job = await ended(JobId);
    expect(job).toMatchObject({
      ExportSourceType: 'MESSAGE_INSIGHTS',
      JobStatus: 'COMPLETED',
      Statistics: { ProcessedRecordsCount: 4, ExportedRecordsCount: 3 },
    });
    expect(job.ExportDestination!.S3Url).toContain(`/default-${dialect}/vdm/${JobId}.csv?`);
    const lines = (await moto.get(`default-${dialect}`, `vdm/${JobId}.csv`))
      .toString('utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      'MessageId,SendTimestamp,FromEmailAddress,Subject,Destination,Isp,LastDeliveryEvent,LastEngagementEvent,EmailTags',
    );
    expect(lines.slice(1).map((l) => l.split(',').slice(2, 7))).toEqual([
      ['news@example.com', 'Weekly news', 'success@simulator.amazonses.com', '', 'SEND'],
      ['news@example.com', 'Monthly digest', 'bounce@simulator.amazonses.com', '', 'SEND'],
      ['news@example.com', 'Daily news', 'reader@good.example', '', 'DELIVERY'],
    ]);
  });

  it('fails a job whose bucket does not exist, with FailureInfo', async () => {
    const JobId = await create({
      ExportDataSource: metrics(),
      ExportDestination: { DataFormat: 'CSV', S3Url: 's3://no-such-export-bucket/out.csv' },
    });
    const job = await ended(JobId);
    expect(job.JobStatus).toBe('FAILED');
    expect(job.CompletedTimestamp).toBeInstanceOf(Date);
    expect(job.FailureInfo?.ErrorMessage).toMatch(
      /^Failed to write the export to s3:\/\/no-such-export-bucket\/out\.csv: /,
    );
    expect(job.ExportDestination).toEqual({ DataFormat: 'CSV', S3Url: 's3://no-such-export-bucket/out.csv' });
  });

  it('refuses bad requests with the errors SES gives, and more than one creation a second', async () => {
    const refused = (input: object) => errorOf(root.v2.send(new CreateExportJobCommand(input as never)));
    const dest = { DataFormat: 'CSV' };
    const one = bad(
      'ExportDataSource must contain exactly one of MetricsDataSource or MessageInsightsDataSource.',
    );
    expect(await refused({ ExportDataSource: {}, ExportDestination: dest })).toEqual(one);
    const insights = { MessageInsightsDataSource: { StartDate: today(), EndDate: today() } };
    expect(
      await refused({ ExportDataSource: { ...metrics(), ...insights }, ExportDestination: dest }),
    ).toEqual(one);
    expect(await refused({ ExportDataSource: insights, ExportDestination: { DataFormat: 'XML' } })).toEqual(
      bad(
        "1 validation error detected: Value 'XML' at 'exportDestination.dataFormat' failed to satisfy constraint: Member must satisfy enum value set: [CSV, JSON]",
      ),
    );
    const { MetricsDataSource: m } = metrics();
    const withMetrics = (o: object) =>
      refused({ ExportDataSource: { MetricsDataSource: { ...m, ...o } }, ExportDestination: dest });
    expect(await withMetrics({ Dimensions: { ISP: ['*', 'Gmail'] } })).toEqual(
      bad('Dimension ISP: the wildcard "*" cannot be combined with other values.'),
    );
    expect(await withMetrics({ Dimensions: { ISP: ['*'], CONFIGURATION_SET: ['a', 'b'] } })).toEqual(
      bad('When a dimension has the wildcard "*" value, the other dimensions can only contain one value.'),
    );
    expect(await withMetrics({ EndDate: m.StartDate })).toEqual(bad('EndDate must be after StartDate.'));
    expect(await withMetrics({ Metrics: [{ Name: 'SEND' }] })).toEqual(
      bad('Each ExportMetric must have a Name and an Aggregation.'),
    );
    await create({
      ExportDataSource: insights,
      ExportDestination: { DataFormat: 'JSON', S3Url: `s3://${bucket}/x/` },
    });
    expect(await refused({ ExportDataSource: insights, ExportDestination: dest })).toEqual({
      name: 'TooManyRequestsException',
      status: 429,
      message: 'Rate exceeded: CreateExportJob can be called once per second.',
    });
    expect(await errorOf(root.v2.send(new GetExportJobCommand({ JobId: 'nope' })))).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'Export job nope does not exist.',
    });
    expect(await errorOf(root.v2.send(new CancelExportJobCommand({ JobId: 'nope' })))).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'Export job nope does not exist.',
    });
  });

  it('cancels a job not yet run, not one that has ended', async () => {
    const [done] = (await root.v2.send(new ListExportJobsCommand({ JobStatus: 'COMPLETED' }))).ExportJobs!;
    expect(await errorOf(root.v2.send(new CancelExportJobCommand({ JobId: done!.JobId })))).toEqual(
      bad(`Export job ${done!.JobId} is COMPLETED and cannot be cancelled.`),
    );
    // A node that runs no jobs (SESAME_DELIVERY_CONCURRENCY=0) leaves the job CREATED.
    const idle = await startTestServer(
      {
        SESAME_DELIVERY_CONCURRENCY: '0',
        SESAME_S3_ENDPOINT: moto.endpoint,
        SESAME_S3_EXPORT_BUCKET: bucket,
      },
      dialect,
    );
    try {
      const c = clientsFor(idle, idle.credentials);
      const JobId = (
        await c.v2.send(
          new CreateExportJobCommand({
            ExportDataSource: metrics(),
            ExportDestination: { DataFormat: 'CSV' },
          }),
        )
      ).JobId!;
      expect((await c.v2.send(new GetExportJobCommand({ JobId }))).JobStatus).toBe('CREATED');
      await c.v2.send(new CancelExportJobCommand({ JobId }));
      const job = await c.v2.send(new GetExportJobCommand({ JobId }));
      expect(job).toMatchObject({ JobStatus: 'CANCELLED', Statistics: { ProcessedRecordsCount: 0 } });
      expect(job.CompletedTimestamp).toBeInstanceOf(Date);
      expect(await errorOf(c.v2.send(new CancelExportJobCommand({ JobId })))).toEqual(
        bad(`Export job ${JobId} is CANCELLED and cannot be cancelled.`),
      );
    } finally {
      await idle.stop();
    }
  });

  it('lists export jobs in pages, filtered by source type and status', async () => {
    const all = await root.v2.send(new ListExportJobsCommand({}));
    expect(all.ExportJobs?.map((j) => [j.ExportSourceType, j.JobStatus])).toEqual([
      ['METRICS_DATA', 'COMPLETED'],
      ['MESSAGE_INSIGHTS', 'COMPLETED'],
      ['METRICS_DATA', 'FAILED'],
      ['MESSAGE_INSIGHTS', expect.any(String)],
    ]);
    const first = await root.v2.send(new ListExportJobsCommand({ PageSize: 3 }));
    const rest = await root.v2.send(new ListExportJobsCommand({ PageSize: 3, NextToken: first.NextToken! }));
    expect([...first.ExportJobs!, ...rest.ExportJobs!].map((j) => j.JobId)).toEqual(
      all.ExportJobs!.map((j) => j.JobId),
    );
    expect(rest.NextToken).toBeUndefined();
    expect(await errorOf(root.v2.send(new ListExportJobsCommand({ NextToken: 'not-a-token' })))).toEqual(
      bad('Invalid NextToken'),
    );
    const failed = await root.v2.send(
      new ListExportJobsCommand({ ExportSourceType: 'METRICS_DATA', JobStatus: 'FAILED' }),
    );
    expect(failed.ExportJobs).toHaveLength(1);
  });

  it('authorizes on `*` and the export-job ARN, with ses:ExportSourceType', async () => {
    const [first] = (await root.v2.send(new ListExportJobsCommand({ ExportSourceType: 'METRICS_DATA' })))
      .ExportJobs!;
    const arn = (id: string) => `arn:aws:ses:us-east-1:${ACCOUNT}:export-job/${id}`;
    const user = await userWithPolicy(
      root,
      policyDoc(
        { Effect: 'Allow', Action: 'ses:GetExportJob', Resource: arn(first!.JobId!) },
        {
          Effect: 'Allow',
          Action: ['ses:ListExportJobs', 'ses:CreateExportJob'],
          Resource: '*',
          Condition: { StringEquals: { 'ses:ExportSourceType': 'MESSAGE_INSIGHTS' } },
        },
      ),
    );
    const u = clientsFor(server, user.creds);
    expect((await u.v2.send(new GetExportJobCommand({ JobId: first!.JobId }))).JobId).toBe(first!.JobId);
    const denied = (action: string, resource: string) => ({
      name: 'AccessDeniedException',
      status: 403,
      message: `User: ${user.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
    });
    expect(await errorOf(u.v2.send(new CancelExportJobCommand({ JobId: first!.JobId })))).toEqual(
      denied('ses:CancelExportJob', arn(first!.JobId!)),
    );
    expect(await errorOf(u.v2.send(new GetExportJobCommand({ JobId: 'other' })))).toEqual(
      denied('ses:GetExportJob', arn('other')),
    );
    // The condition holds only for the source type it names; a list without a type has no key.
    expect(
      (await u.v2.send(new ListExportJobsCommand({ ExportSourceType: 'MESSAGE_INSIGHTS' }))).ExportJobs,
    ).toHaveLength(2);
    expect(await errorOf(u.v2.send(new ListExportJobsCommand({})))).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: genericDenied(user.arn, 'ses:ListExportJobs'),
    });
    expect(
      await errorOf(create({ ExportDataSource: metrics(), ExportDestination: { DataFormat: 'CSV' } }, u)),
    ).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: genericDenied(user.arn, 'ses:CreateExportJob'),
    });
    const before = (await root.v2.send(new ListExportJobsCommand({}))).ExportJobs!.length;
    const JobId = await create(
      {
        ExportDataSource: { MessageInsightsDataSource: { StartDate: today(), EndDate: today() } },
        ExportDestination: { DataFormat: 'JSON', S3Url: `s3://${bucket}/u/` },
      },
      u,
    );
    expect((await ended(JobId)).JobStatus).toBe('COMPLETED');
    expect((await root.v2.send(new ListExportJobsCommand({}))).ExportJobs).toHaveLength(before + 1);
  });

  it('fails a metrics export of more than 100,000 records before building any, writing nothing', async () => {
    // Four centuries of days for one identity: the file would be built in the node's memory.
    const JobId = await create({
      ExportDataSource: metrics({
        Dimensions: { EMAIL_IDENTITY: ['example.com'] },
        StartDate: new Date('2000-01-01T00:00:00Z'),
        EndDate: new Date('2400-01-01T00:00:00Z'),
      }),
      ExportDestination: { DataFormat: 'CSV', S3Url: `s3://${bucket}/centuries.csv` },
    });
    const job = await ended(JobId);
    expect(job).toMatchObject({
      JobStatus: 'FAILED',
      FailureInfo: {
        ErrorMessage: 'The export would have 146097 records: at most 100000 are allowed in one job.',
      },
      ExportDestination: { DataFormat: 'CSV', S3Url: `s3://${bucket}/centuries.csv` },
    });
    await expect(
      moto.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'centuries.csv' })),
    ).rejects.toThrow();
  });
});
