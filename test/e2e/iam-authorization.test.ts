// Issue 3, end to end: IAM users calling IAM with their own keys, decided by their identity
// policies (inline, group, managed), permissions boundaries, explicit denies and principal tags,
// with AWS's generic AccessDenied text; and a deactivated key refused at authentication.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DeleteUserPermissionsBoundaryCommand,
  GetUserCommand,
  IAMClient,
  ListUsersCommand,
  PutGroupPolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
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

const doc = (statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
const userArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const denied = (who: string, action: string, resource: string, reason: string) => ({
  code: 'AccessDenied',
  status: 403,
  message: `User: ${userArn(who)} is not authorized to perform: ${action} on resource: ${resource} ${reason}`,
});

describe.each(testDialects())('IAM authorization of IAM users (%s)', (dialect) => {
  let server: TestServer;
  let root: IAMClient;
  const clients: IAMClient[] = [];

  /** A user with a fresh key, and an IAM client signed with that key. */
  async function userClient(name: string): Promise<{ client: IAMClient; accessKeyId: string }> {
    await root.send(new CreateUserCommand({ UserName: name }));
    const key = (await root.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
    const client = new IAMClient(
      clientConfig(server, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }),
    );
    clients.push(client);
    return { client, accessKeyId: key.AccessKeyId! };
  }

  beforeAll(async () => {
    server = await startTestServer({}, dialect);
    root = new IAMClient(clientConfig(server, server.credentials));
  });
  afterAll(async () => {
    for (const c of [root, ...clients]) c?.destroy();
    await server?.stop();
  });

  it('denies a user without policies with the generic text, and allows after an inline policy', async () => {
    const { client } = await userClient('nobody');
    expect(await failure(client.send(new CreateUserCommand({ UserName: 'carol' })))).toEqual(
      denied(
        'nobody',
        'iam:CreateUser',
        userArn('carol'),
        'because no identity-based policy allows the iam:CreateUser action',
      ),
    );
    // A listing names the listed path as its resource, as AWS's message does.
    expect(await failure(client.send(new ListUsersCommand({})))).toEqual(
      denied(
        'nobody',
        'iam:ListUsers',
        `arn:aws:iam::${ACCOUNT}:user/`,
        'because no identity-based policy allows the iam:ListUsers action',
      ),
    );
    // Even reading oneself needs iam:GetUser.
    expect(await failure(client.send(new GetUserCommand({})))).toEqual(
      denied(
        'nobody',
        'iam:GetUser',
        userArn('nobody'),
        'because no identity-based policy allows the iam:GetUser action',
      ),
    );
    await root.send(
      new PutUserPolicyCommand({
        UserName: 'nobody',
        PolicyName: 'create',
        PolicyDocument: doc([
          { Effect: 'Allow', Action: 'iam:CreateUser', Resource: `arn:aws:iam::${ACCOUNT}:user/carol` },
        ]),
      }),
    );
    const made = await client.send(new CreateUserCommand({ UserName: 'carol' }));
    expect(made.User?.Arn).toBe(userArn('carol'));
    // The allow is for carol only.
    expect(await failure(client.send(new CreateUserCommand({ UserName: 'dave' })))).toEqual(
      denied(
        'nobody',
        'iam:CreateUser',
        userArn('dave'),
        'because no identity-based policy allows the iam:CreateUser action',
      ),
    );
  });

  it('lets an explicit deny beat an allow', async () => {
    const { client } = await userClient('admin-ish');
    await root.send(
      new PutUserPolicyCommand({
        UserName: 'admin-ish',
        PolicyName: 'all-but-create',
        PolicyDocument: doc([
          { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
          { Sid: 'NoNewUsers', Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' },
        ]),
      }),
    );
    expect((await client.send(new GetUserCommand({ UserName: 'carol' }))).User?.UserName).toBe('carol');
    expect(await failure(client.send(new CreateUserCommand({ UserName: 'erin' })))).toEqual(
      denied(
        'admin-ish',
        'iam:CreateUser',
        userArn('erin'),
        'with an explicit deny in an identity-based policy',
      ),
    );
  });

  it("gives a group member the group's policy, and takes it away when the user leaves", async () => {
    const { client } = await userClient('member');
    await root.send(new CreateGroupCommand({ GroupName: 'readers' }));
    await root.send(
      new PutGroupPolicyCommand({
        GroupName: 'readers',
        PolicyName: 'read',
        PolicyDocument: doc([{ Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListUsers'], Resource: '*' }]),
      }),
    );
    expect((await failure(client.send(new GetUserCommand({ UserName: 'carol' })))).code).toBe('AccessDenied');
    await root.send(new AddUserToGroupCommand({ GroupName: 'readers', UserName: 'member' }));
    expect((await client.send(new GetUserCommand({ UserName: 'carol' }))).User?.Arn).toBe(userArn('carol'));
    await root.send(new RemoveUserFromGroupCommand({ GroupName: 'readers', UserName: 'member' }));
    expect(await failure(client.send(new GetUserCommand({ UserName: 'carol' })))).toEqual(
      denied(
        'member',
        'iam:GetUser',
        userArn('carol'),
        'because no identity-based policy allows the iam:GetUser action',
      ),
    );
  });

  it('applies a permissions boundary: an allowed call outside the boundary is denied', async () => {
    const { client } = await userClient('bounded');
    const boundary = await root.send(
      new CreatePolicyCommand({
        PolicyName: 'ReadOnlyBoundary',
        PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:Get*', Resource: '*' }]),
      }),
    );
    const all = await root.send(
      new CreatePolicyCommand({
        PolicyName: 'IamAll',
        PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }]),
      }),
    );
    await root.send(new AttachUserPolicyCommand({ UserName: 'bounded', PolicyArn: all.Policy?.Arn }));
    await root.send(
      new PutUserPermissionsBoundaryCommand({
        UserName: 'bounded',
        PermissionsBoundary: boundary.Policy?.Arn,
      }),
    );

    expect((await client.send(new GetUserCommand({ UserName: 'carol' }))).User?.UserName).toBe('carol');
    expect(await failure(client.send(new CreateUserCommand({ UserName: 'frank' })))).toEqual(
      denied(
        'bounded',
        'iam:CreateUser',
        userArn('frank'),
        'because no permissions boundary allows the iam:CreateUser action',
      ),
    );
    await root.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'bounded' }));
    expect((await client.send(new CreateUserCommand({ UserName: 'frank' }))).User?.UserName).toBe('frank');
  });

  it('feeds the caller tags into ${aws:PrincipalTag/team} in a Resource and into a StringEquals condition', async () => {
    const { client } = await userClient('tagged');
    await root.send(
      new PutUserPolicyCommand({
        UserName: 'tagged',
        PolicyName: 'by-team',
        PolicyDocument: doc([
          {
            Effect: 'Allow',
            Action: 'iam:CreateUser',
            Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:PrincipalTag/team}-*`,
          },
          {
            Effect: 'Allow',
            Action: 'iam:ListUsers',
            Resource: '*',
            Condition: { StringEquals: { 'aws:PrincipalTag/team': 'mail' } },
          },
        ]),
      }),
    );
    // Untagged: the variable resolves to nothing, so nothing matches; the condition key is missing.
    expect((await failure(client.send(new CreateUserCommand({ UserName: 'mail-bot' })))).code).toBe(
      'AccessDenied',
    );
    expect((await failure(client.send(new ListUsersCommand({})))).code).toBe('AccessDenied');

    await root.send(new TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'team', Value: 'mail' }] }));
    expect((await client.send(new CreateUserCommand({ UserName: 'mail-bot' }))).User?.UserName).toBe(
      'mail-bot',
    );
    expect(await failure(client.send(new CreateUserCommand({ UserName: 'ops-bot' })))).toEqual(
      denied(
        'tagged',
        'iam:CreateUser',
        userArn('ops-bot'),
        'because no identity-based policy allows the iam:CreateUser action',
      ),
    );
    expect((await client.send(new ListUsersCommand({}))).Users?.map((u) => u.UserName)).toContain('mail-bot');

    await root.send(new TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'team', Value: 'ops' }] }));
    expect((await client.send(new CreateUserCommand({ UserName: 'ops-bot' }))).User?.UserName).toBe(
      'ops-bot',
    );
    expect((await failure(client.send(new ListUsersCommand({})))).code).toBe('AccessDenied');
    await root.send(new UntagUserCommand({ UserName: 'tagged', TagKeys: ['team'] }));
    expect((await failure(client.send(new CreateUserCommand({ UserName: 'ops-bot2' })))).code).toBe(
      'AccessDenied',
    );
  });

  it('refuses an Inactive key with InvalidClientTokenId 403 on its next call, and accepts it again when reactivated', async () => {
    const { client, accessKeyId } = await userClient('sleeper');
    await root.send(
      new PutUserPolicyCommand({
        UserName: 'sleeper',
        PolicyName: 'self',
        PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:GetUser', Resource: userArn('sleeper') }]),
      }),
    );
    expect((await client.send(new GetUserCommand({}))).User?.UserName).toBe('sleeper');
    await root.send(
      new UpdateAccessKeyCommand({ UserName: 'sleeper', AccessKeyId: accessKeyId, Status: 'Inactive' }),
    );
    expect(await failure(client.send(new GetUserCommand({})))).toEqual({
      code: 'InvalidClientTokenId',
      status: 403,
      message: 'The security token included in the request is invalid.',
    });
    await root.send(
      new UpdateAccessKeyCommand({ UserName: 'sleeper', AccessKeyId: accessKeyId, Status: 'Active' }),
    );
    expect((await client.send(new GetUserCommand({}))).User?.UserName).toBe('sleeper');
  });
});
