import { afterAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { encodePolicyDocument } from '../documents.js';
import { allowDoc, call, checksOf, errorOf, testAccount, TRUST_ACCOUNT } from '../test-context.js';

describe.each(testDialects())('IAM roles (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));
  const setup = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    return { store, ...(await testAccount(store)) };
  };

  it('creates a role with a URL-encoded trust policy, default 3600 s sessions and tags', async () => {
    const { ctx, accountId } = await setup();
    const trust = TRUST_ACCOUNT(accountId);
    const out = await call(ctx, 'CreateRole', {
      RoleName: 'sender',
      Path: '/svc/',
      AssumeRolePolicyDocument: trust,
      Description: 'sends mail',
      Tags: [{ Key: 'env', Value: 'prod' }],
    });
    expect(out.Role).toMatchObject({
      RoleName: 'sender',
      Arn: `arn:aws:iam::${accountId}:role/svc/sender`,
      AssumeRolePolicyDocument: encodePolicyDocument(trust),
      Description: 'sends mail',
      MaxSessionDuration: 3600,
      Tags: [{ Key: 'env', Value: 'prod' }],
    });
    expect(out.Role.AssumeRolePolicyDocument).toMatch(/^%7B%22Version%22%3A%222012-10-17%22/);
    expect(out.Role.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    const got = await call(ctx, 'GetRole', { RoleName: 'SENDER' });
    expect(got.Role.RoleLastUsed).toEqual({});
    expect(got.Role.Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
    expect(
      (await call(ctx, 'ListRoles', { PathPrefix: '/svc/' })).Roles.map(
        (r: { RoleName: string }) => r.RoleName,
      ),
    ).toEqual(['sender']);
  });

  it('validates the trust policy as a trust policy (MalformedPolicyDocument 400)', async () => {
    const { ctx } = await setup();
    const withResource = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Resource: '*' }],
    });
    expect(
      await errorOf(call(ctx, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: withResource })),
    ).toEqual(['MalformedPolicyDocument', 400, 'Has prohibited field Resource.']);
    expect(
      await errorOf(
        call(ctx, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: allowDoc('sts:AssumeRole') }),
      ),
    ).toEqual(['MalformedPolicyDocument', 400, 'Missing required field Principal.']);
    expect(
      await errorOf(call(ctx, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: '{not json' })),
    ).toEqual(['MalformedPolicyDocument', 400, 'Syntax errors in policy.']);
  });

  it('refuses trust policies naming users or roles that do not exist, on create and on update', async () => {
    const { store, ctx, accountId, box } = await setup();
    const other = await testAccount(store, '444455556666', box);
    const trustOf = (aws: string | string[]) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: aws }, Action: 'sts:AssumeRole' }],
      });
    const invalid = (arn: string) => [
      'MalformedPolicyDocument',
      400,
      `Invalid principal in policy: "AWS":"${arn}"`,
    ];
    const nobody = `arn:aws:iam::${accountId}:user/nobody`;
    expect(
      await errorOf(call(ctx, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustOf(nobody) })),
    ).toEqual(invalid(nobody));
    expect(await errorOf(call(ctx, 'GetRole', { RoleName: 'r' }))).toEqual([
      'NoSuchEntity',
      404,
      'The role with name r cannot be found.',
    ]);
    // A role cannot trust itself at creation: it does not exist yet.
    const self = `arn:aws:iam::${accountId}:role/self`;
    expect(
      await errorOf(call(ctx, 'CreateRole', { RoleName: 'self', AssumeRolePolicyDocument: trustOf(self) })),
    ).toEqual(invalid(self));
    // Accounts, root, existing users/roles, accounts Sesame does not hold, and service principals pass.
    await call(ctx, 'CreateUser', { UserName: 'alice' });
    await call(other.ctx, 'CreateUser', { UserName: 'bob' });
    await call(ctx, 'CreateRole', {
      RoleName: 'r',
      AssumeRolePolicyDocument: trustOf([
        `arn:aws:iam::${accountId}:user/alice`,
        `arn:aws:iam::${accountId}:root`,
        '444455556666',
        'arn:aws:iam::444455556666:user/bob',
        'arn:aws:iam::999988887777:user/anyone',
      ]),
    });
    await call(ctx, 'UpdateAssumeRolePolicy', {
      RoleName: 'r',
      PolicyDocument: trustOf(self.replace('self', 'r')),
    });
    const service = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    });
    await call(ctx, 'UpdateAssumeRolePolicy', { RoleName: 'r', PolicyDocument: service });
    // Another account this Sesame holds is checked too; the stored trust policy is left unchanged.
    const ghost = 'arn:aws:iam::444455556666:role/ghost';
    expect(
      await errorOf(call(ctx, 'UpdateAssumeRolePolicy', { RoleName: 'r', PolicyDocument: trustOf(ghost) })),
    ).toEqual(invalid(ghost));
    const group = `arn:aws:iam::${accountId}:group/devs`;
    await call(ctx, 'CreateGroup', { GroupName: 'devs' });
    expect(
      await errorOf(call(ctx, 'UpdateAssumeRolePolicy', { RoleName: 'r', PolicyDocument: trustOf(group) })),
    ).toEqual(invalid(group));
    expect(
      decodeURIComponent((await call(ctx, 'GetRole', { RoleName: 'r' })).Role.AssumeRolePolicyDocument),
    ).toBe(service);
    // Once the user exists, the same document is accepted.
    await call(ctx, 'CreateUser', { UserName: 'nobody' });
    await call(ctx, 'UpdateAssumeRolePolicy', { RoleName: 'r', PolicyDocument: trustOf(nobody) });
  });

  it('enforces MaxSessionDuration 3600–43200 and updates it', async () => {
    const { ctx, accountId } = await setup();
    const base = { RoleName: 'r', AssumeRolePolicyDocument: TRUST_ACCOUNT(accountId) };
    expect(await errorOf(call(ctx, 'CreateRole', { ...base, MaxSessionDuration: 3599 }))).toEqual([
      'ValidationError',
      400,
      "1 validation error detected: Value '3599' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
    ]);
    expect((await errorOf(call(ctx, 'CreateRole', { ...base, MaxSessionDuration: 43201 })))[2]).toContain(
      'Member must have value less than or equal to 43200',
    );
    await call(ctx, 'CreateRole', { ...base, MaxSessionDuration: 43200 });
    await call(ctx, 'UpdateRole', { RoleName: 'r', MaxSessionDuration: 7200, Description: 'd' });
    expect((await call(ctx, 'GetRole', { RoleName: 'r' })).Role).toMatchObject({
      MaxSessionDuration: 7200,
      Description: 'd',
    });
  });

  it('updates the trust policy, refuses duplicates, and deletes only a role without policies', async () => {
    const { ctx, accountId } = await setup();
    await call(ctx, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: TRUST_ACCOUNT(accountId) });
    expect(
      await errorOf(
        call(ctx, 'CreateRole', { RoleName: 'R', AssumeRolePolicyDocument: TRUST_ACCOUNT(accountId) }),
      ),
    ).toEqual(['EntityAlreadyExists', 409, 'Role with name R already exists.']);
    const trust2 = TRUST_ACCOUNT('999988887777');
    await call(ctx, 'UpdateAssumeRolePolicy', { RoleName: 'r', PolicyDocument: trust2 });
    expect((await call(ctx, 'GetRole', { RoleName: 'r' })).Role.AssumeRolePolicyDocument).toBe(
      encodePolicyDocument(trust2),
    );
    await call(ctx, 'PutRolePolicy', { RoleName: 'r', PolicyName: 'p', PolicyDocument: allowDoc('ses:*') });
    expect(await errorOf(call(ctx, 'DeleteRole', { RoleName: 'r' }))).toEqual([
      'DeleteConflict',
      409,
      'Cannot delete entity, must delete policies first.',
    ]);
    await call(ctx, 'DeleteRolePolicy', { RoleName: 'r', PolicyName: 'p' });
    await call(ctx, 'DeleteRole', { RoleName: 'r' });
    expect(await errorOf(call(ctx, 'GetRole', { RoleName: 'r' }))).toEqual([
      'NoSuchEntity',
      404,
      'The role with name r cannot be found.',
    ]);
  });

  it('declares role checks with the role path and tags', async () => {
    const { ctx, accountId } = await setup();
    await call(ctx, 'CreateRole', {
      RoleName: 'r',
      Path: '/a/',
      AssumeRolePolicyDocument: TRUST_ACCOUNT(accountId),
      Tags: [{ Key: 't', Value: '1' }],
    });
    expect(await checksOf(ctx, 'GetRole', { RoleName: 'r' })).toEqual([
      {
        action: 'iam:GetRole',
        resource: `arn:aws:iam::${accountId}:role/a/r`,
        context: { 'aws:ResourceTag/t': '1' },
      },
    ]);
  });
});
