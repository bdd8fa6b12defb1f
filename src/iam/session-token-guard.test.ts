import { afterAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../store/database.js';
import { newRole, newUser, NOW, sessionCaller, sts, trust } from '../sts/test-support.js';
import { resolveAccessKey } from './principals.js';
import { call, errorOf, testAccount, testContext } from './test-context.js';

const REFUSED = ['InvalidClientTokenId', 403, 'The security token included in the request is invalid'];

describe.each(testDialects())('IAM refuses GetSessionToken credentials (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));
  const setup = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    const a = await testAccount(store);
    a.ctx.now = NOW;
    return { store, a };
  };

  it("refuses a user's and the root's GetSessionToken sessions on every IAM operation, before authorization", async () => {
    const { store, a } = await setup();
    const alice = await newUser(
      a,
      store,
      'alice',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }],
      }),
    );
    // The user's long-term key may call IAM.
    expect((await call(alice, 'GetUser', { UserName: 'alice' })).User.UserName).toBe('alice');
    const userToken = await sts(alice, 'GetSessionToken');
    const userSession = testContext(
      store,
      await sessionCaller(a, store, userToken.Credentials.AccessKeyId),
      NOW,
    );
    expect(userSession.caller.principal.kind).toBe('User');
    for (const [op, input] of [
      ['GetUser', { UserName: 'alice' }],
      ['ListUsers', {}],
      ['CreateUser', { UserName: 'bob' }],
      ['ListEntitiesForPolicy', { PolicyArn: `arn:aws:iam::${a.accountId}:policy/none` }],
      ['CreateUser', {}], // invalid input: the credentials are refused first
    ] as const)
      expect(await errorOf(call(userSession, op, input)), op).toEqual(REFUSED);
    expect((await errorOf(call(a.ctx, 'GetUser', { UserName: 'bob' })))[0]).toBe('NoSuchEntity');

    const rootToken = await sts(a.ctx, 'GetSessionToken');
    const rootSession = testContext(
      store,
      await sessionCaller(a, store, rootToken.Credentials.AccessKeyId),
      NOW,
    );
    expect(rootSession.caller.principal.kind).toBe('Account');
    expect(await errorOf(call(rootSession, 'ListUsers'))).toEqual(REFUSED);
    // STS still serves GetCallerIdentity to the same credentials.
    expect((await sts(rootSession, 'GetCallerIdentity')).Arn).toBe(`arn:aws:iam::${a.accountId}:root`);
  });

  it('lets role sessions and other root sessions (the console operator sign-in) call IAM', async () => {
    const { store, a } = await setup();
    const u = await newUser(a, store, 'u');
    const roleArn = await newRole(a, 'admin', trust({ AWS: `arn:aws:iam::${a.accountId}:user/u` }));
    await call(a.ctx, 'PutRolePolicy', {
      RoleName: 'admin',
      PolicyName: 'p',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }],
      }),
    });
    const assumed = await sts(u, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 's1' });
    const roleSession = testContext(
      store,
      await sessionCaller(a, store, assumed.Credentials.AccessKeyId),
      NOW,
    );
    expect((await call(roleSession, 'ListUsers')).Users.map((x: { UserName: string }) => x.UserName)).toEqual(
      ['u'],
    );

    // A root session issued by someone other than GetSessionToken (session_name unset).
    await store.db
      .insertInto('iam_sessions')
      .values({
        access_key_id: 'ASIAOPERATORSESSION1',
        account_id: a.accountId,
        kind: 'user',
        secret_sealed: a.box.seal('operatorSecret'),
        session_token_hash: 'x',
        role_id: null,
        role_arn: null,
        user_id: null,
        session_name: null,
        created_at: NOW.getTime(),
        expires_at: NOW.getTime() + 3600_000,
        session_policy: null,
        session_policy_arns: null,
        session_tags: '[]',
        transitive_tag_keys: '[]',
        source_identity: null,
      })
      .execute();
    const resolved = await resolveAccessKey(store, a.box, 'ASIAOPERATORSESSION1', NOW);
    const operator = testContext(store, resolved!.caller, NOW);
    expect(operator.caller).toMatchObject({ temporary: true, principal: { kind: 'Account' } });
    expect((await call(operator, 'ListUsers')).Users).toHaveLength(1);
  });
});
