import { afterAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../store/database.js';
import { stsOperations } from './index.js';
import { call } from '../iam/test-context.js';
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
  userCtx,
} from './test-support.js';

const A = '111122223333';

describe.each(testDialects())('GetCallerIdentity and GetAccessKeyInfo (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));
  const setup = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    return { store, ...(await setupAccounts(store)) };
  };

  it('root: the account id as UserId and the :root ARN', async () => {
    const { a } = await setup();
    expect(await sts(a.ctx, 'GetCallerIdentity')).toEqual({
      UserId: A,
      Account: A,
      Arn: `arn:aws:iam::${A}:root`,
    });
  });

  it('IAM user: its AIDA id and its ARN with path; never denied, even under an explicit deny of everything', async () => {
    const { store, a } = await setup();
    await call(a.ctx, 'CreateUser', { UserName: 'ops-bot', Path: '/ops/' });
    await call(a.ctx, 'PutUserPolicy', {
      UserName: 'ops-bot',
      PolicyName: 'deny',
      PolicyDocument: policy('*', '*', 'Deny'),
    });
    const row = await store.db
      .selectFrom('iam_users')
      .selectAll()
      .where('name', '=', 'ops-bot')
      .executeTakeFirstOrThrow();
    const ctx = await userCtx(store, A, 'ops-bot');
    expect(await stsOperations.GetCallerIdentity!.authorize!(ctx, {})).toEqual([]);
    expect(await sts(ctx, 'GetCallerIdentity')).toEqual({
      UserId: row.user_id,
      Account: A,
      Arn: `arn:aws:iam::${A}:user/ops/ops-bot`,
    });
    expect(row.user_id).toMatch(/^AIDA/);
  });

  it('role session: AROA…:session and the assumed-role ARN (no role path)', async () => {
    const { store, a } = await setup();
    const u = await newUser(a, store, 'u');
    const roleArn = await newRole(a, 'deployer', trust({ AWS: `arn:aws:iam::${A}:user/u` }), {
      Path: '/ci/',
    });
    const out = await sts(u, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'build-7' });
    const ctx = testContext(store, await sessionCaller(a, store, out.Credentials.AccessKeyId), NOW);
    const id = await sts(ctx, 'GetCallerIdentity');
    expect(id).toEqual({
      UserId: out.AssumedRoleUser.AssumedRoleId,
      Account: A,
      Arn: `arn:aws:sts::${A}:assumed-role/deployer/build-7`,
    });
    expect(id.UserId).toMatch(/^AROA[A-Z2-7]{17}:build-7$/);
  });

  it('GetAccessKeyInfo answers the owning account of long-term and temporary keys, and needs sts:GetAccessKeyInfo', async () => {
    const { store, a, b } = await setup();
    expect(await sts(b.ctx, 'GetAccessKeyInfo', { AccessKeyId: a.root.accessKeyId })).toEqual({ Account: A });
    const nobody = await newUser(a, store, 'nobody');
    expect(await errorOf(sts(nobody, 'GetAccessKeyInfo', { AccessKeyId: a.root.accessKeyId }))).toEqual([
      'AccessDenied',
      403,
      `User: arn:aws:iam::${A}:user/nobody is not authorized to perform: sts:GetAccessKeyInfo on resource: * because no identity-based policy allows the sts:GetAccessKeyInfo action`,
    ]);
    expect(await errorOf(sts(a.ctx, 'GetAccessKeyInfo', { AccessKeyId: 'AKIAUNKNOWNKEY000000' }))).toEqual([
      'InvalidParameterValue',
      400,
      'The access key ID AKIAUNKNOWNKEY000000 is not valid.',
    ]);
    expect((await errorOf(sts(a.ctx, 'GetAccessKeyInfo', { AccessKeyId: 'short' })))[2]).toBe(
      "1 validation error detected: Value 'short' at 'accessKeyId' failed to satisfy constraint: Member must have length greater than or equal to 16",
    );
  });
});
