import { afterAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { call, checksOf, errorOf, testAccount, TRUST_ACCOUNT } from '../test-context.js';

describe.each(testDialects())('IAM tags (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));
  const setup = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    const acct = await testAccount(store);
    await call(acct.ctx, 'CreateUser', { UserName: 'alice' });
    await call(acct.ctx, 'CreateRole', {
      RoleName: 'r',
      AssumeRolePolicyDocument: TRUST_ACCOUNT(acct.accountId),
    });
    return { store, ...acct };
  };

  it('tags, replaces case-insensitively, lists and untags users and roles', async () => {
    const { ctx } = await setup();
    for (const [kind, nameKey, name] of [
      ['User', 'UserName', 'alice'],
      ['Role', 'RoleName', 'r'],
    ] as const) {
      await call(ctx, `Tag${kind}`, {
        [nameKey]: name,
        Tags: [
          { Key: 'Env', Value: 'dev' },
          { Key: 'team', Value: 'a' },
        ],
      });
      await call(ctx, `Tag${kind}`, { [nameKey]: name, Tags: [{ Key: 'env', Value: 'prod' }] });
      expect(await call(ctx, `List${kind}Tags`, { [nameKey]: name })).toEqual({
        Tags: [
          { Key: 'env', Value: 'prod' },
          { Key: 'team', Value: 'a' },
        ],
        IsTruncated: false,
      });
      await call(ctx, `Untag${kind}`, { [nameKey]: name, TagKeys: ['TEAM'] });
      expect((await call(ctx, `List${kind}Tags`, { [nameKey]: name })).Tags).toEqual([
        { Key: 'env', Value: 'prod' },
      ]);
    }
  });

  it('refuses duplicate keys in one request, bad keys, and more than 50 tags', async () => {
    const { ctx } = await setup();
    expect(
      await errorOf(
        call(ctx, 'TagUser', {
          UserName: 'alice',
          Tags: [
            { Key: 'a', Value: '1' },
            { Key: 'A', Value: '2' },
          ],
        }),
      ),
    ).toEqual([
      'InvalidInput',
      400,
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    ]);
    expect(
      (await errorOf(call(ctx, 'TagUser', { UserName: 'alice', Tags: [{ Key: 'bad#key', Value: '1' }] })))[0],
    ).toBe('ValidationError');
    const many = Array.from({ length: 30 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await call(ctx, 'TagUser', { UserName: 'alice', Tags: many });
    const more = Array.from({ length: 21 }, (_, i) => ({ Key: `m${i}`, Value: 'v' }));
    expect((await errorOf(call(ctx, 'TagUser', { UserName: 'alice', Tags: more })))[0]).toBe('LimitExceeded');
    expect((await call(ctx, 'ListUserTags', { UserName: 'alice' })).Tags).toHaveLength(30);
    expect(
      await errorOf(call(ctx, 'TagRole', { RoleName: 'nope', Tags: [{ Key: 'a', Value: '1' }] })),
    ).toEqual(['NoSuchEntity', 404, 'The role with name nope cannot be found.']);
  });

  it('declares request tags and tag keys as context', async () => {
    const { ctx, accountId } = await setup();
    expect(await checksOf(ctx, 'UntagUser', { UserName: 'alice', TagKeys: ['x'] })).toEqual([
      {
        action: 'iam:UntagUser',
        resource: `arn:aws:iam::${accountId}:user/alice`,
        context: { 'aws:TagKeys': ['x'] },
      },
    ]);
  });
});
