import { describe, expect, it } from 'vitest';
import { openTestStore } from '../store/database.js';
import { call, errorOf, testAccount } from './test-context.js';
import { requireExistingPrincipals } from './trust-principals.js';

const trust = (aws: string | string[]) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: aws }, Action: 'sts:AssumeRole' }],
  });

describe('requireExistingPrincipals', () => {
  it('accepts existing users and roles, the account, wildcards and accounts Sesame does not hold', async () => {
    const store = await openTestStore();
    const acct = await testAccount(store);
    await call(acct.ctx, 'CreateUser', { UserName: 'alice', Path: '/eng/' });
    await call(acct.ctx, 'CreateRole', { RoleName: 'ops', AssumeRolePolicyDocument: trust('*') });
    await expect(
      requireExistingPrincipals(
        store.db,
        trust([
          'arn:aws:iam::111122223333:user/eng/alice',
          'arn:aws:iam::111122223333:role/ops',
          'arn:aws:iam::111122223333:root',
          '111122223333',
          '*',
          'arn:aws:iam::111122223333:user/eng/*',
          'arn:aws:iam::999988887777:user/someone',
        ]),
      ),
    ).resolves.toBeUndefined();
    await store.close();
  });

  it('refuses a missing user or role, a wrong path or case, and any group', async () => {
    const store = await openTestStore();
    const acct = await testAccount(store);
    await call(acct.ctx, 'CreateUser', { UserName: 'alice', Path: '/eng/' });
    for (const arn of [
      'arn:aws:iam::111122223333:user/ghost',
      'arn:aws:iam::111122223333:role/ghost',
      'arn:aws:iam::111122223333:user/alice',
      'arn:aws:iam::111122223333:user/eng/Alice',
      'arn:aws:iam::111122223333:group/devs',
    ]) {
      expect(await errorOf(requireExistingPrincipals(store.db, trust(['*', arn])))).toEqual([
        'MalformedPolicyDocument',
        400,
        `Invalid principal in policy: "AWS":"${arn}"`,
      ]);
    }
    await store.close();
  });
});
