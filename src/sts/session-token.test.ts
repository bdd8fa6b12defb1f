import { afterAll, describe, expect, it } from 'vitest';
import { decide } from '../authz/index.js';
import { openTestStore, testDialects, type Store } from '../store/database.js';
import {
  NOW,
  errorOf,
  newRole,
  newUser,
  policy,
  sessionCaller,
  setupAccounts,
  sts,
  testContext,
  trust,
} from './test-support.js';

const A = '111122223333';

describe.each(testDialects())('GetSessionToken (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));
  const setup = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    return { store, ...(await setupAccounts(store)) };
  };

  it('issues credentials that act as the same user with the same policies (12 hours by default)', async () => {
    const { store, a } = await setup();
    const u = await newUser(a, store, 'u', policy('ses:SendEmail'));
    const out = await sts(u, 'GetSessionToken');
    expect(out.Credentials.AccessKeyId).toMatch(/^ASIA/);
    expect(out.Credentials.Expiration).toEqual(new Date(NOW.getTime() + 43200_000));
    const caller = await sessionCaller(a, store, out.Credentials.AccessKeyId);
    expect(caller).toMatchObject({ temporary: true, userName: 'u', userId: u.caller.userId, accountId: A });
    expect(caller.principal).toEqual(u.caller.principal);
    expect(caller.identityPolicies.map((p) => p.id)).toEqual(u.caller.identityPolicies.map((p) => p.id));
    const ctx = testContext(store, caller, NOW);
    expect(decide(ctx, { action: 'ses:SendEmail', resource: '*' }).decision).toBe('Allowed');
    expect(decide(ctx, { action: 'ses:SendRawEmail', resource: '*' }).decision).toBe('ImplicitDeny');
  });

  it('needs no permission, and checks DurationSeconds against 900..129600', async () => {
    const { store, a } = await setup();
    const u = await newUser(a, store, 'v', policy('*', '*', 'Deny'));
    expect((await sts(u, 'GetSessionToken', { DurationSeconds: 129600 })).Credentials.Expiration).toEqual(
      new Date(NOW.getTime() + 129600_000),
    );
    expect(await errorOf(sts(u, 'GetSessionToken', { DurationSeconds: 129601 }))).toEqual([
      'ValidationError',
      400,
      "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600",
    ]);
    expect((await errorOf(sts(u, 'GetSessionToken', { DurationSeconds: 899 })))[2]).toContain(
      'greater than or equal to 900',
    );
  });

  it('root sessions are cut to one hour and stored without a user id', async () => {
    const { store, a } = await setup();
    const out = await sts(a.ctx, 'GetSessionToken', { DurationSeconds: 7200 });
    expect(out.Credentials.Expiration).toEqual(new Date(NOW.getTime() + 3600_000));
    const row = await store.db
      .selectFrom('iam_sessions')
      .selectAll()
      .where('access_key_id', '=', out.Credentials.AccessKeyId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      kind: 'user',
      user_id: null,
      account_id: A,
      role_id: null,
      session_name: 'GetSessionToken',
    });
  });

  it('refuses session credentials: role sessions and GetSessionToken sessions alike', async () => {
    const { store, a } = await setup();
    const w = await newUser(a, store, 'w');
    const roleArn = await newRole(a, 'r', trust({ AWS: `arn:aws:iam::${A}:user/w` }));
    const assumed = await sts(w, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'sess' });
    const roleSession = testContext(
      store,
      await sessionCaller(a, store, assumed.Credentials.AccessKeyId),
      NOW,
    );
    const refused = ['AccessDenied', 403, 'Cannot call GetSessionToken with session credentials'];
    expect(await errorOf(sts(roleSession, 'GetSessionToken'))).toEqual(refused);
    const token = await sts(w, 'GetSessionToken');
    const userSession = testContext(store, await sessionCaller(a, store, token.Credentials.AccessKeyId), NOW);
    expect(await errorOf(sts(userSession, 'GetSessionToken'))).toEqual(refused);
  });
});
