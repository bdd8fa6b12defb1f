import { afterAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { encodePolicyDocument } from '../documents.js';
import { allowDoc, call, errorOf, testAccount, TRUST_ACCOUNT } from '../test-context.js';

/** An identity policy of exactly `size` characters without whitespace. */
function docOfSize(size: number): string {
  const base = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'ses:SendEmail', Resource: 'arn:aws:ses:*:*:identity/' }],
  });
  const pad = size - base.length;
  return base.replace('identity/', `identity/${'a'.repeat(pad)}`);
}

describe.each(testDialects())('IAM inline policies (%s)', (dialect) => {
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

  it('puts, gets (URL-encoded), lists, replaces and deletes for users, groups and roles', async () => {
    const { ctx } = await setup();
    for (const [kind, nameKey, name] of [
      ['User', 'UserName', 'alice'],
      ['Group', 'GroupName', 'devs'],
      ['Role', 'RoleName', 'r'],
    ] as const) {
      const doc = allowDoc('ses:SendEmail');
      await call(ctx, `Put${kind}Policy`, { [nameKey]: name, PolicyName: 'b', PolicyDocument: doc });
      await call(ctx, `Put${kind}Policy`, { [nameKey]: name, PolicyName: 'a', PolicyDocument: doc });
      await call(ctx, `Put${kind}Policy`, {
        [nameKey]: name,
        PolicyName: 'a',
        PolicyDocument: allowDoc('ses:*'),
      });
      expect(await call(ctx, `Get${kind}Policy`, { [nameKey]: name, PolicyName: 'a' })).toEqual({
        [nameKey]: name,
        PolicyName: 'a',
        PolicyDocument: encodePolicyDocument(allowDoc('ses:*')),
      });
      expect(await call(ctx, `List${kind}Policies`, { [nameKey]: name })).toEqual({
        PolicyNames: ['a', 'b'],
        IsTruncated: false,
      });
      const page1 = await call(ctx, `List${kind}Policies`, { [nameKey]: name, MaxItems: 1 });
      expect(page1.PolicyNames).toEqual(['a']);
      expect(page1.IsTruncated).toBe(true);
      await call(ctx, `Delete${kind}Policy`, { [nameKey]: name, PolicyName: 'a' });
      const lower = kind.toLowerCase();
      expect(await errorOf(call(ctx, `Get${kind}Policy`, { [nameKey]: name, PolicyName: 'a' }))).toEqual([
        'NoSuchEntity',
        404,
        `The ${lower} policy with name a cannot be found.`,
      ]);
      expect((await errorOf(call(ctx, `Delete${kind}Policy`, { [nameKey]: name, PolicyName: 'a' })))[0]).toBe(
        'NoSuchEntity',
      );
    }
  });

  it('rejects malformed documents with the validator text', async () => {
    const { ctx } = await setup();
    const noResource = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'ses:*' }],
    });
    expect(
      await errorOf(
        call(ctx, 'PutUserPolicy', { UserName: 'alice', PolicyName: 'p', PolicyDocument: noResource }),
      ),
    ).toEqual(['MalformedPolicyDocument', 400, 'Policy statement must contain resources.']);
  });

  it('enforces the aggregate quotas 2048 (user), 5120 (group), 10240 (role)', async () => {
    const { ctx } = await setup();
    for (const [kind, nameKey, name, limit] of [
      ['User', 'UserName', 'alice', 2048],
      ['Group', 'GroupName', 'devs', 5120],
      ['Role', 'RoleName', 'r', 10240],
    ] as const) {
      const half = Math.floor(limit / 2);
      await call(ctx, `Put${kind}Policy`, {
        [nameKey]: name,
        PolicyName: 'one',
        PolicyDocument: docOfSize(half),
      });
      // Exactly at the limit is accepted...
      await call(ctx, `Put${kind}Policy`, {
        [nameKey]: name,
        PolicyName: 'two',
        PolicyDocument: docOfSize(limit - half),
      });
      // ...one character more is not; replacing a policy counts its new size only.
      expect(
        await errorOf(
          call(ctx, `Put${kind}Policy`, {
            [nameKey]: name,
            PolicyName: 'two',
            PolicyDocument: docOfSize(limit - half + 1),
          }),
        ),
      ).toEqual([
        'LimitExceeded',
        409,
        `Maximum policy size of ${limit} bytes exceeded for ${kind.toLowerCase()} ${name}`,
      ]);
    }
  });

  it('answers NoSuchEntity for the missing entity', async () => {
    const { ctx } = await setup();
    expect(
      await errorOf(
        call(ctx, 'PutRolePolicy', { RoleName: 'nope', PolicyName: 'p', PolicyDocument: allowDoc('ses:*') }),
      ),
    ).toEqual(['NoSuchEntity', 404, 'The role with name nope cannot be found.']);
  });
});
