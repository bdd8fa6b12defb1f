// Who is asking and how (docs/spec/ses.md §1.3, §1.6, §7): raw MIME From headers, users in groups, assumed
// roles, explicit denies, aws:SourceIp and aws:SecureTransport, and boto3 as a second client —
// all against a real Sesame, through SES v1 and v2.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendEmailCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { SendEmailCommand as V2SendEmailCommand } from '@aws-sdk/client-sesv2';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  identityArn,
  mime,
  outbox,
  policyDoc,
  sendDenied,
  userInGroup,
  userWithPolicy,
  v1SendInput,
  v2SendInput,
  verify,
  type Clients,
  type Creds,
} from '../support/ses-fixtures.js';

const run = promisify(execFile);
let server: TestServer;
let root: Clients;
const DOMAIN_ARN = identityArn(ACCOUNT, 'example.com');
const SEND = ['ses:SendEmail', 'ses:SendRawEmail'];

beforeAll(async () => {
  // 127.0.0.1 is a trusted proxy, so X-Forwarded-Proto/-For are believed when a test sets them.
  server = await startTestServer({
    SESAME_PRODUCTION_MAX_SEND_RATE: '1000',
    SESAME_TRUSTED_PROXIES: '127.0.0.1',
  });
  root = clientsFor(server, server.credentials);
  await verify(root.v1, 'example.com', 'other.org');
  await grantProduction(server, ACCOUNT);
});
afterAll(async () => server?.stop());

async function userWith(...statements: object[]): Promise<{ arn: string; c: Clients; creds: Creds }> {
  const u = await userWithPolicy(root, policyDoc(...statements));
  return { arn: u.arn, creds: u.creds, c: clientsFor(server, u.creds) };
}

const denied = (api: 1 | 2, principal: string, action: string, resource = DOMAIN_ARN) => ({
  name: api === 1 ? 'AccessDenied' : 'AccessDeniedException',
  status: 403,
  message: sendDenied(principal, action, resource),
});

/** Clients whose requests carry extra headers (as a TLS-terminating proxy in front would add). */
function withHeaders(c: Clients, headers: Record<string, string>): Clients {
  for (const client of [c.v1, c.v2])
    client.middlewareStack.add(
      (next) => async (args) => {
        const req = args.request as { headers: Record<string, string> };
        Object.assign(req.headers, headers);
        return next(args);
      },
      // Before signing, so the headers are signed like any other.
      { step: 'build', name: 'extraHeaders' },
    );
  return c;
}

describe('SendRawEmail: the From header of the MIME decides ses:FromAddress', () => {
  const fromOnly = {
    Effect: 'Allow',
    Action: SEND,
    Resource: '*',
    Condition: { StringEquals: { 'ses:FromAddress': 'ok@example.com' } },
  };
  it('v1 SendRawEmail without Source: allowed for From ok@example.com, denied for another From', async () => {
    const { arn, c } = await userWith(fromOnly);
    const r = await c.v1.send(
      new SendRawEmailCommand({ RawMessage: { Data: mime({ From: 'Ok <ok@example.com>', To: 'x@y.org' }) } }),
    );
    const row = (await outbox(server, ACCOUNT)).find((m) => m.messageId === r.MessageId);
    expect(row?.fromAddress).toBe('ok@example.com');
    expect(row?.recipients).toEqual(['x@y.org']);
    expect(
      await errorOf(
        c.v1.send(
          new SendRawEmailCommand({ RawMessage: { Data: mime({ From: 'bad@example.com', To: 'x@y.org' }) } }),
        ),
      ),
    ).toEqual(denied(1, arn, 'ses:SendRawEmail'));
  });
  it('v2 Raw content without FromEmailAddress: the same on v2', async () => {
    const { arn, c } = await userWith(fromOnly);
    const raw = (from: string) =>
      new V2SendEmailCommand({ Content: { Raw: { Data: mime({ From: from, To: 'x@y.org' }) } } });
    expect((await c.v2.send(raw('ok@example.com'))).MessageId).toBeTruthy();
    expect(await errorOf(c.v2.send(raw('bad@example.com')))).toEqual(denied(2, arn, 'ses:SendRawEmail'));
  });
  it('the envelope Source does not stand in for the From header', async () => {
    const { arn, c } = await userWith(fromOnly);
    const p = c.v1.send(
      new SendRawEmailCommand({
        Source: 'ok@example.com',
        RawMessage: { Data: mime({ From: 'bad@example.com', To: 'x@y.org' }) },
      }),
    );
    expect(await errorOf(p)).toEqual(denied(1, arn, 'ses:SendRawEmail'));
  });
});

describe('a user whose permission comes from a group', () => {
  it('may send as the group allows, and no more', async () => {
    const u = await userInGroup(root, policyDoc({ Effect: 'Allow', Action: SEND, Resource: DOMAIN_ARN }));
    const c = clientsFor(server, u.creds);
    expect(
      (await c.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'a@example.com' })))).MessageId,
    ).toBeTruthy();
    expect(await errorOf(c.v1.send(new SendEmailCommand(v1SendInput({ from: 'a@other.org' }))))).toEqual(
      denied(1, u.arn, 'ses:SendEmail', identityArn(ACCOUNT, 'other.org')),
    );
  });
});

describe('explicit deny beats allow', () => {
  it('a Deny on one identity wins over ses:* on *', async () => {
    const { arn, c } = await userWith(
      { Effect: 'Allow', Action: 'ses:*', Resource: '*' },
      { Effect: 'Deny', Action: 'ses:SendEmail', Resource: identityArn(ACCOUNT, 'other.org') },
    );
    expect(
      (await c.v1.send(new SendEmailCommand(v1SendInput({ from: 'a@example.com' })))).MessageId,
    ).toBeTruthy();
    expect(await errorOf(c.v1.send(new SendEmailCommand(v1SendInput({ from: 'a@other.org' }))))).toEqual(
      denied(1, arn, 'ses:SendEmail', identityArn(ACCOUNT, 'other.org')),
    );
    expect(await errorOf(c.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'a@other.org' }))))).toEqual(
      denied(2, arn, 'ses:SendEmail', identityArn(ACCOUNT, 'other.org')),
    );
  });
  it('a conditional Deny (StringNotLike ses:Recipients) blocks only outside recipients', async () => {
    const { arn, c } = await userWith(
      { Effect: 'Allow', Action: SEND, Resource: '*' },
      {
        Effect: 'Deny',
        Action: SEND,
        Resource: '*',
        Condition: { 'ForAnyValue:StringNotLike': { 'ses:Recipients': '*@example.com' } },
      },
    );
    expect(
      (
        await c.v2.send(
          new V2SendEmailCommand(v2SendInput({ from: 'a@example.com', to: ['in@example.com'] })),
        )
      ).MessageId,
    ).toBeTruthy();
    expect(
      await errorOf(
        c.v2.send(
          new V2SendEmailCommand(
            v2SendInput({ from: 'a@example.com', to: ['in@example.com'], cc: ['out@x.org'] }),
          ),
        ),
      ),
    ).toEqual(denied(2, arn, 'ses:SendEmail'));
  });
  it('a denied send leaves no outbox row', async () => {
    const before = (await outbox(server, ACCOUNT)).length;
    const { c } = await userWith(
      { Effect: 'Deny', Action: 'ses:*', Resource: '*' },
      { Effect: 'Allow', Action: 'ses:*', Resource: '*' },
    );
    await errorOf(c.v1.send(new SendEmailCommand(v1SendInput({ from: 'a@example.com' }))));
    expect((await outbox(server, ACCOUNT)).length).toBe(before);
  });
});

describe('aws:SourceIp', () => {
  const fromNet = (cidr: string) => ({
    Effect: 'Allow',
    Action: SEND,
    Resource: '*',
    Condition: { IpAddress: { 'aws:SourceIp': cidr } },
  });
  it('127.0.0.1/32 allows a loopback caller', async () => {
    const { c } = await userWith(fromNet('127.0.0.1/32'));
    expect(
      (await c.v1.send(new SendEmailCommand(v1SendInput({ from: 'a@example.com' })))).MessageId,
    ).toBeTruthy();
    expect(
      (await c.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'a@example.com' })))).MessageId,
    ).toBeTruthy();
  });
  it('10.0.0.0/8 denies it on both APIs', async () => {
    const { arn, c } = await userWith(fromNet('10.0.0.0/8'));
    expect(await errorOf(c.v1.send(new SendEmailCommand(v1SendInput({ from: 'a@example.com' }))))).toEqual(
      denied(1, arn, 'ses:SendEmail'),
    );
    expect(await errorOf(c.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'a@example.com' }))))).toEqual(
      denied(2, arn, 'ses:SendEmail'),
    );
  });
  it('behind a trusted proxy, X-Forwarded-For gives the client address', async () => {
    const { creds } = await userWith(fromNet('10.0.0.0/8'));
    const c = withHeaders(clientsFor(server, creds), { 'x-forwarded-for': '10.1.2.3' });
    expect(
      (await c.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'a@example.com' })))).MessageId,
    ).toBeTruthy();
  });
});

describe('aws:SecureTransport', () => {
  const tlsOnly = {
    Effect: 'Allow',
    Action: SEND,
    Resource: '*',
    Condition: { Bool: { 'aws:SecureTransport': 'true' } },
  };
  it('plain HTTP is denied on both APIs', async () => {
    const { arn, c } = await userWith(tlsOnly);
    expect(await errorOf(c.v1.send(new SendEmailCommand(v1SendInput({ from: 'a@example.com' }))))).toEqual(
      denied(1, arn, 'ses:SendEmail'),
    );
    expect(await errorOf(c.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'a@example.com' }))))).toEqual(
      denied(2, arn, 'ses:SendEmail'),
    );
  });
  it('HTTPS as reported by a trusted TLS-terminating proxy is allowed', async () => {
    const { creds } = await userWith(tlsOnly);
    const c = withHeaders(clientsFor(server, creds), { 'x-forwarded-proto': 'https' });
    expect(
      (await c.v1.send(new SendEmailCommand(v1SendInput({ from: 'a@example.com' })))).MessageId,
    ).toBeTruthy();
  });
});

describe('boto3 (a second SDK, python3)', () => {
  it('v1 send_email and v2 send_email go through; a denied user gets the same error', async () => {
    const denyUser = await userWith({
      Effect: 'Allow',
      Action: SEND,
      Resource: identityArn(ACCOUNT, 'other.org'),
    });
    const script = `
import boto3, json, sys
from botocore.exceptions import ClientError
endpoint, key, secret, dkey, dsecret = sys.argv[1:6]
def clients(k, s):
    kw = dict(endpoint_url=endpoint, region_name='us-east-1', aws_access_key_id=k, aws_secret_access_key=s)
    return boto3.client('ses', **kw), boto3.client('sesv2', **kw)
v1, v2 = clients(key, secret)
out = {}
out['v1'] = v1.send_email(Source='a@example.com', Destination={'ToAddresses': ['to@example.com']},
    Message={'Subject': {'Data': 'hi'}, 'Body': {'Text': {'Data': 'hello'}}})['MessageId']
out['v2'] = v2.send_email(FromEmailAddress='a@example.com', Destination={'ToAddresses': ['to@example.com']},
    Content={'Simple': {'Subject': {'Data': 'hi'}, 'Body': {'Text': {'Data': 'hello'}}}})['MessageId']
d1, d2 = clients(dkey, dsecret)
for name, call in [('d1', lambda: d1.send_email(Source='a@example.com', Destination={'ToAddresses': ['t@example.com']},
        Message={'Subject': {'Data': 'hi'}, 'Body': {'Text': {'Data': 'x'}}})),
    ('d2', lambda: d2.send_email(FromEmailAddress='a@example.com', Destination={'ToAddresses': ['t@example.com']},
        Content={'Simple': {'Subject': {'Data': 'hi'}, 'Body': {'Text': {'Data': 'x'}}}}))]:
    try:
        call(); out[name] = None
    except ClientError as e:
        out[name] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Message']]
print(json.dumps(out))
`;
    const { stdout } = await run('python3', [
      '-c',
      script,
      server.endpoint,
      server.credentials.accessKeyId,
      server.credentials.secretAccessKey,
      denyUser.creds.accessKeyId,
      denyUser.creds.secretAccessKey,
    ]);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    const ids = (await outbox(server, ACCOUNT)).map((m) => m.messageId);
    expect(ids).toContain(out.v1);
    expect(ids).toContain(out.v2);
    const msg = sendDenied(denyUser.arn, 'ses:SendEmail', DOMAIN_ARN);
    expect(out.d1).toEqual(['AccessDenied', 403, msg]);
    expect(out.d2).toEqual(['AccessDeniedException', 403, msg]);
  });
});

// Last: STS is the newest part of the server.
describe('an assumed role', () => {
  it('sends with temporary credentials; a denial names the assumed-role session ARN', async () => {
    const trust = policyDoc({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 'sts:AssumeRole',
    });
    await root.iam.send(new CreateRoleCommand({ RoleName: 'mailer', AssumeRolePolicyDocument: trust }));
    await root.iam.send(
      new PutRolePolicyCommand({
        RoleName: 'mailer',
        PolicyName: 'send',
        PolicyDocument: policyDoc({ Effect: 'Allow', Action: SEND, Resource: DOMAIN_ARN }),
      }),
    );
    const caller = await userWith({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: `arn:aws:iam::${ACCOUNT}:role/mailer`,
    });
    const assumed = await caller.c.sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/mailer`, RoleSessionName: 'batch-7' }),
    );
    expect(assumed.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/mailer/batch-7`);
    const k = assumed.Credentials!;
    const c = clientsFor(server, {
      accessKeyId: k.AccessKeyId!,
      secretAccessKey: k.SecretAccessKey!,
      sessionToken: k.SessionToken!,
    });
    const sent = await c.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'a@example.com' })));
    const row = (await outbox(server, ACCOUNT)).find((m) => m.messageId === sent.MessageId);
    expect(row?.principalArn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/mailer/batch-7`);
    const session = `arn:aws:sts::${ACCOUNT}:assumed-role/mailer/batch-7`;
    expect(await errorOf(c.v1.send(new SendEmailCommand(v1SendInput({ from: 'a@other.org' }))))).toEqual(
      denied(1, session, 'ses:SendEmail', identityArn(ACCOUNT, 'other.org')),
    );
    expect(await errorOf(c.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'a@other.org' }))))).toEqual(
      denied(2, session, 'ses:SendEmail', identityArn(ACCOUNT, 'other.org')),
    );
  });
});
