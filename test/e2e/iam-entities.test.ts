// Issue 3, end to end: the IAM entity API through @aws-sdk/client-iam against a real Sesame server —
// users, groups, roles, access keys, inline and managed policies with versions, attachments, tags,
// and AWS's error codes, statuses and texts as the SDK sees them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetGroupCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListPolicyVersionsCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  SetDefaultPolicyVersionCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { ACCOUNT, clientConfig, startTestServer, type TestServer } from '../support/server.js';
import { testDialects } from '../../src/store/database.js';

/** The SDK's view of a failed call: modeled name, wire code, HTTP status, message. */
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
const ALLOW_LIST_USERS = doc([{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }]);
const TRUST_ACCOUNT = doc([
  { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
]);

describe.each(testDialects())('IAM entities through the SDK (%s)', (dialect) => {
  let server: TestServer;
  let iam: IAMClient;

  beforeAll(async () => {
    server = await startTestServer({}, dialect);
    iam = new IAMClient(clientConfig(server, server.credentials));
  });
  afterAll(async () => {
    iam?.destroy();
    await server?.stop();
  });

  it('creates, reads and lists a user, and refuses a duplicate name with EntityAlreadyExists 409', async () => {
    const created = await iam.send(
      new CreateUserCommand({ UserName: 'alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'mail' }] }),
    );
    expect(created.User?.Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/eng/alice`);
    expect(created.User?.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
    expect(created.User?.Path).toBe('/eng/');

    const got = await iam.send(new GetUserCommand({ UserName: 'alice' }));
    expect(got.User?.UserId).toBe(created.User?.UserId);
    expect(got.User?.Tags).toEqual([{ Key: 'team', Value: 'mail' }]);

    const listed = await iam.send(new ListUsersCommand({}));
    expect(listed.Users?.map((u) => u.UserName)).toEqual(['alice']);

    // Names are unique case-insensitively.
    expect(await failure(iam.send(new CreateUserCommand({ UserName: 'ALICE' })))).toEqual({
      name: 'EntityAlreadyExistsException',
      code: 'EntityAlreadyExists',
      status: 409,
      message: 'User with name ALICE already exists.',
    });
  });

  it('answers NoSuchEntity 404 with AWS text for a missing user, role, policy and access key', async () => {
    expect(await failure(iam.send(new GetUserCommand({ UserName: 'nobody' })))).toEqual({
      name: 'NoSuchEntityException',
      code: 'NoSuchEntity',
      status: 404,
      message: 'The user with name nobody cannot be found.',
    });
    expect(await failure(iam.send(new GetRoleCommand({ RoleName: 'norole' })))).toMatchObject({
      code: 'NoSuchEntity',
      status: 404,
      message: 'The role with name norole cannot be found.',
    });
    const arn = `arn:aws:iam::${ACCOUNT}:policy/Nope`;
    expect(await failure(iam.send(new GetPolicyCommand({ PolicyArn: arn })))).toMatchObject({
      code: 'NoSuchEntity',
      status: 404,
      message: `Policy ${arn} was not found.`,
    });
    expect(
      await failure(
        iam.send(
          new UpdateAccessKeyCommand({
            UserName: 'alice',
            AccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
            Status: 'Inactive',
          }),
        ),
      ),
    ).toMatchObject({
      code: 'NoSuchEntity',
      status: 404,
      message: 'The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found.',
    });
  });

  it('manages groups and membership', async () => {
    const g = await iam.send(new CreateGroupCommand({ GroupName: 'senders' }));
    expect(g.Group?.Arn).toBe(`arn:aws:iam::${ACCOUNT}:group/senders`);
    expect(g.Group?.GroupId).toMatch(/^AGPA/);
    await iam.send(new AddUserToGroupCommand({ GroupName: 'senders', UserName: 'alice' }));
    const got = await iam.send(new GetGroupCommand({ GroupName: 'senders' }));
    expect(got.Users?.map((u) => u.UserName)).toEqual(['alice']);
    const forUser = await iam.send(new ListGroupsForUserCommand({ UserName: 'alice' }));
    expect(forUser.Groups?.map((x) => x.GroupName)).toEqual(['senders']);
    expect(await failure(iam.send(new CreateGroupCommand({ GroupName: 'senders' })))).toMatchObject({
      code: 'EntityAlreadyExists',
      status: 409,
      message: 'Group with name senders already exists.',
    });
    expect(
      await failure(iam.send(new AddUserToGroupCommand({ GroupName: 'senders', UserName: 'ghost' }))),
    ).toMatchObject({
      code: 'NoSuchEntity',
      status: 404,
      message: 'The user with name ghost cannot be found.',
    });
  });

  it('creates a role whose trust policy comes back URL-encoded, as IAM returns it', async () => {
    const r = await iam.send(
      new CreateRoleCommand({ RoleName: 'mailer', AssumeRolePolicyDocument: TRUST_ACCOUNT }),
    );
    expect(r.Role?.Arn).toBe(`arn:aws:iam::${ACCOUNT}:role/mailer`);
    expect(r.Role?.RoleId).toMatch(/^AROA/);
    const got = await iam.send(new GetRoleCommand({ RoleName: 'mailer' }));
    expect(JSON.parse(decodeURIComponent(got.Role?.AssumeRolePolicyDocument ?? ''))).toEqual(
      JSON.parse(TRUST_ACCOUNT),
    );
    expect(
      await failure(
        iam.send(new CreateRoleCommand({ RoleName: 'mailer', AssumeRolePolicyDocument: TRUST_ACCOUNT })),
      ),
    ).toMatchObject({
      code: 'EntityAlreadyExists',
      status: 409,
      message: 'Role with name mailer already exists.',
    });
    // A trust policy must name a principal; a Resource is prohibited.
    const withResource = doc([
      { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Resource: '*' },
    ]);
    expect(
      await failure(
        iam.send(new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: withResource })),
      ),
    ).toMatchObject({
      code: 'MalformedPolicyDocument',
      status: 400,
      message: 'Has prohibited field Resource.',
    });
  });

  it('issues at most two access keys per user (LimitExceeded 409) and lists them with their status', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'keyholder' }));
    const k1 = await iam.send(new CreateAccessKeyCommand({ UserName: 'keyholder' }));
    expect(k1.AccessKey?.AccessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    expect(k1.AccessKey?.SecretAccessKey).toHaveLength(40);
    expect(k1.AccessKey?.Status).toBe('Active');
    const k2 = await iam.send(new CreateAccessKeyCommand({ UserName: 'keyholder' }));
    expect(await failure(iam.send(new CreateAccessKeyCommand({ UserName: 'keyholder' })))).toEqual({
      name: 'LimitExceededException',
      code: 'LimitExceeded',
      status: 409,
      message: 'Cannot exceed quota for AccessKeysPerUser: 2',
    });
    await iam.send(
      new UpdateAccessKeyCommand({
        UserName: 'keyholder',
        AccessKeyId: k2.AccessKey?.AccessKeyId,
        Status: 'Inactive',
      }),
    );
    const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'keyholder' }));
    const byId = Object.fromEntries((listed.AccessKeyMetadata ?? []).map((m) => [m.AccessKeyId, m.Status]));
    expect(byId).toEqual({
      [k1.AccessKey!.AccessKeyId!]: 'Active',
      [k2.AccessKey!.AccessKeyId!]: 'Inactive',
    });
    // The secret is shown only once.
    expect(JSON.stringify(listed)).not.toContain(k1.AccessKey?.SecretAccessKey);

    // A user with keys cannot be deleted.
    expect(await failure(iam.send(new DeleteUserCommand({ UserName: 'keyholder' })))).toMatchObject({
      code: 'DeleteConflict',
      status: 409,
      message: 'Cannot delete entity, must delete access keys first.',
    });
    await iam.send(
      new DeleteAccessKeyCommand({ UserName: 'keyholder', AccessKeyId: k1.AccessKey?.AccessKeyId }),
    );
    await iam.send(
      new DeleteAccessKeyCommand({ UserName: 'keyholder', AccessKeyId: k2.AccessKey?.AccessKeyId }),
    );
    await iam.send(new DeleteUserCommand({ UserName: 'keyholder' }));
    expect(await failure(iam.send(new GetUserCommand({ UserName: 'keyholder' })))).toMatchObject({
      code: 'NoSuchEntity',
      status: 404,
    });
  });

  it('stores inline policies and rejects malformed documents with MalformedPolicyDocument 400', async () => {
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'list', PolicyDocument: ALLOW_LIST_USERS }),
    );
    const got = await iam.send(new GetUserPolicyCommand({ UserName: 'alice', PolicyName: 'list' }));
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument ?? ''))).toEqual(JSON.parse(ALLOW_LIST_USERS));
    expect((await iam.send(new ListUserPoliciesCommand({ UserName: 'alice' }))).PolicyNames).toEqual([
      'list',
    ]);

    const cases: [string, string][] = [
      ['{"Version": "2012-10-17", "Statement": ', 'Syntax errors in policy.'],
      [
        JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'ses:*', Resource: '*' }] }),
        'Policy document must be version 2012-10-17 or greater.',
      ],
      [doc([{ Effect: 'Allow', Action: 'ses:*' }]), 'Policy statement must contain resources.'],
      [doc([{ Effect: 'Allow', Resource: '*' }]), 'Policy statement must contain actions.'],
      [
        doc([{ Effect: 'Allow', Action: 'sendemail', Resource: '*' }]),
        'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
      ],
      [
        doc([{ Effect: 'Allow', Principal: '*', Action: 'ses:*', Resource: '*' }]),
        'Policy document should not specify a principal.',
      ],
    ];
    for (const [bad, message] of cases) {
      expect(
        await failure(
          iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'bad', PolicyDocument: bad })),
        ),
      ).toEqual({
        name: 'MalformedPolicyDocumentException',
        code: 'MalformedPolicyDocument',
        status: 400,
        message,
      });
    }
    expect(
      await failure(iam.send(new GetUserPolicyCommand({ UserName: 'alice', PolicyName: 'bad' }))),
    ).toMatchObject({
      code: 'NoSuchEntity',
      status: 404,
      message: 'The user policy with name bad cannot be found.',
    });
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'alice', PolicyName: 'list' }));
    expect((await iam.send(new ListUserPoliciesCommand({ UserName: 'alice' }))).PolicyNames).toEqual([]);
  });

  it('keeps managed policy versions: default switching, five at most, the default not deletable', async () => {
    const p = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'Senders', PolicyDocument: ALLOW_LIST_USERS }),
    );
    const arn = p.Policy?.Arn ?? '';
    expect(arn).toBe(`arn:aws:iam::${ACCOUNT}:policy/Senders`);
    expect(p.Policy?.DefaultVersionId).toBe('v1');
    expect(
      await failure(
        iam.send(new CreatePolicyCommand({ PolicyName: 'Senders', PolicyDocument: ALLOW_LIST_USERS })),
      ),
    ).toMatchObject({
      code: 'EntityAlreadyExists',
      status: 409,
      message: 'A policy called Senders already exists. Duplicate names are not allowed.',
    });

    const v2doc = doc([{ Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*' }]);
    const v2 = await iam.send(
      new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: v2doc, SetAsDefault: true }),
    );
    expect(v2.PolicyVersion).toMatchObject({ VersionId: 'v2', IsDefaultVersion: true });
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId).toBe('v2');
    const gotV2 = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
    expect(JSON.parse(decodeURIComponent(gotV2.PolicyVersion?.Document ?? ''))).toEqual(JSON.parse(v2doc));

    for (let i = 3; i <= 5; i++)
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: ALLOW_LIST_USERS }));
    expect(
      await failure(
        iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: ALLOW_LIST_USERS })),
      ),
    ).toEqual({
      name: 'LimitExceededException',
      code: 'LimitExceeded',
      status: 409,
      message:
        'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
    });
    expect(
      await failure(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }))),
    ).toMatchObject({
      code: 'DeleteConflict',
      status: 409,
      message: 'Cannot delete the default version of a policy.',
    });
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
    const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    expect(versions.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion]).sort()).toEqual([
      ['v1', true],
      ['v3', false],
      ['v4', false],
      ['v5', false],
    ]);
  });

  it('attaches and detaches managed policies; an attached policy cannot be deleted', async () => {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/Senders`;
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: arn }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'senders', PolicyArn: arn }));
    const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'alice' }));
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: 'Senders', PolicyArn: arn }]);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.AttachmentCount).toBe(2);
    expect(await failure(iam.send(new DeletePolicyCommand({ PolicyArn: arn })))).toMatchObject({
      code: 'DeleteConflict',
      status: 409,
      message: 'Cannot delete a policy attached to entities.',
    });
    const missing = `arn:aws:iam::${ACCOUNT}:policy/Missing`;
    expect(
      await failure(iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: missing }))),
    ).toMatchObject({
      code: 'NoSuchEntity',
      status: 404,
      message: `Policy ${missing} does not exist or is not attachable.`,
    });
    await iam.send(new DetachUserPolicyCommand({ UserName: 'alice', PolicyArn: arn }));
    expect(
      (await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'alice' }))).AttachedPolicies,
    ).toEqual([]);
  });

  it('tags users and limits a user to 50 tags', async () => {
    await iam.send(new TagUserCommand({ UserName: 'alice', Tags: [{ Key: 'cost', Value: '42' }] }));
    const tags = await iam.send(new ListUserTagsCommand({ UserName: 'alice' }));
    expect(tags.Tags?.map((t) => `${t.Key}=${t.Value}`).sort()).toEqual(['cost=42', 'team=mail']);
    const many = Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(await failure(iam.send(new TagUserCommand({ UserName: 'alice', Tags: many })))).toMatchObject({
      code: 'LimitExceeded',
      status: 409,
      message: 'The number of tags has reached the maximum limit.',
    });
  });
});
