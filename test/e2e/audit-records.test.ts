// Issue 3, end to end: every API call to a real Sesame server leaves exactly one audit record —
// who (principal ARN, access key id), from where (127.0.0.1, user agent), what (event, actions,
// resources) and the decision (Allowed / ImplicitDeny / ExplicitDeny / Unauthenticated), with the
// deciding statement for denials. Records are found by the request id the SDK saw.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetUserCommand,
  IAMClient,
  ListUsersCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ACCOUNT, ROOT_KEY, clientConfig, startTestServer, type TestServer } from '../support/server.js';
import { queryAuditEvents, type AuditRecord } from '../../src/audit/audit-query.js';
import { testDialects } from '../../src/store/database.js';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const doc = (statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/auditee`;

/** The request id of a call, whether it succeeded or failed. */
async function requestIdOf(p: Promise<{ $metadata: { requestId?: string } }>): Promise<string> {
  try {
    return (await p).$metadata.requestId ?? '';
  } catch (e) {
    return (e as { $metadata?: { requestId?: string } }).$metadata?.requestId ?? '';
  }
}

describe.each(testDialects())('audit records (%s)', (dialect) => {
  let server: TestServer;
  let root: IAMClient;
  let user: Creds;
  let userIam: IAMClient;
  let userSts: STSClient;

  /** The one record of a request (fails when there are none or several). */
  async function recordOf(requestId: string): Promise<AuditRecord> {
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const recent = await queryAuditEvents(server.app.store, { limit: 1000 });
    const mine = recent.filter((r) => r.requestId === requestId);
    expect(mine).toHaveLength(1);
    return mine[0]!;
  }

  beforeAll(async () => {
    server = await startTestServer({}, dialect);
    root = new IAMClient(clientConfig(server, server.credentials));
    await root.send(new CreateUserCommand({ UserName: 'auditee' }));
    const k = (await root.send(new CreateAccessKeyCommand({ UserName: 'auditee' }))).AccessKey!;
    user = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    await root.send(
      new PutUserPolicyCommand({
        UserName: 'auditee',
        PolicyName: 'mixed',
        PolicyDocument: doc([
          { Sid: 'ReadUsers', Effect: 'Allow', Action: ['iam:ListUsers', 'iam:GetUser'], Resource: '*' },
          { Sid: 'NeverMe', Effect: 'Deny', Action: 'iam:GetUser', Resource: USER_ARN },
        ]),
      }),
    );
    await root.send(
      new CreateRoleCommand({
        RoleName: 'locked',
        AssumeRolePolicyDocument: doc([
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
        ]),
      }),
    );
    userIam = new IAMClient(clientConfig(server, user));
    userSts = new STSClient(clientConfig(server, user));
  });
  afterAll(async () => {
    for (const c of [root, userIam, userSts]) c?.destroy();
    await server?.stop();
  });

  it('records an allowed call with who, where, what and the decision', async () => {
    const id = await requestIdOf(userIam.send(new ListUsersCommand({})));
    const r = await recordOf(id);
    expect(r).toMatchObject({
      accountId: ACCOUNT,
      region: 'us-east-1',
      principalArn: USER_ARN,
      accessKeyId: user.accessKeyId,
      sourceIp: '127.0.0.1',
      eventSource: 'iam.amazonaws.com',
      eventName: 'ListUsers',
      actions: ['iam:ListUsers'],
      resources: [`arn:aws:iam::${ACCOUNT}:user/`],
      decision: 'Allowed',
      errorCode: null,
      errorMessage: null,
    });
    expect(r.userAgent).toMatch(/aws-sdk-js/);
    expect(Math.abs(Date.parse(r.eventTime) - Date.now())).toBeLessThan(60_000);
  });

  it('records an implicit deny with the error and an explanation', async () => {
    const id = await requestIdOf(userIam.send(new CreateUserCommand({ UserName: 'nope' })));
    const r = await recordOf(id);
    expect(r).toMatchObject({
      principalArn: USER_ARN,
      accessKeyId: user.accessKeyId,
      eventName: 'CreateUser',
      actions: ['iam:CreateUser'],
      resources: [`arn:aws:iam::${ACCOUNT}:user/nope`],
      decision: 'ImplicitDeny',
      errorCode: 'AccessDenied',
      errorMessage: `User: ${USER_ARN} is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT}:user/nope because no identity-based policy allows the iam:CreateUser action`,
    });
    expect(r.explanation).toMatchObject({ action: 'iam:CreateUser', decision: 'ImplicitDeny', matched: [] });
  });

  it('records an explicit deny naming the deciding statement', async () => {
    const id = await requestIdOf(userIam.send(new GetUserCommand({})));
    const r = await recordOf(id);
    expect(r).toMatchObject({
      eventName: 'GetUser',
      actions: ['iam:GetUser'],
      resources: [USER_ARN],
      decision: 'ExplicitDeny',
      errorCode: 'AccessDenied',
    });
    const e = r.explanation as {
      decision: string;
      decidedBy: string;
      matched: { sid?: string; effect: string; policyId: string }[];
    };
    expect(e.decision).toBe('ExplicitDeny');
    expect(e.decidedBy).toBe('identity');
    expect(e.matched.map((m) => [m.sid, m.effect])).toEqual([['NeverMe', 'Deny']]);
    expect(e.matched[0]!.policyId).toContain('mixed');
    // Allowed on another user: the same statement set, another outcome.
    const other = await recordOf(
      await requestIdOf(userIam.send(new GetUserCommand({ UserName: 'auditee2' }))),
    );
    expect(other).toMatchObject({ decision: 'Allowed', errorCode: 'NoSuchEntity' });
  });

  it('records a denied AssumeRole with the role as resource', async () => {
    const id = await requestIdOf(
      userSts.send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/locked`, RoleSessionName: 'try' }),
      ),
    );
    const r = await recordOf(id);
    expect(r).toMatchObject({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      principalArn: USER_ARN,
      actions: ['sts:AssumeRole'],
      resources: [`arn:aws:iam::${ACCOUNT}:role/locked`],
      decision: 'ImplicitDeny',
      errorCode: 'AccessDenied',
    });
  });

  it('records GetCallerIdentity, which no policy decides, as Allowed with no actions', async () => {
    const id = await requestIdOf(userSts.send(new GetCallerIdentityCommand({})));
    expect(await recordOf(id)).toMatchObject({
      eventName: 'GetCallerIdentity',
      principalArn: USER_ARN,
      decision: 'Allowed',
      actions: [],
    });
  });

  it('records calls that fail authentication as Unauthenticated', async () => {
    const stranger = new STSClient(
      clientConfig(server, { accessKeyId: 'AKIAUNKNOWNKEY000003', secretAccessKey: 'q'.repeat(40) }),
    );
    const wrongSecret = new STSClient(clientConfig(server, { ...ROOT_KEY, secretAccessKey: 'q'.repeat(40) }));
    try {
      const unknown = await recordOf(await requestIdOf(stranger.send(new GetCallerIdentityCommand({}))));
      expect(unknown).toMatchObject({
        principalArn: null,
        sourceIp: '127.0.0.1',
        eventSource: 'sts.amazonaws.com',
        decision: 'Unauthenticated',
        errorCode: 'InvalidClientTokenId',
        accessKeyId: 'AKIAUNKNOWNKEY000003', // the key that was tried, for whoever investigates
      });
      const mismatch = await recordOf(await requestIdOf(wrongSecret.send(new GetCallerIdentityCommand({}))));
      expect(mismatch).toMatchObject({
        decision: 'Unauthenticated',
        errorCode: 'SignatureDoesNotMatch',
        principalArn: null,
        accessKeyId: ROOT_KEY.accessKeyId,
      });
    } finally {
      stranger.destroy();
      wrongSecret.destroy();
    }
  });

  it('leaves exactly one record per call', async () => {
    const before = await queryAuditEvents(server.app.store, { principalArn: USER_ARN, limit: 1000 });
    const ids = [
      await requestIdOf(userIam.send(new ListUsersCommand({}))),
      await requestIdOf(userIam.send(new CreateUserCommand({ UserName: 'again' }))),
      await requestIdOf(userSts.send(new GetCallerIdentityCommand({}))),
    ];
    const after = await queryAuditEvents(server.app.store, { principalArn: USER_ARN, limit: 1000 });
    expect(after.length - before.length).toBe(3);
    expect(
      after
        .slice(0, 3)
        .map((r) => r.requestId)
        .sort(),
    ).toEqual([...ids].sort());
  });
});
