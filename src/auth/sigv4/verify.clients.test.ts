// Real clients against a real socket: SDK v3, botocore and the aws CLI each sign their own
// requests (their own path and query encoding) and the server must accept every one of them.

import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import {
  ListIdentitiesCommand,
  SendEmailCommand as SendEmailV1Command,
  SESClient,
} from '@aws-sdk/client-ses';
import {
  CreateEmailIdentityPolicyCommand,
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  ListEmailIdentitiesCommand,
  ListSuppressedDestinationsCommand,
  SendEmailCommand,
  SESv2Client,
  UpdateEmailIdentityPolicyCommand,
} from '@aws-sdk/client-sesv2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Hash } from '@smithy/core/serde';
import { buildQueryString, HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { verifySigV4, type StoredKey, type VerifyResult } from './verify.js';

const run = promisify(execFile);

/** The environment without any AWS_* setting of this machine, plus `extra`. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return { ...env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', ...extra };
}

const USER: StoredKey = {
  accessKeyId: 'AKIAUSER0000EXAMPLE1',
  secretAccessKey: 'user/secret+key/EXAMPLE0000000000000000',
  status: 'Active',
};
const TEMP: StoredKey = {
  accessKeyId: 'ASIATEMP0000EXAMPLE1',
  secretAccessKey: 'temp/secret+key/EXAMPLE0000000000000000',
  status: 'Active',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes==',
  expiresAt: Date.now() + 3600_000,
};
const KEYS = new Map([USER, TEMP].map((k) => [k.accessKeyId, k]));

interface Seen {
  method: string;
  url: string;
  result: VerifyResult;
}
let seen: Seen[] = [];
let server: Server;
let endpoint: string;

function bodyOf(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const result = await verifySigV4(
        {
          method: req.method ?? 'GET',
          rawPath: q < 0 ? url : url.slice(0, q),
          rawQuery: q < 0 ? '' : url.slice(q + 1),
          headers: req.headersDistinct,
          body,
        },
        { now: new Date(), lookupKey: (id) => KEYS.get(id) },
      );
      seen.push({ method: req.method ?? '', url, result });
      // 400 with no body: every client gives up at once (no retry) and we read what was verified.
      res.writeHead(400, { 'content-type': 'application/json' }).end('{}');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
});

/** Sends through a client, ignores its (expected) failure, returns what the server verified. */
async function verifiedCall(send: () => Promise<unknown>): Promise<Seen> {
  await send().catch(() => undefined);
  expect(seen).toHaveLength(1);
  return seen[0]!;
}

function expectOk(s: Seen, region: string, service: string, key: StoredKey = USER): void {
  if (!s.result.ok)
    throw new Error(
      `${s.method} ${s.url} refused: ${s.result.error.code} ${s.result.error.message}\n${s.result.diagnostics?.canonicalRequest ?? ''}`,
    );
  expect(s.result.key).toBe(key);
  expect(s.result.scope).toEqual({ date: expect.stringMatching(/^\d{8}$/), region, service });
}

const sdkConfig = (region: string, key: StoredKey = USER) => ({
  region,
  endpoint,
  maxAttempts: 1,
  credentials: {
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
    sessionToken: key.sessionToken,
  },
});

describe('SDK v3 clients', () => {
  const v2 = () => new SESv2Client(sdkConfig('eu-west-1'));

  it('GET with a percent-encoded path (GetEmailIdentity user@example.com)', async () => {
    const s = await verifiedCall(() =>
      v2().send(new GetEmailIdentityCommand({ EmailIdentity: 'user@example.com' })),
    );
    expect(s.url).toBe('/v2/email/identities/user%40example.com');
    expectOk(s, 'eu-west-1', 'ses');
  });

  it('DELETE with characters the path must encode (a+b c@example.com)', async () => {
    const s = await verifiedCall(() =>
      v2().send(new DeleteEmailIdentityCommand({ EmailIdentity: "a+b c'd@example.com" })),
    );
    expect(s.method).toBe('DELETE');
    expect(s.url).toContain('%2B');
    expectOk(s, 'eu-west-1', 'ses');
  });

  it('POST and PUT with two path labels and a JSON body', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ses:SendEmail', Resource: '*' }],
    });
    const post = await verifiedCall(() =>
      v2().send(
        new CreateEmailIdentityPolicyCommand({
          EmailIdentity: 'example.com',
          PolicyName: 'p/1 ü',
          Policy: policy,
        }),
      ),
    );
    expectOk(post, 'eu-west-1', 'ses');
    seen = [];
    const put = await verifiedCall(() =>
      v2().send(
        new UpdateEmailIdentityPolicyCommand({
          EmailIdentity: 'ü@example.com',
          PolicyName: 'p',
          Policy: policy,
        }),
      ),
    );
    expect(put.method).toBe('PUT');
    expectOk(put, 'eu-west-1', 'ses');
  });

  it('GET with an encoded query value (NextToken with space, slash, plus and equals)', async () => {
    const s = await verifiedCall(() =>
      v2().send(new ListSuppressedDestinationsCommand({ PageSize: 10, NextToken: 'a b/c+d==' })),
    );
    expect(s.url).toContain('NextToken=a%20b%2Fc%2Bd%3D%3D');
    expectOk(s, 'eu-west-1', 'ses');
  });

  it('an operation this SDK version sends as POST (ListEmailIdentities)', async () => {
    expectOk(
      await verifiedCall(() =>
        v2().send(new ListEmailIdentitiesCommand({ PageSize: 10, NextToken: 'a b/c+d==' })),
      ),
      'eu-west-1',
      'ses',
    );
  });

  it('GET with a repeated query key and timestamps (ListSuppressedDestinations)', async () => {
    const s = await verifiedCall(() =>
      v2().send(
        new ListSuppressedDestinationsCommand({
          Reasons: ['COMPLAINT', 'BOUNCE'],
          StartDate: new Date('2026-11-01T00:00:00Z'),
          EndDate: new Date('2026-11-28T10:20:30Z'),
        }),
      ),
    );
    expect(s.url.match(/Reason=/g)?.length ?? s.url.match(/Reasons=/g)?.length).toBe(2);
    expectOk(s, 'eu-west-1', 'ses');
  });

  it('POST JSON with non-ASCII content (v2 SendEmail)', async () => {
    const s = await verifiedCall(() =>
      v2().send(
        new SendEmailCommand({
          FromEmailAddress: 'Zoë <zoe@example.com>',
          Destination: { ToAddresses: ['b@example.com'] },
          Content: { Simple: { Subject: { Data: 'Grüße ✓' }, Body: { Text: { Data: 'Hallo\r\n' } } } },
        }),
      ),
    );
    expectOk(s, 'eu-west-1', 'ses');
  });

  it('POST form body (SES v1 Query protocol)', async () => {
    const v1 = new SESClient(sdkConfig('us-west-2'));
    const s = await verifiedCall(() =>
      v1.send(
        new SendEmailV1Command({
          Source: 'Ann <a@example.com>',
          Destination: { ToAddresses: ['b@example.com', 'c+tag@example.com'] },
          Message: { Subject: { Data: 'Hi & bye' }, Body: { Text: { Data: 'x = y; 100%' } } },
        }),
      ),
    );
    expectOk(s, 'us-west-2', 'ses');
    seen = [];
    expectOk(
      await verifiedCall(() => v1.send(new ListIdentitiesCommand({ IdentityType: 'EmailAddress' }))),
      'us-west-2',
      'ses',
    );
  });

  it('IAM and STS, STS with temporary credentials and their session token', async () => {
    expectOk(
      await verifiedCall(() => new IAMClient(sdkConfig('us-east-1')).send(new ListUsersCommand({}))),
      'us-east-1',
      'iam',
    );
    seen = [];
    const s = await verifiedCall(() =>
      new STSClient(sdkConfig('ap-south-1', TEMP)).send(new GetCallerIdentityCommand({})),
    );
    expectOk(s, 'ap-south-1', 'sts', TEMP);
  });

  it('a presigned URL (STS GetCallerIdentity) fetched over the socket', async () => {
    const signer = new SignatureV4({
      credentials: {
        accessKeyId: TEMP.accessKeyId,
        secretAccessKey: TEMP.secretAccessKey,
        sessionToken: TEMP.sessionToken,
      },
      region: 'us-east-1',
      service: 'sts',
      sha256: Hash.bind(null, 'sha256'),
    });
    const { hostname, port } = new URL(endpoint);
    const presigned = await signer.presign(
      new HttpRequest({
        method: 'GET',
        protocol: 'http:',
        hostname,
        port: Number(port),
        path: '/',
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        headers: { host: `${hostname}:${port}` },
      }),
      { expiresIn: 900 },
    );
    // buildQueryString is what the SDK's own HTTP handlers put on the wire.
    await fetch(`${endpoint}/?${buildQueryString(presigned.query ?? {})}`);
    expect(seen).toHaveLength(1);
    expectOk(seen[0]!, 'us-east-1', 'sts', TEMP);
    expect(seen[0]!.result.ok && seen[0]!.result.presigned).toBe(true);
  });
});

// botocore is what boto3 and the aws CLI sign with; it encodes paths and queries on its own.
const BOTO_SCRIPT = String.raw`
import sys, datetime, urllib.request
import botocore.session
from botocore.config import Config
from botocore.awsrequest import AWSRequest
from botocore.auth import SigV4Auth
from botocore.credentials import Credentials
endpoint = sys.argv[1]
user = (sys.argv[2], sys.argv[3])
temp = (sys.argv[4], sys.argv[5], sys.argv[6])
cfg = Config(retries={'total_max_attempts': 1})
s = botocore.session.get_session()
def client(name, region, key=user):
    return s.create_client(name, region_name=region, endpoint_url=endpoint, config=cfg,
        aws_access_key_id=key[0], aws_secret_access_key=key[1], aws_session_token=(key[2] if len(key) > 2 else None))
def call(f):
    try: f()
    except Exception: pass
v2 = client('sesv2', 'eu-west-1')
call(lambda: v2.get_email_identity(EmailIdentity='user@example.com'))
call(lambda: v2.delete_email_identity(EmailIdentity="a+b c'd@example.com"))
call(lambda: v2.list_email_identities(PageSize=10, NextToken='a b/c+d=='))
call(lambda: v2.list_suppressed_destinations(Reasons=['COMPLAINT', 'BOUNCE'], StartDate=datetime.datetime(2026, 11, 1)))
call(lambda: v2.update_email_identity_policy(EmailIdentity='ü@example.com', PolicyName='p', Policy='{}'))
call(lambda: v2.send_email(FromEmailAddress='zoe@example.com', Destination={'ToAddresses': ['b@example.com']},
    Content={'Simple': {'Subject': {'Data': 'Grüße ✓'}, 'Body': {'Text': {'Data': 'x'}}}}))
call(lambda: client('ses', 'us-west-2').send_email(Source='Ann <a@example.com>', Destination={'ToAddresses': ['b@example.com']},
    Message={'Subject': {'Data': 'Hi & bye'}, 'Body': {'Text': {'Data': 'x = y; 100%'}}}))
call(lambda: client('iam', 'us-east-1').list_users())
call(lambda: client('sts', 'ap-south-1', temp).get_caller_identity())
# botocore presigns for the operation's own method (POST) unless told otherwise (the EKS-token recipe).
sts = client('sts', 'us-east-1', temp)
url = sts.generate_presigned_url('get_caller_identity', ExpiresIn=900)
call(lambda: urllib.request.urlopen(urllib.request.Request(url, data=b'', method='POST')))
url = sts.generate_presigned_url('get_caller_identity', ExpiresIn=60, HttpMethod='GET')
call(lambda: urllib.request.urlopen(url))
# SigV4Auth on a hand-made request: repeated keys, an empty value, a key without '='.
req = AWSRequest(method='GET', url=endpoint + '/v2/email/identities?b=2&a=&a=1&flag&c=%7E%2A', headers={})
SigV4Auth(Credentials(*user), 'ses', 'eu-west-1').add_auth(req)
p = req.prepare()
call(lambda: urllib.request.urlopen(urllib.request.Request(p.url, headers=dict(p.headers), method='GET')))
`;

describe('botocore (boto3, aws CLI)', () => {
  it('every request botocore signs verifies', async () => {
    await run(
      'python3',
      [
        '-c',
        BOTO_SCRIPT,
        endpoint,
        USER.accessKeyId,
        USER.secretAccessKey,
        TEMP.accessKeyId,
        TEMP.secretAccessKey,
        TEMP.sessionToken!,
      ],
      {
        env: cleanEnv(),
        timeout: 25_000,
      },
    );
    const expected: [RegExp, string, string, StoredKey][] = [
      [/^\/v2\/email\/identities\/user%40example\.com$/, 'eu-west-1', 'ses', USER],
      [/^\/v2\/email\/identities\/a%2Bb%20c%27d%40example\.com$/, 'eu-west-1', 'ses', USER],
      [/^\/v2\/email\/identities\?.*NextToken=a%20b%2Fc%2Bd%3D%3D/, 'eu-west-1', 'ses', USER],
      [/^\/v2\/email\/suppression\/addresses\?.*Reason=COMPLAINT&Reason=BOUNCE/, 'eu-west-1', 'ses', USER],
      [/^\/v2\/email\/identities\/%C3%BC%40example\.com\/policies\/p$/, 'eu-west-1', 'ses', USER],
      [/^\/v2\/email\/outbound-emails$/, 'eu-west-1', 'ses', USER],
      [/^\/$/, 'us-west-2', 'ses', USER],
      [/^\/$/, 'us-east-1', 'iam', USER],
      [/^\/$/, 'ap-south-1', 'sts', TEMP],
      [
        /^\/\?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=.*X-Amz-Expires=900/,
        'us-east-1',
        'sts',
        TEMP,
      ],
      [
        /^\/\?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=.*X-Amz-Expires=60/,
        'us-east-1',
        'sts',
        TEMP,
      ],
      [/^\/v2\/email\/identities\?b=2&a=&a=1&flag&c=%7E%2A$/, 'eu-west-1', 'ses', USER],
    ];
    expect(seen.map((s) => s.url)).toHaveLength(expected.length);
    expected.forEach(([url, region, service, key], i) => {
      const s = seen[i]!;
      expect(s.url).toMatch(url);
      expectOk(s, region, service, key);
    });
    expect(seen[9]!.method).toBe('POST');
    expect(seen[10]!.method).toBe('GET');
    expect(seen[9]!.result.ok && seen[9]!.result.presigned).toBe(true);
    expect(seen[10]!.result.ok && seen[10]!.result.presigned).toBe(true);
  });

  it('the aws CLI (sesv2 get-email-identity) verifies', async () => {
    await run(
      'aws',
      [
        'sesv2',
        'get-email-identity',
        '--email-identity',
        'user@example.com',
        '--endpoint-url',
        endpoint,
        '--region',
        'eu-central-1',
        '--cli-read-timeout',
        '5',
      ],
      {
        env: cleanEnv({
          AWS_ACCESS_KEY_ID: USER.accessKeyId,
          AWS_SECRET_ACCESS_KEY: USER.secretAccessKey,
          AWS_MAX_ATTEMPTS: '1',
          AWS_PAGER: '',
        }),
        timeout: 25_000,
      },
    ).catch(() => undefined);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('/v2/email/identities/user%40example.com');
    expectOk(seen[0]!, 'eu-central-1', 'ses');
  });
});
