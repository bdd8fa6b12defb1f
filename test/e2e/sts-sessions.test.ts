// Issue 3, end to end: STS through @aws-sdk/client-sts against a real Sesame server —
// GetCallerIdentity for every kind of caller (never denied), AssumeRole decided by the trust policy
// and sts:ExternalId, the role session's ASIA credentials used on SES and IAM, a wrong session
// token refused, and GetSessionToken.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { ListIdentitiesCommand, SESClient } from '@aws-sdk/client-ses';
import { ACCOUNT, clientConfig, startTestServer, type TestServer } from '../support/server.js';
import { testDialects } from '../../src/store/database.js';

async function failure(
  p: Promise<unknown>,
): Promise<{ code: string; status: number | undefined; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as {
      name: string;
      Code?: string;
      message: string;
      $metadata?: { httpStatusCode?: number };
    };
    return { code: err.Code ?? err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error('expected the call to fail, it succeeded');
}

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const doc = (statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
const ARN = {
  root: `arn:aws:iam::${ACCOUNT}:root`,
  user: (n: string) => `arn:aws:iam::${ACCOUNT}:user/${n}`,
  role: (n: string) => `arn:aws:iam::${ACCOUNT}:role/${n}`,
  session: (role: string, s: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${s}`,
};
const INVALID_TOKEN = {
  code: 'InvalidClientTokenId',
  status: 403,
  message: 'The security token included in the request is invalid.',
};

describe.each(testDialects())('STS sessions (%s)', (dialect) => {
  let server: TestServer;
  let iam: IAMClient;
  const destroyables: { destroy(): void }[] = [];
  let bob: Creds;
  let denied: Creds;
  let trusted: Creds;
  let roleId: string;

  const sts = (c: Creds): STSClient => {
    const client = new STSClient(clientConfig(server, c));
    destroyables.push(client);
    return client;
  };
  const iamAs = (c: Creds): IAMClient => {
    const client = new IAMClient(clientConfig(server, c));
    destroyables.push(client);
    return client;
  };
  const asCreds = (
    c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined,
  ): Creds => ({
    accessKeyId: c!.AccessKeyId!,
    secretAccessKey: c!.SecretAccessKey!,
    ...(c?.SessionToken ? { sessionToken: c.SessionToken } : {}),
  });

  beforeAll(async () => {
    server = await startTestServer({}, dialect);
    iam = new IAMClient(clientConfig(server, server.credentials));
    destroyables.push(iam);
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    bob = asCreds((await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }))).AccessKey);
    // Denied may do nothing at all: the Deny wins everywhere, and GetCallerIdentity still answers.
    await iam.send(new CreateUserCommand({ UserName: 'denied' }));
    denied = asCreds((await iam.send(new CreateAccessKeyCommand({ UserName: 'denied' }))).AccessKey);
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'denied',
        PolicyName: 'deny-all',
        PolicyDocument: doc([{ Effect: 'Deny', Action: '*', Resource: '*' }]),
      }),
    );
    // AWS refuses a trust policy naming a user that does not exist: create them first.
    await iam.send(new CreateUserCommand({ UserName: 'trusted' }));
    trusted = asCreds((await iam.send(new CreateAccessKeyCommand({ UserName: 'trusted' }))).AccessKey);
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: 'mailer',
        // Trusts bob by name (no identity policy needed in the same account) only with the external id.
        AssumeRolePolicyDocument: doc([
          {
            Effect: 'Allow',
            Principal: { AWS: ARN.user('bob') },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': 'ticket-42' } },
          },
          {
            Effect: 'Allow',
            Principal: { AWS: [ARN.user('trusted'), ARN.user('denied')] },
            Action: 'sts:AssumeRole',
          },
        ]),
      }),
    );
    roleId = role.Role!.RoleId!;
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'mailer',
        PolicyName: 'work',
        PolicyDocument: doc([
          { Effect: 'Allow', Action: ['ses:ListIdentities', 'iam:GetRole'], Resource: '*' },
        ]),
      }),
    );
  });
  afterAll(async () => {
    for (const d of destroyables) d.destroy();
    await server?.stop();
  });

  it('tells the root user who it is', async () => {
    const who = await sts(server.credentials).send(new GetCallerIdentityCommand({}));
    expect({ UserId: who.UserId, Account: who.Account, Arn: who.Arn }).toEqual({
      UserId: ACCOUNT,
      Account: ACCOUNT,
      Arn: ARN.root,
    });
  });

  it('tells an IAM user who it is even under an explicit Deny *', async () => {
    const who = await sts(denied).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(ARN.user('denied'));
    expect(who.UserId).toMatch(/^AIDA/);
    expect(who.Account).toBe(ACCOUNT);
    // The Deny * does bite elsewhere, AssumeRole included (the trust policy below would allow it).
    expect(await failure(iamAs(denied).send(new GetUserCommand({})))).toEqual({
      code: 'AccessDenied',
      status: 403,
      message: `User: ${ARN.user('denied')} is not authorized to perform: iam:GetUser on resource: ${ARN.user('denied')} with an explicit deny in an identity-based policy`,
    });
    expect(
      await failure(
        sts(denied).send(new AssumeRoleCommand({ RoleArn: ARN.role('mailer'), RoleSessionName: 'no' })),
      ),
    ).toEqual({
      code: 'AccessDenied',
      status: 403,
      message: `User: ${ARN.user('denied')} is not authorized to perform: sts:AssumeRole on resource: ${ARN.role('mailer')}`,
    });
  });

  it('refuses AssumeRole without, or with the wrong, sts:ExternalId in STS words', async () => {
    const message = `User: ${ARN.user('bob')} is not authorized to perform: sts:AssumeRole on resource: ${ARN.role('mailer')}`;
    const arn = ARN.role('mailer');
    expect(
      await failure(sts(bob).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's1' }))),
    ).toEqual({ code: 'AccessDenied', status: 403, message });
    expect(
      await failure(
        sts(bob).send(
          new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's1', ExternalId: 'ticket-43' }),
        ),
      ),
    ).toEqual({
      code: 'AccessDenied',
      status: 403,
      message,
    });
  });

  it('refuses a caller the trust policy does not name, and a role that does not exist', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'stranger' }));
    const stranger = asCreds(
      (await iam.send(new CreateAccessKeyCommand({ UserName: 'stranger' }))).AccessKey,
    );
    // Even an identity policy allowing sts:AssumeRole on everything cannot stand in for the trust policy.
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'stranger',
        PolicyName: 'assume',
        PolicyDocument: doc([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }]),
      }),
    );
    expect(
      await failure(
        sts(stranger).send(new AssumeRoleCommand({ RoleArn: ARN.role('mailer'), RoleSessionName: 'xx' })),
      ),
    ).toEqual({
      code: 'AccessDenied',
      status: 403,
      message: `User: ${ARN.user('stranger')} is not authorized to perform: sts:AssumeRole on resource: ${ARN.role('mailer')}`,
    });
    expect(
      await failure(
        sts(stranger).send(new AssumeRoleCommand({ RoleArn: ARN.role('ghost'), RoleSessionName: 'xx' })),
      ),
    ).toEqual({
      code: 'AccessDenied',
      status: 403,
      message: `User: ${ARN.user('stranger')} is not authorized to perform: sts:AssumeRole on resource: ${ARN.role('ghost')}`,
    });
  });

  it('assumes the role with the right external id; the ASIA credentials act as the role on STS, SES and IAM', async () => {
    const out = await sts(bob).send(
      new AssumeRoleCommand({
        RoleArn: ARN.role('mailer'),
        RoleSessionName: 'deploy-7',
        ExternalId: 'ticket-42',
        DurationSeconds: 900,
      }),
    );
    expect(out.AssumedRoleUser).toEqual({
      AssumedRoleId: `${roleId}:deploy-7`,
      Arn: ARN.session('mailer', 'deploy-7'),
    });
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(out.Credentials?.SessionToken?.length).toBeGreaterThan(20);
    const ms = out.Credentials!.Expiration!.getTime() - Date.now();
    expect(ms).toBeGreaterThan(880_000);
    expect(ms).toBeLessThanOrEqual(900_000);
    const session = asCreds(out.Credentials);

    const who = await sts(session).send(new GetCallerIdentityCommand({}));
    expect({ UserId: who.UserId, Arn: who.Arn, Account: who.Account }).toEqual({
      UserId: `${roleId}:deploy-7`,
      Arn: ARN.session('mailer', 'deploy-7'),
      Account: ACCOUNT,
    });

    const ses = new SESClient(clientConfig(server, session));
    destroyables.push(ses);
    expect((await ses.send(new ListIdentitiesCommand({}))).Identities).toEqual([]);

    const roleIam = iamAs(session);
    expect((await roleIam.send(new GetRoleCommand({ RoleName: 'mailer' }))).Role?.RoleId).toBe(roleId);
    expect(await failure(roleIam.send(new CreateUserCommand({ UserName: 'x' })))).toEqual({
      code: 'AccessDenied',
      status: 403,
      message: `User: ${ARN.session('mailer', 'deploy-7')} is not authorized to perform: iam:CreateUser on resource: ${ARN.user('x')} because no identity-based policy allows the iam:CreateUser action`,
    });

    // A change to the role's policies applies to its live sessions at once.
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'mailer',
        PolicyName: 'stop',
        PolicyDocument: doc([{ Effect: 'Deny', Action: 'ses:*', Resource: '*' }]),
      }),
    );
    expect(await failure(ses.send(new ListIdentitiesCommand({})))).toMatchObject({
      code: 'AccessDenied',
      status: 403,
    });
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'mailer', PolicyName: 'stop' }));
    expect((await ses.send(new ListIdentitiesCommand({}))).Identities).toEqual([]);

    // The same key with a wrong or missing session token is not a valid credential.
    expect(
      await failure(
        sts({ ...session, sessionToken: `${session.sessionToken}x` }).send(new GetCallerIdentityCommand({})),
      ),
    ).toEqual(INVALID_TOKEN);
    expect(
      await failure(
        sts({ accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey }).send(
          new GetCallerIdentityCommand({}),
        ),
      ),
    ).toEqual(INVALID_TOKEN);
    // A session token does not turn a long-term key into something else either.
    expect(
      await failure(
        sts({ ...bob, sessionToken: session.sessionToken }).send(new GetCallerIdentityCommand({})),
      ),
    ).toEqual(INVALID_TOKEN);
  });

  it('lets a user named in the trust policy assume the role with no identity policy of its own', async () => {
    const out = await sts(trusted).send(
      new AssumeRoleCommand({ RoleArn: ARN.role('mailer'), RoleSessionName: 'plain' }),
    );
    expect(out.AssumedRoleUser?.Arn).toBe(ARN.session('mailer', 'plain'));
  });

  it('issues GetSessionToken credentials that act as the user; session credentials may not call it again', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'gst' }));
    const gst = asCreds((await iam.send(new CreateAccessKeyCommand({ UserName: 'gst' }))).AccessKey);
    const out = await sts(gst).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    const session = asCreds(out.Credentials);
    expect((await sts(session).send(new GetCallerIdentityCommand({}))).Arn).toBe(ARN.user('gst'));
    expect(await failure(sts(session).send(new GetSessionTokenCommand({})))).toEqual({
      code: 'AccessDenied',
      status: 403,
      message: 'Cannot call GetSessionToken with session credentials',
    });
    // The root user's session is the root.
    const rootSession = asCreds(
      (await sts(server.credentials).send(new GetSessionTokenCommand({}))).Credentials,
    );
    expect((await sts(rootSession).send(new GetCallerIdentityCommand({}))).Arn).toBe(ARN.root);
  });
});
