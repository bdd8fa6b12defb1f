// botocore parses what we serialize, and we decode what botocore sends: one round trip per protocol.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsError } from '../errors/aws-error.js';
import { startCodecServer, type CodecServer } from './codec-server.js';
import { loadModel } from './model.js';

const run = promisify(execFile);

// Prints one JSON line per call: the parsed result or the error botocore raised.
const PRELUDE = `
import boto3, botocore, json, os, sys
from botocore.config import Config
def client(service):
    return boto3.client(service, endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1',
        aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='secret',
        config=Config(retries={'max_attempts': 1}))
def show(f):
    try:
        r = f(); r.pop('ResponseMetadata', None); print(json.dumps({'ok': r}, default=str))
    except botocore.exceptions.ClientError as e:
        print(json.dumps({'error': e.response['Error'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']}))
`;

async function python(endpoint: string, body: string): Promise<unknown[]> {
  const { stdout } = await run('python3', ['-c', PRELUDE + body], {
    env: { ...process.env, ENDPOINT: endpoint },
    timeout: 60_000,
  });
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);
}

let v1: CodecServer;
let v2: CodecServer;
beforeAll(async () => {
  v1 = await startCodecServer(loadModel('ses'));
  v2 = await startCodecServer(loadModel('sesv2'));
});
afterAll(async () => {
  await Promise.all([v1.close(), v2.close()]);
});

describe('boto3 round trips', () => {
  it('Query (SES v1): nested input, doubles, maps, timestamps and a modeled error', async () => {
    v1.answers.SendEmail = { MessageId: 'm-1' };
    v1.answers.GetSendQuota = { Max24HourSend: 200, MaxSendRate: 1, SentLast24Hours: 0 };
    v1.answers.GetIdentityPolicies = { Policies: { p: '{"a":"<&>"}' } };
    v1.answers.GetSendStatistics = {
      SendDataPoints: [{ Timestamp: new Date('2026-11-28T11:45:00Z'), Bounces: 2 }],
    };
    v1.answers.DeleteIdentity = new AwsError('MessageRejected', 'Nope & <no>.', 400);
    const lines = await python(
      v1.endpoint,
      `
c = client('ses')
show(lambda: c.send_email(Source='a@example.com', Destination={'ToAddresses': ['b@example.com'], 'CcAddresses': []},
    Message={'Subject': {'Data': 's'}, 'Body': {'Text': {'Data': 't'}}}))
show(lambda: c.get_send_quota())
show(lambda: c.get_identity_policies(Identity='example.com', PolicyNames=[]))
show(lambda: c.get_send_statistics())
show(lambda: c.delete_identity(Identity='x'))
`,
    );
    expect(lines).toEqual([
      { ok: { MessageId: 'm-1' } },
      { ok: { Max24HourSend: 200.0, MaxSendRate: 1.0, SentLast24Hours: 0.0 } },
      { ok: { Policies: { p: '{"a":"<&>"}' } } },
      { ok: { SendDataPoints: [{ Timestamp: '2026-11-28 11:45:00+00:00', Bounces: 2 }] } },
      { error: { Type: 'Sender', Code: 'MessageRejected', Message: 'Nope & <no>.' }, status: 400 },
    ]);
    expect(v1.calls.map((c) => c.input)).toEqual([
      {
        Source: 'a@example.com',
        Destination: { ToAddresses: ['b@example.com'], CcAddresses: [] },
        Message: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } },
      },
      {},
      { Identity: 'example.com', PolicyNames: [] },
      {},
      { Identity: 'x' },
    ]);
  });

  it('rest-json (SES v2): path label, raw blob, nested output and an error', async () => {
    v2.answers.SendEmail = { MessageId: 'm-2' };
    v2.answers.GetEmailIdentity = {
      IdentityType: 'EMAIL_ADDRESS',
      Policies: { p: '{}' },
      DkimAttributes: { Tokens: ['t1'], LastKeyGenerationTimestamp: new Date('2026-11-28T11:45:00Z') },
      SendQuota: { ignored: true },
    };
    v2.answers.DeleteEmailIdentity = new AwsError(
      'NotFoundException',
      'Email identity y@example.com does not exist.',
      404,
    );
    const lines = await python(
      v2.endpoint,
      `
c = client('sesv2')
show(lambda: c.send_email(Content={'Raw': {'Data': b'From: a@example.com\\r\\n\\r\\nhi'}}))
show(lambda: c.get_email_identity(EmailIdentity='user@example.com'))
show(lambda: c.delete_email_identity(EmailIdentity='y@example.com'))
`,
    );
    expect(lines).toEqual([
      { ok: { MessageId: 'm-2' } },
      {
        ok: {
          IdentityType: 'EMAIL_ADDRESS',
          Policies: { p: '{}' },
          DkimAttributes: { Tokens: ['t1'], LastKeyGenerationTimestamp: '2026-11-28 11:45:00+00:00' },
        },
      },
      {
        error: { Code: 'NotFoundException', Message: 'Email identity y@example.com does not exist.' },
        status: 404,
      },
    ]);
    expect((v2.calls[0]!.input.Content as { Raw: { Data: Buffer } }).Raw.Data.toString()).toBe(
      'From: a@example.com\r\n\r\nhi',
    );
    expect(v2.calls.slice(1).map((c) => c.input)).toEqual([
      { EmailIdentity: 'user@example.com' },
      { EmailIdentity: 'y@example.com' },
    ]);
  });
});
