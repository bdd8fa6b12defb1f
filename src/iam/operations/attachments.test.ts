import { afterAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { allowDoc, call, checksOf, errorOf, testAccount, TRUST_ACCOUNT } from '../test-context.js';

describe.each(testDialects())('IAM attachments and boundaries (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));
  const setup = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    const acct = await testAccount(store);
    await call(acct.ctx, 'CreateUser', { UserName: 'alice' });
    await call(acct.ctx, 'CreateGroup', { GroupName: 'devs' });
    await call(acct.ctx, 'CreateRole', {
      RoleName: 'r',
      AssumeRolePolicyDocument: TRUST_ACCOUNT(acct.accountId),
    });
    return { store, ...acct };
  };

  it('attaches, lists and detaches for users, groups and roles; 10 per entity', async () => {
    const { ctx, accountId } = await setup();
    const arns: string[] = [];
    for (let i = 0; i < 11; i++)
      arns.push(
        (await call(ctx, 'CreatePolicy', { PolicyName: `p${i}`, PolicyDocument: allowDoc('ses:*') })).Policy
          .Arn,
      );
    for (const [kind, nameKey, name] of [
      ['User', 'UserName', 'alice'],
      ['Group', 'GroupName', 'devs'],
      ['Role', 'RoleName', 'r'],
    ] as const) {
      for (let i = 0; i < 10; i++)
        await call(ctx, `Attach${kind}Policy`, { [nameKey]: name, PolicyArn: arns[i] });
      await call(ctx, `Attach${kind}Policy`, { [nameKey]: name, PolicyArn: arns[0] }); // twice: no-op
      expect(
        await errorOf(call(ctx, `Attach${kind}Policy`, { [nameKey]: name, PolicyArn: arns[10] })),
      ).toEqual(['LimitExceeded', 409, `Cannot exceed quota for PoliciesPer${kind}: 10`]);
      const listed = await call(ctx, `ListAttached${kind}Policies`, { [nameKey]: name, MaxItems: 3 });
      expect(listed.AttachedPolicies).toEqual([
        { PolicyName: 'p0', PolicyArn: arns[0] },
        { PolicyName: 'p1', PolicyArn: arns[1] },
        { PolicyName: 'p2', PolicyArn: arns[2] },
      ]);
      expect(listed.IsTruncated).toBe(true);
      await call(ctx, `Detach${kind}Policy`, { [nameKey]: name, PolicyArn: arns[0] });
      expect(
        await errorOf(call(ctx, `Detach${kind}Policy`, { [nameKey]: name, PolicyArn: arns[0] })),
      ).toEqual(['NoSuchEntity', 404, `Policy ${arns[0]} was not found.`]);
    }
    expect(
      await errorOf(
        call(ctx, 'AttachUserPolicy', {
          UserName: 'alice',
          PolicyArn: `arn:aws:iam::${accountId}:policy/none`,
        }),
      ),
    ).toEqual([
      'NoSuchEntity',
      404,
      `Policy arn:aws:iam::${accountId}:policy/none does not exist or is not attachable.`,
    ]);
    expect(await checksOf(ctx, 'AttachRolePolicy', { RoleName: 'r', PolicyArn: arns[1] })).toEqual([
      {
        action: 'iam:AttachRolePolicy',
        resource: `arn:aws:iam::${accountId}:role/r`,
        context: { 'iam:PolicyARN': arns[1] },
      },
    ]);
  });

  it('sets and removes permissions boundaries; shows them on GetUser/GetRole', async () => {
    const { ctx, accountId } = await setup();
    const b = (await call(ctx, 'CreatePolicy', { PolicyName: 'bound', PolicyDocument: allowDoc('ses:*') }))
      .Policy.Arn;
    await call(ctx, 'PutUserPermissionsBoundary', { UserName: 'alice', PermissionsBoundary: b });
    await call(ctx, 'PutRolePermissionsBoundary', { RoleName: 'r', PermissionsBoundary: b });
    const expected = { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: b };
    expect((await call(ctx, 'GetUser', { UserName: 'alice' })).User.PermissionsBoundary).toEqual(expected);
    expect((await call(ctx, 'GetRole', { RoleName: 'r' })).Role.PermissionsBoundary).toEqual(expected);
    expect((await call(ctx, 'GetPolicy', { PolicyArn: b })).Policy.PermissionsBoundaryUsageCount).toBe(2);
    expect(await checksOf(ctx, 'DeleteUserPermissionsBoundary', { UserName: 'alice' })).toEqual([
      {
        action: 'iam:DeleteUserPermissionsBoundary',
        resource: `arn:aws:iam::${accountId}:user/alice`,
        context: { 'iam:PermissionsBoundary': b },
      },
    ]);
    expect((await errorOf(call(ctx, 'DeletePolicy', { PolicyArn: b })))[0]).toBe('DeleteConflict');
    await call(ctx, 'DeleteUserPermissionsBoundary', { UserName: 'alice' });
    await call(ctx, 'DeleteRolePermissionsBoundary', { RoleName: 'r' });
    expect((await call(ctx, 'GetUser', { UserName: 'alice' })).User.PermissionsBoundary).toBeUndefined();
    expect(
      await errorOf(
        call(ctx, 'PutUserPermissionsBoundary', {
          UserName: 'alice',
          PermissionsBoundary: `arn:aws:iam::${accountId}:policy/x`,
        }),
      ),
    ).toEqual([
      'NoSuchEntity',
      404,
      `Policy arn:aws:iam::${accountId}:policy/x does not exist or is not attachable.`,
    ]);
    // CreateUser with a boundary checks it exists too.
    expect(
      (
        await errorOf(
          call(ctx, 'CreateUser', {
            UserName: 'z',
            PermissionsBoundary: `arn:aws:iam::${accountId}:policy/x`,
          }),
        )
      )[0],
    ).toBe('NoSuchEntity');
    await call(ctx, 'CreateUser', { UserName: 'z', PermissionsBoundary: b });
    expect((await call(ctx, 'GetUser', { UserName: 'z' })).User.PermissionsBoundary).toEqual(expected);
  });
});
