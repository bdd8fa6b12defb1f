import { describe, expect, it } from 'vitest';
import { validatePolicy } from '../policy/index.js';
import type { Policy } from '../policy/index.js';
import { openTestStore } from '../store/database.js';
import { call, errorOf, testAccount } from './test-context.js';
import { requireExistingPrincipals } from './trust-principals.js';

const trust = (aws: string | string[]) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: aws }, Action: 'sts:AssumeRole' }],
  });

/** The parsed policy, as a caller that validated the document holds it. */
function parsed(aws: string | string[]): Policy {
  const r = validatePolicy(trust(aws), 'trust');
  if (!r.ok) throw new Error(r.error.message);
  return r.policy;
}

const invalid = (arn: string) => [
  'MalformedPolicyDocument',
  400,
  `Invalid principal in policy: "AWS":"${arn}"`,
];

describe('requireExistingPrincipals', () => {
  it('accepts existing users and roles, the account, wildcards and accounts Sesame does not hold', async () => {
    const store = await openTestStore();
    const acct = await testAccount(store);
    await call(acct.ctx, 'CreateUser', { UserName: 'alice', Path: '/eng/' });
    await call(acct.ctx, 'CreateRole', { RoleName: 'ops', AssumeRolePolicyDocument: trust('*') });
    const good = [
      'arn:aws:iam::111122223333:user/eng/alice',
      'arn:aws:iam::111122223333:role/ops',
      'arn:aws:iam::111122223333:root',
      '111122223333',
      '*',
      'arn:aws:iam::111122223333:user/eng/*',
      'arn:aws:iam::999988887777:user/someone',
    ];
    await expect(requireExistingPrincipals(store, parsed(good))).resolves.toBeUndefined();
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
      expect(await errorOf(requireExistingPrincipals(store, parsed(['*', arn])))).toEqual(invalid(arn));
    }
    await store.close();
  });

  it('checks another account only when this Sesame holds it, in every statement', async () => {
    const store = await openTestStore();
    await testAccount(store);
    const other = await testAccount(store, '444455556666');
    await call(other.ctx, 'CreateRole', { RoleName: 'deploy', AssumeRolePolicyDocument: trust('*') });
    const held = 'arn:aws:iam::444455556666:role/deploy';
    const ghost = 'arn:aws:iam::444455556666:user/ghost';
    const notHeld = 'arn:aws:iam::777788889999:user/ghost';
    await expect(requireExistingPrincipals(store, parsed([held, notHeld]))).resolves.toBeUndefined();
    const twoStatements = validatePolicy(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: held }, Action: 'sts:AssumeRole' },
          {
            Effect: 'Allow',
            Principal: { Service: 'ses.amazonaws.com', AWS: ghost },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
      'trust',
    );
    if (!twoStatements.ok) throw new Error(twoStatements.error.message);
    expect(await errorOf(requireExistingPrincipals(store, twoStatements.policy))).toEqual(invalid(ghost));
    await store.close();
  });
});
