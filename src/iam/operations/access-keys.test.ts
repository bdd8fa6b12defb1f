import { afterAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { resolveAccessKey } from '../principals.js';
import { recordAccessKeyUse } from '../key-usage.js';
import { call, errorOf, testAccount, testContext } from '../test-context.js';

describe.each(testDialects())('IAM access keys (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));
  const setup = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    return { store, ...(await testAccount(store)) };
  };

  it('creates up to 2 keys per user, then LimitExceeded 409', async () => {
    const { ctx } = await setup();
    await call(ctx, 'CreateUser', { UserName: 'alice' });
    const k1 = (await call(ctx, 'CreateAccessKey', { UserName: 'alice' })).AccessKey;
    expect(k1.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(k1.SecretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(k1).toMatchObject({ UserName: 'alice', Status: 'Active' });
    await call(ctx, 'CreateAccessKey', { UserName: 'alice' });
    expect(await errorOf(call(ctx, 'CreateAccessKey', { UserName: 'alice' }))).toEqual([
      'LimitExceeded',
      409,
      'Cannot exceed quota for AccessKeysPerUser: 2',
    ]);
    expect((await errorOf(call(ctx, 'CreateAccessKey', { UserName: 'nobody' })))[2]).toBe(
      'The user with name nobody cannot be found.',
    );
  });

  it('without UserName acts on the caller: the root user (max 2 root keys) or the IAM user', async () => {
    const { store, box, ctx } = await setup();
    const rootKey = (await call(ctx, 'CreateAccessKey', {})).AccessKey;
    expect(rootKey.UserName).toBeUndefined();
    expect((await call(ctx, 'ListAccessKeys', {})).AccessKeyMetadata).toHaveLength(2);
    expect((await errorOf(call(ctx, 'CreateAccessKey', {})))[0]).toBe('LimitExceeded');
    await call(ctx, 'CreateUser', { UserName: 'bob' });
    const bobKey = (await call(ctx, 'CreateAccessKey', { UserName: 'bob' })).AccessKey;
    const bob = testContext(
      store,
      (await resolveAccessKey(store, box, bobKey.AccessKeyId, new Date()))!.caller,
    );
    const own = await call(bob, 'ListAccessKeys', {});
    expect(own.AccessKeyMetadata).toEqual([
      { UserName: 'bob', AccessKeyId: bobKey.AccessKeyId, Status: 'Active', CreateDate: bobKey.CreateDate },
    ]);
  });

  it('refuses a role session without UserName with AWS ValidationError', async () => {
    const { store, ctx } = await setup();
    const session = testContext(store, {
      ...ctx.caller,
      principal: {
        kind: 'AssumedRole',
        arn: 'arn:aws:sts::111122223333:assumed-role/r/s',
        accountId: '111122223333',
      },
      temporary: true,
    });
    expect(await errorOf(call(session, 'CreateAccessKey', {}))).toEqual([
      'ValidationError',
      400,
      'Must specify userName when calling with non-User credentials',
    ]);
  });

  it('updates status, rejects a key of another user, deletes, and reports last use', async () => {
    const { store, ctx } = await setup();
    await call(ctx, 'CreateUser', { UserName: 'carol' });
    await call(ctx, 'CreateUser', { UserName: 'dan' });
    const k = (await call(ctx, 'CreateAccessKey', { UserName: 'carol' })).AccessKey;
    await call(ctx, 'UpdateAccessKey', { UserName: 'carol', AccessKeyId: k.AccessKeyId, Status: 'Inactive' });
    expect((await call(ctx, 'ListAccessKeys', { UserName: 'carol' })).AccessKeyMetadata[0].Status).toBe(
      'Inactive',
    );
    expect(
      (
        await errorOf(
          call(ctx, 'UpdateAccessKey', { UserName: 'carol', AccessKeyId: k.AccessKeyId, Status: 'Paused' }),
        )
      )[0],
    ).toBe('ValidationError');
    expect(
      await errorOf(call(ctx, 'DeleteAccessKey', { UserName: 'dan', AccessKeyId: k.AccessKeyId })),
    ).toEqual(['NoSuchEntity', 404, `The Access Key with id ${k.AccessKeyId} cannot be found.`]);
    expect(await call(ctx, 'GetAccessKeyLastUsed', { AccessKeyId: k.AccessKeyId })).toEqual({
      UserName: 'carol',
      AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' },
    });
    const when = new Date('2025-06-01T10:00:00Z');
    await recordAccessKeyUse(store, k.AccessKeyId, 'ses', 'eu-west-1', when);
    expect(await call(ctx, 'GetAccessKeyLastUsed', { AccessKeyId: k.AccessKeyId })).toEqual({
      UserName: 'carol',
      AccessKeyLastUsed: { LastUsedDate: when, ServiceName: 'ses', Region: 'eu-west-1' },
    });
    await call(ctx, 'DeleteAccessKey', { UserName: 'carol', AccessKeyId: k.AccessKeyId });
    expect((await call(ctx, 'ListAccessKeys', { UserName: 'carol' })).AccessKeyMetadata).toEqual([]);
  });
});
