import { afterAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { encodePolicyDocument } from '../documents.js';
import { allowDoc, call, testAccount, TRUST_ACCOUNT } from '../test-context.js';

describe.each(testDialects())('GetAccountAuthorizationDetails (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));

  it('reports users with groups and policies, groups, roles and managed policies, filtered and paged', async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    const { ctx, accountId } = await testAccount(store);
    await call(ctx, 'CreateUser', { UserName: 'alice' });
    await call(ctx, 'CreateGroup', { GroupName: 'devs' });
    await call(ctx, 'AddUserToGroup', { GroupName: 'devs', UserName: 'alice' });
    await call(ctx, 'PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'own',
      PolicyDocument: allowDoc('ses:*'),
    });
    const arn = (await call(ctx, 'CreatePolicy', { PolicyName: 'm', PolicyDocument: allowDoc('ses:Get*') }))
      .Policy.Arn;
    await call(ctx, 'AttachGroupPolicy', { GroupName: 'devs', PolicyArn: arn });
    await call(ctx, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: TRUST_ACCOUNT(accountId) });

    const all = await call(ctx, 'GetAccountAuthorizationDetails', {});
    expect(all.UserDetailList).toHaveLength(1);
    expect(all.UserDetailList[0]).toMatchObject({
      UserName: 'alice',
      GroupList: ['devs'],
      UserPolicyList: [{ PolicyName: 'own', PolicyDocument: encodePolicyDocument(allowDoc('ses:*')) }],
      AttachedManagedPolicies: [],
    });
    expect(all.GroupDetailList[0]).toMatchObject({
      GroupName: 'devs',
      AttachedManagedPolicies: [{ PolicyName: 'm', PolicyArn: arn }],
    });
    expect(all.RoleDetailList.map((r: { RoleName: string }) => r.RoleName)).toEqual(['r']);
    expect(all.Policies[0]).toMatchObject({
      PolicyName: 'm',
      AttachmentCount: 1,
      PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true }],
    });
    expect(all.IsTruncated).toBe(false);

    const roles = await call(ctx, 'GetAccountAuthorizationDetails', { Filter: ['Role'] });
    expect([
      roles.UserDetailList.length,
      roles.GroupDetailList.length,
      roles.RoleDetailList.length,
      roles.Policies.length,
    ]).toEqual([0, 0, 1, 0]);
    const p1 = await call(ctx, 'GetAccountAuthorizationDetails', { MaxItems: 2 });
    expect(p1.IsTruncated).toBe(true);
    const p2 = await call(ctx, 'GetAccountAuthorizationDetails', { MaxItems: 2, Marker: p1.Marker });
    expect(p2.RoleDetailList.length + p2.Policies.length).toBe(2);
  });
});
