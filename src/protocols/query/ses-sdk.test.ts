// SES v1 through @aws-sdk/client-ses against the codec-only server: what the SDK sends is decoded
// exactly, what we serialize is read back exactly, and errors surface with AWS's name/status.
import {
  GetIdentityPoliciesCommand,
  GetSendQuotaCommand,
  GetSendStatisticsCommand,
  ListIdentitiesCommand,
  SendBulkTemplatedEmailCommand,
  SendEmailCommand,
  SendRawEmailCommand,
  SESClient,
  VerifyEmailAddressCommand,
  type SendEmailCommandInput,
} from '@aws-sdk/client-ses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsError } from '../../errors/aws-error.js';
import { startCodecServer, TEST_REQUEST_ID, type CodecServer } from '../codec-server.js';
import { loadModel } from '../model.js';

let server: CodecServer;
let ses: SESClient;

beforeAll(async () => {
  server = await startCodecServer(loadModel('ses'));
  ses = new SESClient({
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  ses.destroy();
  await server.close();
});
beforeEach(() => {
  server.calls.length = 0;
  for (const k of Object.keys(server.answers)) delete server.answers[k];
});

async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

describe('SES v1 over the real SDK', () => {
  it('SendEmail: nested Destination and Message arrive intact; MessageId comes back', async () => {
    server.answers.SendEmail = { MessageId: '0100017f-abc-000000' };
    const out = await ses.send(
      new SendEmailCommand({
        Source: 'Ann <a@example.com>',
        Destination: {
          ToAddresses: ['b@example.com', 'c@example.com'],
          CcAddresses: [],
          BccAddresses: ['d@x.org'],
        },
        Message: {
          Subject: { Data: 'Hi & <bye>', Charset: 'UTF-8' },
          Body: { Text: { Data: 'plain' }, Html: { Data: '<b>x</b>' } },
        },
        ReplyToAddresses: ['r@example.com'],
        Tags: [{ Name: 'k', Value: 'v' }],
        ConfigurationSetName: 'cs',
      }),
    );
    expect(out.MessageId).toBe('0100017f-abc-000000');
    expect(out.$metadata.requestId).toBe(TEST_REQUEST_ID);
    expect(server.calls).toEqual([
      {
        operation: 'SendEmail',
        input: {
          Source: 'Ann <a@example.com>',
          Destination: {
            ToAddresses: ['b@example.com', 'c@example.com'],
            CcAddresses: [],
            BccAddresses: ['d@x.org'],
          },
          Message: {
            Subject: { Data: 'Hi & <bye>', Charset: 'UTF-8' },
            Body: { Text: { Data: 'plain' }, Html: { Data: '<b>x</b>' } },
          },
          ReplyToAddresses: ['r@example.com'],
          Tags: [{ Name: 'k', Value: 'v' }],
          ConfigurationSetName: 'cs',
        },
      },
    ]);
  });

  it('SendBulkTemplatedEmail: a list of structures in, a list of structures out', async () => {
    server.answers.SendBulkTemplatedEmail = {
      Status: [
        { Status: 'Success', MessageId: 'm-1' },
        { Status: 'MessageRejected', Error: 'Email address is not verified.' },
      ],
    };
    const out = await ses.send(
      new SendBulkTemplatedEmailCommand({
        Source: 'a@example.com',
        Template: 'welcome',
        DefaultTemplateData: '{"name":"friend"}',
        Destinations: [
          {
            Destination: { ToAddresses: ['b@example.com'] },
            ReplacementTemplateData: '{"name":"B"}',
            ReplacementTags: [
              { Name: 'n1', Value: 'v1' },
              { Name: 'n2', Value: 'v2' },
            ],
          },
          { Destination: { ToAddresses: ['c@example.com'], CcAddresses: ['d@example.com'] } },
        ],
      }),
    );
    expect(out.Status).toEqual([
      { Status: 'Success', MessageId: 'm-1' },
      { Status: 'MessageRejected', Error: 'Email address is not verified.' },
    ]);
    expect(server.calls[0]!.input.Destinations).toEqual([
      {
        Destination: { ToAddresses: ['b@example.com'] },
        ReplacementTemplateData: '{"name":"B"}',
        ReplacementTags: [
          { Name: 'n1', Value: 'v1' },
          { Name: 'n2', Value: 'v2' },
        ],
      },
      { Destination: { ToAddresses: ['c@example.com'], CcAddresses: ['d@example.com'] } },
    ]);
  });

  it('SendRawEmail: the blob arrives as the exact bytes', async () => {
    const mime = Buffer.from(
      'From: a@example.com\r\nTo: b@example.com\r\nSubject: é\r\n\r\nbody\r\n',
      'utf8',
    );
    server.answers.SendRawEmail = { MessageId: 'raw-1' };
    const out = await ses.send(
      new SendRawEmailCommand({
        RawMessage: { Data: new Uint8Array(mime) },
        Destinations: ['b@example.com'],
      }),
    );
    expect(out.MessageId).toBe('raw-1');
    const input = server.calls[0]!.input as { RawMessage: { Data: Buffer }; Destinations: string[] };
    expect(Buffer.isBuffer(input.RawMessage.Data)).toBe(true);
    expect(input.RawMessage.Data.equals(mime)).toBe(true);
    expect(input.Destinations).toEqual(['b@example.com']);
  });

  it('GetIdentityPolicies: the map comes back key by key; an empty list parameter is an empty list', async () => {
    const policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"}}]}';
    server.answers.GetIdentityPolicies = { Policies: { p1: policy, 'p-2': '{}' } };
    const out = await ses.send(
      new GetIdentityPoliciesCommand({ Identity: 'example.com', PolicyNames: ['p1', 'p-2'] }),
    );
    expect(out.Policies).toEqual({ p1: policy, 'p-2': '{}' });
    expect(server.calls[0]!.input).toEqual({ Identity: 'example.com', PolicyNames: ['p1', 'p-2'] });

    server.answers.GetIdentityPolicies = { Policies: {} };
    const empty = await ses.send(
      new GetIdentityPoliciesCommand({ Identity: 'example.com', PolicyNames: [] }),
    );
    expect(empty.Policies).toEqual({});
    expect(server.calls[1]!.input).toEqual({ Identity: 'example.com', PolicyNames: [] });
  });

  it('GetSendQuota: doubles, GetSendStatistics: timestamps', async () => {
    server.answers.GetSendQuota = { Max24HourSend: 200, MaxSendRate: 1.5, SentLast24Hours: 0 };
    expect(await ses.send(new GetSendQuotaCommand({}))).toMatchObject({
      Max24HourSend: 200,
      MaxSendRate: 1.5,
      SentLast24Hours: 0,
    });
    const t1 = new Date('2026-11-28T11:45:00Z');
    const t2 = new Date('2026-11-28T12:00:00.250Z');
    server.answers.GetSendStatistics = {
      SendDataPoints: [
        { Timestamp: t1, DeliveryAttempts: 3, Bounces: 1, Complaints: 0, Rejects: 0 },
        { Timestamp: t2, DeliveryAttempts: 7, Bounces: 0, Complaints: 2, Rejects: 1 },
      ],
    };
    const stats = await ses.send(new GetSendStatisticsCommand({}));
    expect(stats.SendDataPoints).toEqual([
      { Timestamp: t1, DeliveryAttempts: 3, Bounces: 1, Complaints: 0, Rejects: 0 },
      { Timestamp: t2, DeliveryAttempts: 7, Bounces: 0, Complaints: 2, Rejects: 1 },
    ]);
  });

  it('ListIdentities: enum and integer parameters; an operation without result wrapper', async () => {
    server.answers.ListIdentities = { Identities: ['a@example.com', 'example.com'], NextToken: 'n' };
    const out = await ses.send(new ListIdentitiesCommand({ IdentityType: 'Domain', MaxItems: 10 }));
    expect(out.Identities).toEqual(['a@example.com', 'example.com']);
    expect(out.NextToken).toBe('n');
    expect(server.calls[0]!.input).toEqual({ IdentityType: 'Domain', MaxItems: 10 });
    const v = await ses.send(new VerifyEmailAddressCommand({ EmailAddress: 'a@example.com' }));
    expect(v.$metadata.httpStatusCode).toBe(200);
  });

  it('errors: MessageRejected 400, AccessDenied 403, ValidationError from the model', async () => {
    server.answers.SendEmail = new AwsError(
      'MessageRejected',
      'Email address is not verified. The following identities failed the check in region US-EAST-1: a@example.com',
      400,
    );
    const send = (input: Partial<SendEmailCommandInput>) =>
      ses.send(new SendEmailCommand(input as SendEmailCommandInput));
    const full = {
      Source: 'a@example.com',
      Destination: { ToAddresses: ['b@example.com'] },
      Message: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } },
    };
    expect(await rejection(send(full))).toEqual({
      name: 'MessageRejected',
      message:
        'Email address is not verified. The following identities failed the check in region US-EAST-1: a@example.com',
      status: 400,
    });
    const denied =
      "User `arn:aws:iam::123456789012:user/alice' is not authorized to perform `ses:SendEmail' on resource `arn:aws:ses:us-east-1:123456789012:identity/a@example.com'";
    server.answers.SendEmail = new AwsError('AccessDenied', denied, 403);
    expect(await rejection(send(full))).toEqual({ name: 'AccessDenied', message: denied, status: 403 });
    // An empty structure puts nothing on the wire, so Destination is as absent as the others.
    expect(await rejection(send({ Destination: {} }))).toEqual({
      name: 'ValidationError',
      message:
        "3 validation errors detected: Value null at 'source' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'destination' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'message' failed to satisfy constraint: Member must not be null",
      status: 400,
    });
  });
});
