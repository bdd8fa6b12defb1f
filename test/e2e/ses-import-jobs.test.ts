// SES v2 import jobs end to end through @aws-sdk/client-sesv2, reading from a real S3-compatible
// store (moto_server): suppression-list and contact-list imports of CSV and JSON files, records
// refused and reported (FailedRecordsS3Url, a pre-signed URL that a plain GET reads), a missing
// object or bucket failing the job with FailureInfo, validation, paging, and authorization on `*`
// and on the import-job ARN.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateContactListCommand,
  CreateImportJobCommand,
  GetContactCommand,
  GetImportJobCommand,
  ListContactsCommand,
  ListImportJobsCommand,
  ListSuppressedDestinationsCommand,
  PutSuppressedDestinationCommand,
  type GetImportJobResponse,
  type ImportDestination,
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
  userWithPolicy,
  type Clients,
} from '../support/ses-fixtures.js';

const bad = (message: string) => ({ name: 'BadRequestException', status: 400, message });
const SUPPRESS_PUT: ImportDestination = {
  SuppressionListDestination: { SuppressionListImportAction: 'PUT' },
};

let moto: MotoS3;
beforeAll(async () => {
  moto = await startMotoS3();
}, 60_000);
afterAll(async () => moto?.stop());

describe.each(testDialects())('SES v2 import jobs (%s)', (dialect) => {
  let server: TestServer;
  let root: Clients;
  const bucket = `imports-${dialect}`;
  beforeAll(async () => {
    await moto.createBucket(bucket);
    server = await startTestServer(
      {
        SESAME_S3_ENDPOINT: moto.endpoint,
        SESAME_S3_ACCESS_KEY_ID: 'moto',
        SESAME_S3_SECRET_ACCESS_KEY: 'moto',
      },
      dialect,
    );
    root = clientsFor(server, server.credentials);
  });
  afterAll(async () => server?.stop());

  const upload = (key: string, body: string) =>
    moto.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

  /** Polls GetImportJob until the job has ended. */
  const ended = (JobId: string, c = root): Promise<GetImportJobResponse> =>
    jobEnded(() => c.v2.send(new GetImportJobCommand({ JobId })));

  it('imports a CSV file into the suppression list, reporting the records it refused', async () => {
    await upload(
      'in/suppress.csv',
      'emailAddress,reason\nOne@Example.com,BOUNCE\n"two@example.com",COMPLAINT\nnot-an-address,BOUNCE\nthree@example.com,SPAM\nfour@example.com,BOUNCE\n',
    );
    const S3Url = `s3://${bucket}/in/suppress.csv`;
    const { JobId } = await root.v2.send(
      new CreateImportJobCommand({
        ImportDestination: SUPPRESS_PUT,
        ImportDataSource: { S3Url, DataFormat: 'CSV' },
      }),
    );
    expect(JobId).toMatch(/^[0-9a-f-]{36}$/);
    const job = await ended(JobId!);
    expect(job).toMatchObject({
      JobId,
      JobStatus: 'COMPLETED',
      ImportDestination: SUPPRESS_PUT,
      ImportDataSource: { S3Url, DataFormat: 'CSV' },
      ProcessedRecordsCount: 5,
      FailedRecordsCount: 2,
    });
    expect(job.CreatedTimestamp!.getTime()).toBeLessThanOrEqual(job.CompletedTimestamp!.getTime());
    expect(job.FailureInfo?.ErrorMessage).toBeUndefined();
    // The report is a pre-signed URL of the store, readable without credentials.
    const url = job.FailureInfo!.FailedRecordsS3Url!;
    expect(url).toContain(`/${bucket}/in/failed-records/${JobId}.csv?`);
    expect(url).toContain('X-Amz-Signature=');
    const report = await fetch(url);
    expect(report.status).toBe(200);
    expect((await report.text()).split('\n')).toEqual([
      'lineNumber,record,failureReason',
      '4,"not-an-address,BOUNCE",Invalid email address <not-an-address>.',
      '5,"three@example.com,SPAM",Invalid suppression reason: SPAM.',
      '',
    ]);
    const listed = await root.v2.send(new ListSuppressedDestinationsCommand({}));
    expect(listed.SuppressedDestinationSummaries?.map((s) => [s.EmailAddress, s.Reason]).sort()).toEqual([
      ['four@example.com', 'BOUNCE'],
      ['one@example.com', 'BOUNCE'],
      ['two@example.com', 'COMPLAINT'],
    ]);
  });

  it('removes addresses from the suppression list with a JSON DELETE import', async () => {
    await root.v2.send(
      new PutSuppressedDestinationCommand({ EmailAddress: 'gone@example.com', Reason: 'BOUNCE' }),
    );
    await upload(
      'in/delete.json',
      '{"emailAddress":"gone@example.com"}\n\n{"emailAddress":"nobody@example.com"}\n',
    );
    const { JobId } = await root.v2.send(
      new CreateImportJobCommand({
        ImportDestination: { SuppressionListDestination: { SuppressionListImportAction: 'DELETE' } },
        ImportDataSource: { S3Url: `s3://${bucket}/in/delete.json`, DataFormat: 'JSON' },
      }),
    );
    const job = await ended(JobId!);
    expect(job).toMatchObject({ JobStatus: 'COMPLETED', ProcessedRecordsCount: 2, FailedRecordsCount: 0 });
    expect(job.FailureInfo).toBeUndefined();
    const left = await root.v2.send(new ListSuppressedDestinationsCommand({}));
    expect(left.SuppressedDestinationSummaries?.map((s) => s.EmailAddress)).not.toContain('gone@example.com');
  });

  it('imports contacts with their topic preferences and attributes into a contact list', async () => {
    await root.v2.send(
      new CreateContactListCommand({
        ContactListName: 'news',
        Topics: [{ TopicName: 'sports', DisplayName: 'Sports', DefaultSubscriptionStatus: 'OPT_OUT' }],
      }),
    );
    await upload(
      'in/contacts.csv',
      'emailAddress,unsubscribeAll,attributesData,topicPreferences.sports\n' +
        'ann@example.com,false,"{""city"":""Paris""}",OPT_IN\nbob@example.com,true,,\nbad@,false,,\n',
    );
    const ImportDestination: ImportDestination = {
      ContactListDestination: { ContactListName: 'news', ContactListImportAction: 'PUT' },
    };
    const { JobId } = await root.v2.send(
      new CreateImportJobCommand({
        ImportDestination,
        ImportDataSource: { S3Url: `s3://${bucket}/in/contacts.csv`, DataFormat: 'CSV' },
      }),
    );
    expect(await ended(JobId!)).toMatchObject({
      JobStatus: 'COMPLETED',
      ImportDestination,
      ProcessedRecordsCount: 3,
      FailedRecordsCount: 1,
    });
    const ann = await root.v2.send(
      new GetContactCommand({ ContactListName: 'news', EmailAddress: 'ann@example.com' }),
    );
    expect(ann).toMatchObject({
      UnsubscribeAll: false,
      AttributesData: '{"city":"Paris"}',
      TopicPreferences: [{ TopicName: 'sports', SubscriptionStatus: 'OPT_IN' }],
    });
    const all = await root.v2.send(new ListContactsCommand({ ContactListName: 'news' }));
    expect(all.Contacts?.map((c) => [c.EmailAddress, c.UnsubscribeAll]).sort()).toEqual([
      ['ann@example.com', false],
      ['bob@example.com', true],
    ]);
  });

  it('fails a contact import whose CSV has no header line, before applying anything', async () => {
    await upload('in/no-header.csv', 'carl@example.com,false\n');
    const { JobId } = await root.v2.send(
      new CreateImportJobCommand({
        ImportDestination: {
          ContactListDestination: { ContactListName: 'news', ContactListImportAction: 'PUT' },
        },
        ImportDataSource: { S3Url: `s3://${bucket}/in/no-header.csv`, DataFormat: 'CSV' },
      }),
    );
    expect(await ended(JobId!)).toMatchObject({
      JobStatus: 'FAILED',
      ProcessedRecordsCount: 0,
      FailureInfo: {
        ErrorMessage: 'The first line of a CSV contact list must be a header naming emailAddress.',
      },
    });
    const all = await root.v2.send(new ListContactsCommand({ ContactListName: 'news' }));
    expect(all.Contacts).toHaveLength(2);
  });

  it('fails a job whose object or bucket does not exist, with FailureInfo, and changes nothing', async () => {
    const before = await root.v2.send(new ListSuppressedDestinationsCommand({}));
    for (const S3Url of [`s3://${bucket}/in/absent.csv`, 's3://no-such-bucket-here/list.csv']) {
      const { JobId } = await root.v2.send(
        new CreateImportJobCommand({
          ImportDestination: SUPPRESS_PUT,
          ImportDataSource: { S3Url, DataFormat: 'CSV' },
        }),
      );
      const job = await ended(JobId!);
      expect(job).toMatchObject({ JobStatus: 'FAILED', ProcessedRecordsCount: 0, FailedRecordsCount: 0 });
      expect(job.CompletedTimestamp).toBeInstanceOf(Date);
      expect(job.FailureInfo?.FailedRecordsS3Url).toBeUndefined();
      expect(job.FailureInfo?.ErrorMessage).toMatch(
        new RegExp(`^Failed to read ${S3Url.replace(/[.*/]/g, '\\$&')}: `),
      );
    }
    expect(await root.v2.send(new ListSuppressedDestinationsCommand({}))).toMatchObject({
      SuppressedDestinationSummaries: before.SuppressedDestinationSummaries,
    });
  });

  it('refuses bad requests with the errors SES gives', async () => {
    const create = (input: object) => errorOf(root.v2.send(new CreateImportJobCommand(input as never)));
    const source = { S3Url: `s3://${bucket}/in/suppress.csv`, DataFormat: 'CSV' };
    expect(
      await create({
        ImportDestination: SUPPRESS_PUT,
        ImportDataSource: { ...source, S3Url: 'https://x/y.csv' },
      }),
    ).toEqual(
      bad(
        "1 validation error detected: Value 'https://x/y.csv' at 'importDataSource.s3Url' failed to satisfy constraint: Member must satisfy regular expression pattern: ^s3:\\/\\/([^\\/]+)\\/(.*?([^\\/]+)\\/?)$",
      ),
    );
    expect(
      await create({ ImportDestination: SUPPRESS_PUT, ImportDataSource: { ...source, DataFormat: 'XML' } }),
    ).toEqual(
      bad(
        "1 validation error detected: Value 'XML' at 'importDataSource.dataFormat' failed to satisfy constraint: Member must satisfy enum value set: [CSV, JSON]",
      ),
    );
    expect(await create({ ImportDataSource: source })).toEqual(
      bad(
        "1 validation error detected: Value null at 'importDestination' failed to satisfy constraint: Member must not be null",
      ),
    );
    const one = bad(
      'ImportDestination must contain exactly one of SuppressionListDestination or ContactListDestination.',
    );
    expect(await create({ ImportDestination: {}, ImportDataSource: source })).toEqual(one);
    expect(
      await create({
        ImportDestination: {
          ...SUPPRESS_PUT,
          ContactListDestination: { ContactListName: 'news', ContactListImportAction: 'PUT' },
        },
        ImportDataSource: source,
      }),
    ).toEqual(one);
    expect(
      await create({
        ImportDestination: {
          ContactListDestination: { ContactListName: 'nope', ContactListImportAction: 'PUT' },
        },
        ImportDataSource: source,
      }),
    ).toEqual(bad("List with name: nope doesn't exist."));
    expect(await errorOf(root.v2.send(new GetImportJobCommand({ JobId: 'no-such-job' })))).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'Import job no-such-job does not exist.',
    });
  });

  it('lists import jobs oldest first in pages, filtered by destination type', async () => {
    const all = await root.v2.send(new ListImportJobsCommand({}));
    expect(all.ImportJobs).toHaveLength(6);
    expect(all.NextToken).toBeUndefined();
    expect(all.ImportJobs![0]).toMatchObject({ ImportDestination: SUPPRESS_PUT, JobStatus: 'COMPLETED' });
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await root.v2.send(
        new ListImportJobsCommand({ PageSize: 4, ...(NextToken ? { NextToken } : {}) }),
      );
      seen.push(...page.ImportJobs!.map((j) => j.JobId!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(seen).toEqual(all.ImportJobs!.map((j) => j.JobId));
    expect(await errorOf(root.v2.send(new ListImportJobsCommand({ NextToken: 'not-a-token' })))).toEqual(
      bad('Invalid NextToken'),
    );
    const contacts = await root.v2.send(new ListImportJobsCommand({ ImportDestinationType: 'CONTACT_LIST' }));
    expect(contacts.ImportJobs?.map((j) => [j.JobStatus, j.ProcessedRecordsCount])).toEqual([
      ['COMPLETED', 3],
      ['FAILED', 0],
    ]);
  });

  it('authorizes Create and List on `*`, Get on the import-job ARN', async () => {
    const [first] = (await root.v2.send(new ListImportJobsCommand({}))).ImportJobs!;
    const arn = `arn:aws:ses:us-east-1:${ACCOUNT}:import-job/${first!.JobId}`;
    const user = await userWithPolicy(
      root,
      policyDoc({ Effect: 'Allow', Action: 'ses:GetImportJob', Resource: arn }),
    );
    const u = clientsFor(server, user.creds);
    expect((await u.v2.send(new GetImportJobCommand({ JobId: first!.JobId }))).JobStatus).toBe('COMPLETED');
    const other = `arn:aws:ses:us-east-1:${ACCOUNT}:import-job/other`;
    expect(await errorOf(u.v2.send(new GetImportJobCommand({ JobId: 'other' })))).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: `User: ${user.arn} is not authorized to perform: ses:GetImportJob on resource: ${other} because no identity-based policy allows the ses:GetImportJob action`,
    });
    for (const [action, call] of [
      ['ses:ListImportJobs', () => u.v2.send(new ListImportJobsCommand({}))],
      [
        'ses:CreateImportJob',
        () =>
          u.v2.send(
            new CreateImportJobCommand({
              ImportDestination: SUPPRESS_PUT,
              ImportDataSource: { S3Url: `s3://${bucket}/in/suppress.csv`, DataFormat: 'CSV' },
            }),
          ),
      ],
    ] as const)
      expect(await errorOf(call())).toEqual({
        name: 'AccessDeniedException',
        status: 403,
        message: genericDenied(user.arn, action),
      });
    expect((await root.v2.send(new ListImportJobsCommand({}))).ImportJobs).toHaveLength(6);
  });

  it('refuses a record of megabytes, keeping its beginning in the report, and applies the rest', async () => {
    const big = `{"emailAddress":"big@example.com","reason":"BOUNCE","pad":"${'z'.repeat(2 * 1024 * 1024)}"}`;
    await upload('in/huge.json', `${big}\n{"emailAddress":"small@example.com","reason":"BOUNCE"}\n`);
    const { JobId } = await root.v2.send(
      new CreateImportJobCommand({
        ImportDestination: SUPPRESS_PUT,
        ImportDataSource: { S3Url: `s3://${bucket}/in/huge.json`, DataFormat: 'JSON' },
      }),
    );
    const job = await ended(JobId!);
    expect(job).toMatchObject({ JobStatus: 'COMPLETED', ProcessedRecordsCount: 2, FailedRecordsCount: 1 });
    const report = (await (await fetch(job.FailureInfo!.FailedRecordsS3Url!)).text()).split('\n');
    expect(report.map((l) => JSON.parse(l || 'null') as unknown)).toEqual([
      {
        lineNumber: 1,
        record: big.slice(0, 2000),
        failureReason: 'The record is longer than 1048576 characters.',
      },
      null,
    ]);
    const listed = await root.v2.send(new ListSuppressedDestinationsCommand({}));
    const addresses = listed.SuppressedDestinationSummaries?.map((s) => s.EmailAddress);
    expect(addresses).toContain('small@example.com');
    expect(addresses).not.toContain('big@example.com');
  });

  it('reports a record holding a NUL character (which PostgreSQL text cannot store) as refused', async () => {
    await upload('in/nul.csv', 'nul\u0000@example.com,BOUNCE\nfine@example.com,COMPLAINT\n');
    const { JobId } = await root.v2.send(
      new CreateImportJobCommand({
        ImportDestination: SUPPRESS_PUT,
        ImportDataSource: { S3Url: `s3://${bucket}/in/nul.csv`, DataFormat: 'CSV' },
      }),
    );
    const job = await ended(JobId!);
    expect(job).toMatchObject({ JobStatus: 'COMPLETED', ProcessedRecordsCount: 2, FailedRecordsCount: 1 });
    const report = await (await fetch(job.FailureInfo!.FailedRecordsS3Url!)).text();
    expect(report.split('\n')).toEqual([
      'lineNumber,record,failureReason',
      '1,"nul\uFFFD@example.com,BOUNCE",Invalid email address <nul\uFFFD@example.com>.',
      '',
    ]);
    const listed = await root.v2.send(new ListSuppressedDestinationsCommand({}));
    expect(listed.SuppressedDestinationSummaries?.map((s) => s.EmailAddress)).toContain('fine@example.com');
  });

  it('fails a job whose S3Url holds a NUL character, its message kept with U+FFFD', async () => {
    const { JobId } = await root.v2.send(
      new CreateImportJobCommand({
        ImportDestination: SUPPRESS_PUT,
        ImportDataSource: { S3Url: `s3://${bucket}/in/a\u0000b.csv`, DataFormat: 'CSV' },
      }),
    );
    const job = await ended(JobId!);
    expect(job).toMatchObject({ JobStatus: 'FAILED', ProcessedRecordsCount: 0 });
    expect(job.FailureInfo?.ErrorMessage).toMatch(
      new RegExp(`^Failed to read s3://${bucket}/in/a\uFFFDb\\.csv: `),
    );
  });

  it('writes a failure report of thousands of records, read from the store a page at a time', async () => {
    const lines = Array.from({ length: 2500 }, (_, i) => `{"emailAddress":"bad-${i + 1}","reason":"BOUNCE"}`);
    await upload('in/many-bad.json', `${lines.join('\n')}\n`);
    const { JobId } = await root.v2.send(
      new CreateImportJobCommand({
        ImportDestination: SUPPRESS_PUT,
        ImportDataSource: { S3Url: `s3://${bucket}/in/many-bad.json`, DataFormat: 'JSON' },
      }),
    );
    const job = await ended(JobId!);
    expect(job).toMatchObject({
      JobStatus: 'COMPLETED',
      ProcessedRecordsCount: 2500,
      FailedRecordsCount: 2500,
    });
    const report = (await (await fetch(job.FailureInfo!.FailedRecordsS3Url!)).text()).split('\n');
    expect(report).toHaveLength(2501);
    expect(report.at(-1)).toBe('');
    expect(report.slice(0, -1).map((l) => JSON.parse(l) as unknown)).toEqual(
      lines.map((record, i) => ({
        lineNumber: i + 1,
        record,
        failureReason: `Invalid email address <bad-${i + 1}>.`,
      })),
    );
  });
});
