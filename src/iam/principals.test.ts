import { afterAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../store/database.js';
import { createPrincipalCache } from './principal-cache.js';
import { resolveAccessKey } from './principals.js';
import { hashSessionToken, sessionTokenMatches } from './secrets.js';
import { allowDoc, call, testAccount, TRUST_ACCOUNT } from './test-context.js';

describe.each(testDialects())('principal resolution (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));
  const setup = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    return { store, ...(await testAccount(store)) };
  };
  const now = new Date('2025-06-01T12:00:00Z');

  it('resolves the root key to the account principal with no identity policies', async () => {
    const { store, box, accountId } = await setup();
    const k = await store.db.selectFrom('iam_access_keys').selectAll().executeTakeFirstOrThrow();
    const r = await resolveAccessKey(store, box, k.access_key_id, now);
    expect(r?.key.status).toBe('Active');
    expect(r?.key.secretAccessKey).toHaveLength(40);
    expect(r?.caller).toEqual({
      accessKeyId: k.access_key_id,
      accountId,
      principal: { kind: 'Account', arn: `arn:aws:iam::${accountId}:root`, accountId },
      identityPolicies: [],
      principalTags: {},
      userId: accountId,
      temporary: false,
    });
  });

  it('resolves a user key with its own, attached and every group policy, its boundary and tags', async () => {
    const { store, box, ctx, accountId } = await setup();
    await call(ctx, 'CreateUser', {
      UserName: 'alice',
      Path: '/eng/',
      Tags: [{ Key: 'team', Value: 'mail' }],
    });
    await call(ctx, 'PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'own',
      PolicyDocument: allowDoc('ses:SendEmail'),
    });
    const managed = await call(ctx, 'CreatePolicy', {
      PolicyName: 'm1',
      PolicyDocument: allowDoc('ses:ListIdentities'),
    });
    const bound = await call(ctx, 'CreatePolicy', { PolicyName: 'b1', PolicyDocument: allowDoc('ses:*') });
    await call(ctx, 'AttachUserPolicy', { UserName: 'alice', PolicyArn: managed.Policy.Arn });
    await call(ctx, 'PutUserPermissionsBoundary', {
      UserName: 'alice',
      PermissionsBoundary: bound.Policy.Arn,
    });
    await call(ctx, 'CreateGroup', { GroupName: 'devs' });
    await call(ctx, 'PutGroupPolicy', {
      GroupName: 'devs',
      PolicyName: 'gp',
      PolicyDocument: allowDoc('ses:GetSendQuota'),
    });
    await call(ctx, 'AttachGroupPolicy', { GroupName: 'devs', PolicyArn: managed.Policy.Arn });
    await call(ctx, 'AddUserToGroup', { GroupName: 'devs', UserName: 'alice' });
    const key = (await call(ctx, 'CreateAccessKey', { UserName: 'alice' })).AccessKey;

    const r = await resolveAccessKey(store, box, key.AccessKeyId, now);
    expect(r?.key).toEqual({
      accessKeyId: key.AccessKeyId,
      secretAccessKey: key.SecretAccessKey,
      status: 'Active',
    });
    const c = r!.caller;
    expect(c.principal).toEqual({ kind: 'User', arn: `arn:aws:iam::${accountId}:user/eng/alice`, accountId });
    expect(c.userName).toBe('alice');
    expect(c.userId).toMatch(/^AIDA/);
    expect(c.principalTags).toEqual({ team: 'mail' });
    expect(c.temporary).toBe(false);
    // The managed policy attached to both the user and its group counts once.
    expect(c.identityPolicies.map((p) => [p.id, p.source])).toEqual([
      ['inline:user/alice/own', 'user'],
      [managed.Policy.Arn, 'user-managed'],
      ['inline:group/devs/gp', 'group'],
    ]);
    expect(c.identityPolicies[0]!.policy.statements[0]!.action).toEqual(['ses:SendEmail']);
    expect(c.permissionsBoundary?.id).toBe(bound.Policy.Arn);
    expect(c.permissionsBoundary?.source).toBe('boundary');
  });

  it('reports an inactive key as Inactive and a deleted key or user as unknown', async () => {
    const { store, box, ctx } = await setup();
    await call(ctx, 'CreateUser', { UserName: 'bob' });
    const key = (await call(ctx, 'CreateAccessKey', { UserName: 'bob' })).AccessKey;
    await call(ctx, 'UpdateAccessKey', { UserName: 'bob', AccessKeyId: key.AccessKeyId, Status: 'Inactive' });
    expect((await resolveAccessKey(store, box, key.AccessKeyId, now))?.key.status).toBe('Inactive');
    await call(ctx, 'DeleteAccessKey', { UserName: 'bob', AccessKeyId: key.AccessKeyId });
    expect(await resolveAccessKey(store, box, key.AccessKeyId, now)).toBeUndefined();
    expect(await resolveAccessKey(store, box, 'AKIAUNKNOWNUNKNOWN00', now)).toBeUndefined();
  });

  it('turns a stored policy that no longer parses into a deny-everything policy', async () => {
    const { store, box, ctx } = await setup();
    await call(ctx, 'CreateUser', { UserName: 'dan' });
    await call(ctx, 'PutUserPolicy', { UserName: 'dan', PolicyName: 'p', PolicyDocument: allowDoc('*') });
    await store.db.updateTable('iam_inline_policies').set({ document: '{"Statement": [' }).execute();
    const key = (await call(ctx, 'CreateAccessKey', { UserName: 'dan' })).AccessKey;
    const c = (await resolveAccessKey(store, box, key.AccessKeyId, now))!.caller;
    expect(c.identityPolicies).toHaveLength(1);
    expect(c.identityPolicies[0]!.policy.statements).toEqual([
      {
        index: 0,
        sid: 'SesameUnreadablePolicy',
        effect: 'Deny',
        action: ['*'],
        resource: ['*'],
        conditions: [],
      },
    ]);
    expect(c.identityPolicies[0]!.text).toBeUndefined();
  });

  it('resolves an STS role session: role policies, session policy, tags overriding role tags, expiry', async () => {
    const { store, box, ctx, accountId } = await setup();
    const role = await call(ctx, 'CreateRole', {
      RoleName: 'sender',
      Path: '/svc/',
      AssumeRolePolicyDocument: TRUST_ACCOUNT(accountId),
      Tags: [
        { Key: 'env', Value: 'prod' },
        { Key: 'team', Value: 'a' },
      ],
    });
    await call(ctx, 'PutRolePolicy', {
      RoleName: 'sender',
      PolicyName: 'rp',
      PolicyDocument: allowDoc('ses:SendRawEmail'),
    });
    await store.db
      .insertInto('iam_sessions')
      .values({
        access_key_id: 'ASIAEXAMPLEEXAMPLE00',
        account_id: accountId,
        kind: 'role',
        secret_sealed: box.seal('s'.repeat(40)),
        session_token_hash: hashSessionToken('token-1'),
        role_id: role.Role.RoleId,
        role_arn: role.Role.Arn,
        user_id: null,
        session_name: 'job-7',
        created_at: now.getTime(),
        expires_at: now.getTime() + 3600_000,
        session_policy: allowDoc(
          'ses:SendRawEmail',
          `arn:aws:ses:us-east-1:${accountId}:identity/example.com`,
        ),
        session_policy_arns: null,
        session_tags: JSON.stringify([{ Key: 'team', Value: 'b' }]),
        transitive_tag_keys: '[]',
        source_identity: null,
      })
      .execute();
    const r = (await resolveAccessKey(store, box, 'ASIAEXAMPLEEXAMPLE00', now))!;
    expect(r.key.status).toBe('Active');
    expect(r.key.secretAccessKey).toBe('s'.repeat(40));
    expect(sessionTokenMatches(r.key.sessionTokenHash!, 'token-1')).toBe(true);
    expect(sessionTokenMatches(r.key.sessionTokenHash!, 'token-2')).toBe(false);
    expect(r.caller.principal).toEqual({
      kind: 'AssumedRole',
      arn: `arn:aws:sts::${accountId}:assumed-role/sender/job-7`,
      accountId,
      roleArn: `arn:aws:iam::${accountId}:role/svc/sender`,
    });
    expect(r.caller.userId).toBe(`${role.Role.RoleId}:job-7`);
    expect(r.caller.temporary).toBe(true);
    expect(r.caller.principalTags).toEqual({ env: 'prod', team: 'b' });
    expect(r.caller.identityPolicies.map((p) => p.id)).toEqual(['inline:role/sender/rp']);
    expect(r.caller.sessionPolicies?.map((p) => [p.id, p.source])).toEqual([['session:inline', 'session']]);
    const later = await resolveAccessKey(
      store,
      box,
      'ASIAEXAMPLEEXAMPLE00',
      new Date(now.getTime() + 3600_000),
    );
    expect(later?.key.status).toBe('Expired');
  });

  it('keeps secrets sealed in the database', async () => {
    const { store, ctx } = await setup();
    await call(ctx, 'CreateUser', { UserName: 'erin' });
    const key = (await call(ctx, 'CreateAccessKey', { UserName: 'erin' })).AccessKey;
    const rows = await store.db.selectFrom('iam_access_keys').selectAll().execute();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.secret_sealed).toMatch(/^v1:/);
      expect(JSON.stringify(row)).not.toContain(key.SecretAccessKey);
    }
  });
});

describe.each(testDialects())('principal cache (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));
  const now = new Date('2025-06-01T12:00:00Z');

  it('serves repeated lookups without the store and sees an attach on the next resolve', async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    const { box, ctx } = await testAccount(store);
    await call(ctx, 'CreateUser', { UserName: 'alice' });
    const key = (await call(ctx, 'CreateAccessKey', { UserName: 'alice' })).AccessKey;
    const cache = createPrincipalCache(store, box);
    const first = await cache.resolve(key.AccessKeyId, now);
    expect(first?.caller.identityPolicies).toEqual([]);
    expect(await cache.resolve(key.AccessKeyId, now)).toBe(first); // same object: no store round trip
    expect(cache.size).toBe(1);

    const p = await call(ctx, 'CreatePolicy', { PolicyName: 'm', PolicyDocument: allowDoc('ses:*') });
    await call(ctx, 'AttachUserPolicy', { UserName: 'alice', PolicyArn: p.Policy.Arn });
    const after = await cache.resolve(key.AccessKeyId, now);
    expect(after).not.toBe(first);
    expect(after?.caller.identityPolicies.map((x) => x.id)).toEqual([p.Policy.Arn]);
  });

  it('sees a deactivated key and does not cache unknown keys; other accounts stay cached', async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    const { box, ctx } = await testAccount(store);
    const other = await testAccount(store, '444455556666', box);
    const otherKey = await store.db
      .selectFrom('iam_access_keys')
      .select('access_key_id')
      .where('account_id', '=', other.accountId)
      .executeTakeFirstOrThrow();
    await call(ctx, 'CreateUser', { UserName: 'bob' });
    const key = (await call(ctx, 'CreateAccessKey', { UserName: 'bob' })).AccessKey;
    const cache = createPrincipalCache(store, box);
    const otherFirst = await cache.resolve(otherKey.access_key_id, now);
    expect((await cache.resolve(key.AccessKeyId, now))?.key.status).toBe('Active');
    await call(ctx, 'UpdateAccessKey', { UserName: 'bob', AccessKeyId: key.AccessKeyId, Status: 'Inactive' });
    expect((await cache.resolve(key.AccessKeyId, now))?.key.status).toBe('Inactive');
    expect(await cache.resolve(otherKey.access_key_id, now)).toBe(otherFirst);
    expect(await cache.resolve('AKIANOSUCHKEY0000000', now)).toBeUndefined();
    expect(cache.size).toBe(2);
  });
});
