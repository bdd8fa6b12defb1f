// Issue 3, end to end: Sesame accepts SigV4 from signers other than the JS SDK — the real `aws` CLI
// (v1, botocore) and boto3 — for IAM, STS, SES v1 and SES v2, with long-term and session
// credentials, and both read its errors as AWS errors. Signing does not depend on the store: SQLite only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { ACCOUNT, clientConfig, startTestServer, type TestServer } from '../support/server.js';
import { runAwsCli, type CliCredentials } from '../support/aws-cli.js';
import { runBoto3 } from '../support/boto3.js';

const doc = (statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('other SigV4 signers: aws CLI and boto3', () => {
  let server: TestServer;
  let plain: CliCredentials;

  beforeAll(async () => {
    server = await startTestServer();
    const iam = new IAMClient(clientConfig(server, server.credentials));
    await iam.send(new CreateUserCommand({ UserName: 'plain' }));
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'plain' }))).AccessKey!;
    plain = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'cli-role',
        AssumeRolePolicyDocument: doc([
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/plain` },
            Action: 'sts:AssumeRole',
          },
        ]),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'cli-role',
        PolicyName: 'ses-read',
        PolicyDocument: doc([
          { Effect: 'Allow', Action: ['ses:ListIdentities', 'ses:ListEmailIdentities'], Resource: '*' },
        ]),
      }),
    );
    iam.destroy();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("aws CLI: iam list-users as root, and a denied call with AWS's error line", async () => {
    const [users, denied] = await Promise.all([
      runAwsCli(server.endpoint, server.credentials, ['iam', 'list-users']),
      runAwsCli(server.endpoint, plain, ['iam', 'create-user', '--user-name', 'zed']),
    ]);
    expect(users.stderr).toBe('');
    expect(users.exitCode).toBe(0);
    expect(
      (JSON.parse(users.stdout) as { Users: { UserName: string }[] }).Users.map((u) => u.UserName),
    ).toEqual(['plain']);

    expect(denied.exitCode).not.toBe(0);
    expect(denied.stdout).toBe('');
    expect(denied.stderr.trim()).toBe(
      `An error occurred (AccessDenied) when calling the CreateUser operation: User: arn:aws:iam::${ACCOUNT}:user/plain ` +
        `is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT}:user/zed because no identity-based policy allows the iam:CreateUser action`,
    );
  });

  it('aws CLI: assume-role, then SES v1 and SES v2 with the session credentials', async () => {
    const assumed = await runAwsCli(server.endpoint, plain, [
      'sts',
      'assume-role',
      '--role-arn',
      `arn:aws:iam::${ACCOUNT}:role/cli-role`,
      '--role-session-name',
      'cli',
    ]);
    expect(assumed.stderr).toBe('');
    const c = (
      JSON.parse(assumed.stdout) as {
        Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
      }
    ).Credentials;
    expect(c.AccessKeyId).toMatch(/^ASIA/);
    const session = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    };
    const [v1, v2, who] = await Promise.all([
      runAwsCli(server.endpoint, session, ['ses', 'list-identities']),
      runAwsCli(server.endpoint, session, ['sesv2', 'list-email-identities']),
      runAwsCli(server.endpoint, session, ['sts', 'get-caller-identity']),
    ]);
    expect(v1.stderr).toBe('');
    expect(JSON.parse(v1.stdout)).toEqual({ Identities: [] });
    expect(JSON.parse(who.stdout)).toMatchObject({
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/cli-role/cli`,
      Account: ACCOUNT,
    });
    expect(v2.stderr).toBe('');
    expect(JSON.parse(v2.stdout)).toEqual({ EmailIdentities: [] });
  });

  it('boto3: STS, IAM, SES v2 calls and AWS error codes as botocore parses them', async () => {
    const result = await runBoto3(
      server.endpoint,
      plain,
      `
sts = client('sts')
iam = client('iam')
r = {}
r['arn'] = sts.get_caller_identity()['Arn']
try:
    iam.list_users()
except ClientError as e:
    r['listUsers'] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
creds = sts.assume_role(RoleArn='arn:aws:iam::${ACCOUNT}:role/cli-role', RoleSessionName='boto')['Credentials']
role = boto3.Session(aws_access_key_id=creds['AccessKeyId'], aws_secret_access_key=creds['SecretAccessKey'],
                     aws_session_token=creds['SessionToken'], region_name='us-east-1')
sesv2 = role.client('sesv2', endpoint_url=os.environ['SESAME_ENDPOINT'])
r['identities'] = sesv2.list_email_identities()['EmailIdentities']
try:
    sesv2.get_account()
except ClientError as e:
    r['getAccount'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
out(r)
`,
    );
    expect(result).toEqual({
      arn: `arn:aws:iam::${ACCOUNT}:user/plain`,
      listUsers: [
        'AccessDenied',
        `User: arn:aws:iam::${ACCOUNT}:user/plain is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${ACCOUNT}:user/ because no identity-based policy allows the iam:ListUsers action`,
        403,
      ],
      identities: [],
      getAccount: ['AccessDeniedException', 403],
    });
  });

  it('boto3: a wrong secret and an unknown key are refused with the Query error codes', async () => {
    const result = await runBoto3(
      server.endpoint,
      plain,
      `
def refusal(key, secret, service, call):
    s = boto3.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name='us-east-1')
    c = s.client(service, endpoint_url=os.environ['SESAME_ENDPOINT'], config=Config(retries={'max_attempts': 1, 'mode': 'standard'}))
    try:
        getattr(c, call)()
        return 'allowed'
    except ClientError as e:
        return [e.response['Error'], e.response['ResponseMetadata']['HTTPStatusCode']]
out([refusal('${plain.accessKeyId}', 'z' * 40, 'sts', 'get_caller_identity'),
     refusal('AKIAUNKNOWNKEY000002', 'z' * 40, 'iam', 'list_users')])
`,
    );
    expect(result).toEqual([
      [
        {
          Type: 'Sender',
          Code: 'SignatureDoesNotMatch',
          Message:
            'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
        },
        403,
      ],
      [
        {
          Type: 'Sender',
          Code: 'InvalidClientTokenId',
          Message: 'The security token included in the request is invalid.',
        },
        403,
      ],
    ]);
  });

  it('boto3: a presigned GetCallerIdentity URL made by botocore works from plain fetch, for the method it was signed for', async () => {
    const urls = (await runBoto3(
      server.endpoint,
      plain,
      "sts = client('sts')\nout([sts.generate_presigned_url('get_caller_identity', ExpiresIn=120, HttpMethod='GET'), sts.generate_presigned_url('get_caller_identity', ExpiresIn=120)])",
    )) as [string, string];
    expect(urls[0]).toContain('X-Amz-Signature=');
    const res = await fetch(urls[0]);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`<Arn>arn:aws:iam::${ACCOUNT}:user/plain</Arn>`);
    // Without HttpMethod botocore signs the Query protocol's POST: the URL then works with POST only.
    expect((await fetch(urls[1], { method: 'POST' })).status).toBe(200);
    const asGet = await fetch(urls[1]);
    expect(asGet.status).toBe(403);
    expect(await asGet.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});
