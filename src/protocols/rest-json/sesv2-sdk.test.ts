// SES v2 through @aws-sdk/client-sesv2 against the codec-only server.
import {
  CreateEmailIdentityPolicyCommand,
  GetAccountCommand,
  GetEmailIdentityCommand,
  ListSuppressedDestinationsCommand,
  SendEmailCommand,
  SESv2Client,
  type SendEmailCommandInput,
} from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsError } from '../../errors/aws-error.js';
import { startCodecServer, TEST_REQUEST_ID, type CodecServer } from '../codec-server.js';
import { loadModel } from '../model.js';

let server: CodecServer;
let ses: SESv2Client;

beforeAll(async () => {
  server = await startCodecServer(loadModel('sesv2'));
  ses = new SESv2Client({
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

async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

describe('SES v2 over the real SDK', () => {
  it('SendEmail Raw: the blob arrives byte for byte; Simple content nests', async () => {
    const mime = Buffer.from(
      'From: a@example.com\r\nSubject: \u00e9t\u00e9\r\n\r\n\u0000\u00ff binary-ish\r\n',
      'latin1',
    );
    server.answers.SendEmail = { MessageId: '0100017f-raw-000000' };
    const out = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'a@example.com',
        Destination: { ToAddresses: ['b@example.com'] },
        Content: { Raw: { Data: new Uint8Array(mime) } },
        EmailTags: [{ Name: 'k', Value: 'v' }],
      }),
    );
    expect(out.MessageId).toBe('0100017f-raw-000000');
    expect(out.$metadata.requestId).toBe(TEST_REQUEST_ID);
    const call = server.calls.at(-1)!;
    expect(call.operation).toBe('SendEmail');
    const raw = (call.input.Content as { Raw: { Data: Buffer } }).Raw.Data;
    expect(Buffer.isBuffer(raw) && raw.equals(mime)).toBe(true);
    expect(call.input.Destination).toEqual({ ToAddresses: ['b@example.com'] });
    expect(call.input.EmailTags).toEqual([{ Name: 'k', Value: 'v' }]);

    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'Ann <a@example.com>',
        Content: {
          Simple: {
            Subject: { Data: 'hi', Charset: 'UTF-8' },
            Body: { Text: { Data: 'x' }, Html: { Data: '<b>x</b>' } },
          },
        },
      }),
    );
    expect(server.calls.at(-1)!.input).toEqual({
      FromEmailAddress: 'Ann <a@example.com>',
      Content: {
        Simple: {
          Subject: { Data: 'hi', Charset: 'UTF-8' },
          Body: { Text: { Data: 'x' }, Html: { Data: '<b>x</b>' } },
        },
      },
    });
  });

  it('GetEmailIdentity: an address in the path, a map and nested structures with timestamps out', async () => {
    const checked = new Date('2026-11-28T11:45:00Z');
    const identity = {
      IdentityType: 'EMAIL_ADDRESS',
      FeedbackForwardingStatus: true,
      VerifiedForSendingStatus: false,
      DkimAttributes: {
        SigningEnabled: false,
        Status: 'NOT_STARTED',
        Tokens: ['t1', 't2'],
        LastKeyGenerationTimestamp: checked,
      },
      Policies: { AllowPartner: '{"Version":"2012-10-17","Statement":[]}' },
      Tags: [{ Key: 'team', Value: 'mail' }],
      VerificationStatus: 'PENDING',
      VerificationInfo: { LastCheckedTimestamp: checked },
    };
    server.answers.GetEmailIdentity = identity;
    const out = await ses.send(new GetEmailIdentityCommand({ EmailIdentity: 'user+tag@example.com' }));
    const { $metadata: _m, ...body } = out;
    expect(body).toEqual(identity);
    expect(server.calls.at(-1)).toEqual({
      operation: 'GetEmailIdentity',
      input: { EmailIdentity: 'user+tag@example.com' },
    });
  });

  it('CreateEmailIdentityPolicy: two path labels and a body member', async () => {
    const policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"}}]}';
    await ses.send(
      new CreateEmailIdentityPolicyCommand({
        EmailIdentity: 'user@example.com',
        PolicyName: 'p/1 x',
        Policy: policy,
      }),
    );
    expect(server.calls.at(-1)).toEqual({
      operation: 'CreateEmailIdentityPolicy',
      input: { EmailIdentity: 'user@example.com', PolicyName: 'p/1 x', Policy: policy },
    });
  });

  it('ListSuppressedDestinations: list, timestamp and integer query parameters', async () => {
    const start = new Date('2026-11-01T00:00:00Z');
    const end = new Date('2026-11-28T00:00:00Z');
    server.answers.ListSuppressedDestinations = {
      SuppressedDestinationSummaries: [
        { EmailAddress: 'b@example.com', Reason: 'BOUNCE', LastUpdateTime: end },
      ],
      NextToken: 'nt',
    };
    const out = await ses.send(
      new ListSuppressedDestinationsCommand({
        Reasons: ['BOUNCE', 'COMPLAINT'],
        StartDate: start,
        EndDate: end,
        PageSize: 20,
        NextToken: 'abc',
      }),
    );
    expect(out.SuppressedDestinationSummaries).toEqual([
      { EmailAddress: 'b@example.com', Reason: 'BOUNCE', LastUpdateTime: end },
    ]);
    expect(out.NextToken).toBe('nt');
    expect(server.calls.at(-1)!.input).toEqual({
      Reasons: ['BOUNCE', 'COMPLAINT'],
      StartDate: start,
      EndDate: end,
      PageSize: 20,
      NextToken: 'abc',
    });
  });

  it('GetAccount: doubles and booleans', async () => {
    server.answers.GetAccount = {
      SendQuota: { Max24HourSend: 200, MaxSendRate: 1, SentLast24Hours: 0.5 },
      SendingEnabled: true,
      ProductionAccessEnabled: false,
      EnforcementStatus: 'HEALTHY',
    };
    const out = await ses.send(new GetAccountCommand({}));
    expect(out.SendQuota).toEqual({ Max24HourSend: 200, MaxSendRate: 1, SentLast24Hours: 0.5 });
    expect([out.SendingEnabled, out.ProductionAccessEnabled, out.EnforcementStatus]).toEqual([
      true,
      false,
      'HEALTHY',
    ]);
  });

  it('errors: NotFoundException 404, TooManyRequestsException 429, AccessDeniedException 403, BadRequestException', async () => {
    server.answers.GetEmailIdentity = new AwsError(
      'NotFoundException',
      'Email identity nobody@example.com does not exist.',
      404,
    );
    expect(
      await rejection(ses.send(new GetEmailIdentityCommand({ EmailIdentity: 'nobody@example.com' }))),
    ).toEqual({
      name: 'NotFoundException',
      message: 'Email identity nobody@example.com does not exist.',
      status: 404,
    });
    const full: SendEmailCommandInput = {
      FromEmailAddress: 'a@example.com',
      Content: { Raw: { Data: new Uint8Array([1]) } },
    };
    server.answers.SendEmail = new AwsError(
      'TooManyRequestsException',
      'Maximum sending rate exceeded.',
      429,
    );
    expect(await rejection(ses.send(new SendEmailCommand(full)))).toEqual({
      name: 'TooManyRequestsException',
      message: 'Maximum sending rate exceeded.',
      status: 429,
    });
    const denied = 'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: ses:SendEmail';
    server.answers.SendEmail = new AwsError('AccessDeniedException', denied, 403);
    expect(await rejection(ses.send(new SendEmailCommand(full)))).toEqual({
      name: 'AccessDeniedException',
      message: denied,
      status: 403,
    });
    const noContent = ses.send(
      new SendEmailCommand({ FromEmailAddress: 'a@example.com' } as SendEmailCommandInput),
    );
    expect(await rejection(noContent)).toEqual({
      name: 'BadRequestException',
      message:
        "1 validation error detected: Value null at 'content' failed to satisfy constraint: Member must not be null",
      status: 400,
    });
  });
});
