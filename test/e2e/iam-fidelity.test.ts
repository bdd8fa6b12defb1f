// IAM fidelity through @aws-sdk/client-iam against a real Sesame server: ListEntitiesForPolicy,
// trust policies naming principals that do not exist, and IAM's refusal of GetSessionToken
// credentials — each with AWS's code, HTTP status and message as the SDK sees them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  ListEntitiesForPolicyCommand,
  ListUsersCommand,
  PutRolePermissionsBoundaryCommand,
  PutUserPolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { ACCOUNT, clientConfig, startTestServer, type TestServer } from '../support/server.js';
import { testDialects } from '../../src/store/database.js';

async function failure(
  p: Promise<unknown>,
): Promise<{ name: string; code: string | undefined; status: number | undefined; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as {
      name: string;
      Code?: string;
      message: string;
      $metadata?: { httpStatusCode?: number };
    };
    return { name: err.name, code: err.Code, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error('expected the call to fail, it succeeded');
}

const doc = (statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
const trustOf = (aws: string): string =>
  doc([{ Effect: 'Allow', Principal: { AWS: aws }, Action: 'sts:AssumeRole' }]);
type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

describe.each(testDialects())('IAM fidelity through the SDK (%s)', (dialect) => {
  let server: TestServer;
  let iam: IAMClient;
  const clients: { destroy(): void }[] = [];
  const iamAs = (c: Creds) => {
    const client = new IAMClient(clientConfig(server, c));
    clients.push(client);
    return client;
  };
  async function userWithKey(name: string, policy?: string): Promise<Creds> {
    await iam.send(new CreateUserCommand({ UserName: name }));
    if (policy)
      await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: policy }));
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
    return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
  }

  beforeAll(async () => {
    server = await startTestServer({}, dialect);
    iam = new IAMClient(clientConfig(server, server.credentials));
    clients.push(iam);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });

  it('ListEntitiesForPolicy lists attached and bounded entities, filters, pages, and is authorized on the policy', async () => {
    const arn = (
      await iam.send(
        new CreatePolicyCommand({
          PolicyName: 'mail',
          PolicyDocument: doc([{ Effect: 'Allow', Action: 'ses:*', Resource: '*' }]),
        }),
      )
    ).Policy!.Arn!;
    await iam.send(new CreateUserCommand({ UserName: 'ann', Path: '/eng/' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'senders' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'mailer', AssumeRolePolicyDocument: trustOf(ACCOUNT) }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'ann', PolicyArn: arn }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'senders', PolicyArn: arn }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'mailer', PolicyArn: arn }));
    const bounded = await iam.send(
      new CreateRoleCommand({ RoleName: 'bounded', AssumeRolePolicyDocument: trustOf(ACCOUNT) }),
    );
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'bounded', PermissionsBoundary: arn }));

    const all = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
    expect(all.PolicyGroups?.map((g) => g.GroupName)).toEqual(['senders']);
    expect(all.PolicyUsers?.map((u) => [u.UserName, u.UserId?.slice(0, 4)])).toEqual([['ann', 'AIDA']]);
    expect(all.PolicyRoles?.map((r) => r.RoleName)).toEqual(['bounded', 'mailer']);
    expect(all.IsTruncated).toBe(false);

    const boundaries = await iam.send(
      new ListEntitiesForPolicyCommand({ PolicyArn: arn, PolicyUsageFilter: 'PermissionsBoundary' }),
    );
    expect(boundaries.PolicyRoles).toEqual([{ RoleName: 'bounded', RoleId: bounded.Role!.RoleId }]);
    expect([boundaries.PolicyUsers, boundaries.PolicyGroups]).toEqual([[], []]);
    const eng = await iam.send(
      new ListEntitiesForPolicyCommand({ PolicyArn: arn, EntityFilter: 'User', PathPrefix: '/eng/' }),
    );
    expect(eng.PolicyUsers?.map((u) => u.UserName)).toEqual(['ann']);

    const first = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, MaxItems: 2 }));
    expect([first.PolicyGroups?.length, first.PolicyUsers?.length, first.PolicyRoles?.length]).toEqual([
      1, 1, 0,
    ]);
    expect(first.IsTruncated).toBe(true);
    const rest = await iam.send(
      new ListEntitiesForPolicyCommand({ PolicyArn: arn, MaxItems: 2, Marker: first.Marker }),
    );
    expect(rest.PolicyRoles?.map((r) => r.RoleName)).toEqual(['bounded', 'mailer']);
    expect(rest.IsTruncated).toBe(false);

    const missing = `arn:aws:iam::${ACCOUNT}:policy/none`;
    expect(await failure(iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: missing })))).toEqual({
      name: 'NoSuchEntityException',
      code: 'NoSuchEntity',
      status: 404,
      message: `Policy ${missing} was not found.`,
    });
    expect(
      await failure(
        iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, EntityFilter: 'Users' as never })),
      ),
    ).toMatchObject({
      code: 'ValidationError',
      status: 400,
      message:
        "1 validation error detected: Value 'Users' at 'entityFilter' failed to satisfy constraint: Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]",
    });

    // Authorized as iam:ListEntitiesForPolicy on the policy ARN.
    const reader = iamAs(
      await userWithKey(
        'reader',
        doc([{ Effect: 'Allow', Action: 'iam:ListEntitiesForPolicy', Resource: arn }]),
      ),
    );
    expect(
      (await reader.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }))).PolicyUsers,
    ).toHaveLength(1);
    expect(await failure(reader.send(new ListEntitiesForPolicyCommand({ PolicyArn: missing })))).toEqual({
      name: 'AccessDenied',
      code: 'AccessDenied',
      status: 403,
      message: `User: arn:aws:iam::${ACCOUNT}:user/reader is not authorized to perform: iam:ListEntitiesForPolicy on resource: ${missing} because no identity-based policy allows the iam:ListEntitiesForPolicy action`,
    });
  });

  it('refuses trust policies naming a user or role that does not exist (CreateRole and UpdateAssumeRolePolicy)', async () => {
    const nobody = `arn:aws:iam::${ACCOUNT}:user/nobody`;
    const invalid = (arn: string) => ({
      name: 'MalformedPolicyDocumentException',
      code: 'MalformedPolicyDocument',
      status: 400,
      message: `Invalid principal in policy: "AWS":"${arn}"`,
    });
    expect(
      await failure(
        iam.send(new CreateRoleCommand({ RoleName: 'trusting', AssumeRolePolicyDocument: trustOf(nobody) })),
      ),
    ).toEqual(invalid(nobody));
    const self = `arn:aws:iam::${ACCOUNT}:role/trusting`;
    expect(
      await failure(
        iam.send(new CreateRoleCommand({ RoleName: 'trusting', AssumeRolePolicyDocument: trustOf(self) })),
      ),
    ).toEqual(invalid(self));
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'trusting',
        AssumeRolePolicyDocument: trustOf(`arn:aws:iam::${ACCOUNT}:root`),
      }),
    );
    // Once the role exists it may trust itself; a missing role is refused.
    await iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: 'trusting', PolicyDocument: trustOf(self) }),
    );
    const ghost = `arn:aws:iam::${ACCOUNT}:role/ghost`;
    expect(
      await failure(
        iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'trusting', PolicyDocument: trustOf(ghost) })),
      ),
    ).toEqual(invalid(ghost));
    expect(
      decodeURIComponent(
        (await iam.send(new GetRoleCommand({ RoleName: 'trusting' }))).Role!.AssumeRolePolicyDocument!,
      ),
    ).toBe(trustOf(self));
    await iam.send(new CreateUserCommand({ UserName: 'nobody' }));
    await iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: 'trusting', PolicyDocument: trustOf(nobody) }),
    );
  });

  it('GetPolicyVersion on a missing policy answers with the version sentence', async () => {
    const gone = `arn:aws:iam::${ACCOUNT}:policy/gone`;
    expect(
      await failure(iam.send(new GetPolicyVersionCommand({ PolicyArn: gone, VersionId: 'v1' }))),
    ).toEqual({
      name: 'NoSuchEntityException',
      code: 'NoSuchEntity',
      status: 404,
      message: `Policy ${gone} version v1 does not exist or is not attachable.`,
    });
  });

  it('refuses IAM calls made with GetSessionToken credentials (InvalidClientTokenId); STS still answers', async () => {
    const key = await userWithKey('gst', doc([{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }]));
    expect((await iamAs(key).send(new ListUsersCommand({}))).Users?.length).toBeGreaterThan(0);
    const sts = new STSClient(clientConfig(server, key));
    clients.push(sts);
    const c = (await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials!;
    const session = {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    };
    expect(await failure(iamAs(session).send(new ListUsersCommand({})))).toEqual({
      name: 'InvalidClientTokenId',
      code: 'InvalidClientTokenId',
      status: 403,
      message: 'The security token included in the request is invalid',
    });
    const sessionSts = new STSClient(clientConfig(server, session));
    clients.push(sessionSts);
    expect((await sessionSts.send(new GetCallerIdentityCommand({}))).Arn).toBe(
      `arn:aws:iam::${ACCOUNT}:user/gst`,
    );
  });
});
