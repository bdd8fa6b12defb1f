import { afterAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { allowDoc, call, checksOf, errorOf, testAccount, TRUST_ACCOUNT } from '../test-context.js';

describe.each(testDialects())('ListEntitiesForPolicy (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));
  /** Policy `p` attached to users bob, alice (/eng/), group devs, role ops; boundary of carol and ops. */
  const setup = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    const acct = await testAccount(store);
    const { ctx, accountId } = acct;
    const arn = (await call(ctx, 'CreatePolicy', { PolicyName: 'p', PolicyDocument: allowDoc('ses:*') }))
      .Policy.Arn as string;
    const other = (await call(ctx, 'CreatePolicy', { PolicyName: 'q', PolicyDocument: allowDoc('ses:*') }))
      .Policy.Arn as string;
    const ids: Record<string, string> = {};
    for (const [name, path] of [
      ['bob', '/'],
      ['alice', '/eng/'],
      ['carol', '/'],
      ['dave', '/'],
    ] as const)
      ids[name] = (await call(ctx, 'CreateUser', { UserName: name, Path: path })).User.UserId;
    ids.devs = (await call(ctx, 'CreateGroup', { GroupName: 'devs', Path: '/eng/' })).Group.GroupId;
    ids.ops = (
      await call(ctx, 'CreateRole', { RoleName: 'ops', AssumeRolePolicyDocument: TRUST_ACCOUNT(accountId) })
    ).Role.RoleId;
    await call(ctx, 'AttachUserPolicy', { UserName: 'bob', PolicyArn: arn });
    await call(ctx, 'AttachUserPolicy', { UserName: 'alice', PolicyArn: arn });
    await call(ctx, 'AttachUserPolicy', { UserName: 'dave', PolicyArn: other });
    await call(ctx, 'AttachGroupPolicy', { GroupName: 'devs', PolicyArn: arn });
    await call(ctx, 'AttachRolePolicy', { RoleName: 'ops', PolicyArn: arn });
    await call(ctx, 'PutUserPermissionsBoundary', { UserName: 'carol', PermissionsBoundary: arn });
    await call(ctx, 'PutRolePermissionsBoundary', { RoleName: 'ops', PermissionsBoundary: arn });
    return { store, arn, ids, ...acct };
  };
  const list = (ctx: Parameters<typeof call>[0], input: Record<string, unknown>) =>
    call(ctx, 'ListEntitiesForPolicy', input);

  it('lists attached and bounded entities once each, groups then users then roles, by name', async () => {
    const { ctx, arn, ids } = await setup();
    expect(await list(ctx, { PolicyArn: arn })).toEqual({
      PolicyGroups: [{ GroupName: 'devs', GroupId: ids.devs }],
      PolicyUsers: [
        { UserName: 'alice', UserId: ids.alice },
        { UserName: 'bob', UserId: ids.bob },
        { UserName: 'carol', UserId: ids.carol },
      ],
      PolicyRoles: [{ RoleName: 'ops', RoleId: ids.ops }],
      IsTruncated: false,
    });
  });

  it('filters by usage, entity type and path prefix', async () => {
    const { ctx, arn, ids } = await setup();
    const names = async (input: Record<string, unknown>) => {
      const out = await list(ctx, { PolicyArn: arn, ...input });
      return [
        ...out.PolicyGroups.map((g: { GroupName: string }) => `g:${g.GroupName}`),
        ...out.PolicyUsers.map((u: { UserName: string }) => `u:${u.UserName}`),
        ...out.PolicyRoles.map((r: { RoleName: string }) => `r:${r.RoleName}`),
      ];
    };
    expect(await names({ PolicyUsageFilter: 'PermissionsPolicy' })).toEqual([
      'g:devs',
      'u:alice',
      'u:bob',
      'r:ops',
    ]);
    expect(await names({ PolicyUsageFilter: 'PermissionsBoundary' })).toEqual(['u:carol', 'r:ops']);
    expect(await names({ EntityFilter: 'User' })).toEqual(['u:alice', 'u:bob', 'u:carol']);
    expect(await names({ EntityFilter: 'Group' })).toEqual(['g:devs']);
    expect(await names({ EntityFilter: 'Role', PolicyUsageFilter: 'PermissionsBoundary' })).toEqual([
      'r:ops',
    ]);
    expect(await names({ EntityFilter: 'Group', PolicyUsageFilter: 'PermissionsBoundary' })).toEqual([]);
    expect(await names({ PathPrefix: '/eng/' })).toEqual(['g:devs', 'u:alice']);
    expect(await names({ PathPrefix: '/ops/' })).toEqual([]);
    // Policy kinds are not entity kinds: nothing matches.
    expect(await names({ EntityFilter: 'LocalManagedPolicy' })).toEqual([]);
    expect(await names({ EntityFilter: 'AWSManagedPolicy' })).toEqual([]);
    expect(ids.dave).toBeDefined(); // dave has only the other policy and never appears
  });

  it('pages across the three lists with Marker/MaxItems', async () => {
    const { ctx, arn, ids } = await setup();
    const p1 = await list(ctx, { PolicyArn: arn, MaxItems: 2 });
    expect(p1).toMatchObject({
      PolicyGroups: [{ GroupName: 'devs' }],
      PolicyUsers: [{ UserName: 'alice' }],
      PolicyRoles: [],
      IsTruncated: true,
    });
    expect(typeof p1.Marker).toBe('string');
    const p2 = await list(ctx, { PolicyArn: arn, MaxItems: 2, Marker: p1.Marker });
    expect(p2).toMatchObject({ PolicyGroups: [], PolicyUsers: [{ UserName: 'bob' }, { UserName: 'carol' }] });
    expect(p2.IsTruncated).toBe(true);
    const p3 = await list(ctx, { PolicyArn: arn, MaxItems: 2, Marker: p2.Marker });
    expect(p3).toEqual({
      PolicyGroups: [],
      PolicyUsers: [],
      PolicyRoles: [{ RoleName: 'ops', RoleId: ids.ops }],
      IsTruncated: false,
    });
    expect(await errorOf(list(ctx, { PolicyArn: arn, Marker: 'bogus' }))).toEqual([
      'InvalidInput',
      400,
      'Invalid Marker.',
    ]);
  });

  it('follows detach, boundary removal and deletion of entities', async () => {
    const { ctx, arn } = await setup();
    await call(ctx, 'DetachUserPolicy', { UserName: 'bob', PolicyArn: arn });
    await call(ctx, 'DeleteUserPermissionsBoundary', { UserName: 'carol' });
    await call(ctx, 'DetachGroupPolicy', { GroupName: 'devs', PolicyArn: arn });
    await call(ctx, 'DeleteGroup', { GroupName: 'devs' });
    const out = await list(ctx, { PolicyArn: arn });
    expect(out.PolicyGroups).toEqual([]);
    expect(out.PolicyUsers.map((u: { UserName: string }) => u.UserName)).toEqual(['alice']);
    expect(out.PolicyRoles.map((r: { RoleName: string }) => r.RoleName)).toEqual(['ops']);
  });

  it('answers NoSuchEntity for an unknown policy and ValidationError for bad input', async () => {
    const { ctx, accountId, arn } = await setup();
    const missing = `arn:aws:iam::${accountId}:policy/none`;
    expect(await errorOf(list(ctx, { PolicyArn: missing }))).toEqual([
      'NoSuchEntity',
      404,
      `Policy ${missing} was not found.`,
    ]);
    // An AWS managed policy exists in every account; one AWS does not have does not.
    expect(await errorOf(list(ctx, { PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicyAtAll' }))).toEqual([
      'NoSuchEntity',
      404,
      'Policy arn:aws:iam::aws:policy/NoSuchPolicyAtAll was not found.',
    ]);
    expect(await errorOf(list(ctx, { PolicyArn: 'arn:aws:iam::1:user/not-a-policy' }))).toEqual([
      'InvalidInput',
      400,
      'ARN arn:aws:iam::1:user/not-a-policy is not valid.',
    ]);
    expect(await errorOf(list(ctx, {}))).toEqual([
      'ValidationError',
      400,
      "1 validation error detected: Value 'null' at 'policyArn' failed to satisfy constraint: Member must not be null",
    ]);
    expect(await errorOf(list(ctx, { PolicyArn: arn, EntityFilter: 'Users' }))).toEqual([
      'ValidationError',
      400,
      "1 validation error detected: Value 'Users' at 'entityFilter' failed to satisfy constraint: Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]",
    ]);
    expect(await errorOf(list(ctx, { PolicyArn: arn, PolicyUsageFilter: 'Boundary' }))).toEqual([
      'ValidationError',
      400,
      "1 validation error detected: Value 'Boundary' at 'policyUsageFilter' failed to satisfy constraint: Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]",
    ]);
    expect(await errorOf(list(ctx, { PolicyArn: arn, PathPrefix: '/eng' }))).toEqual([
      'ValidationError',
      400,
      "1 validation error detected: Value '/eng' at 'pathPrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)",
    ]);
    expect(await errorOf(list(ctx, { PolicyArn: arn, MaxItems: 0 }))).toEqual([
      'ValidationError',
      400,
      "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ]);
  });

  it('is authorized as iam:ListEntitiesForPolicy on the policy ARN', async () => {
    const { ctx, arn } = await setup();
    expect(await checksOf(ctx, 'ListEntitiesForPolicy', { PolicyArn: arn })).toEqual([
      { action: 'iam:ListEntitiesForPolicy', resource: arn },
    ]);
  });
});
