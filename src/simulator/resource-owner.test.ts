// Who owns each simulated resource, and who the caller is when a resource policy is simulated
// (botocore iam SimulateCustomPolicy / SimulatePrincipalPolicy, CallerArn and ResourceOwner).
import { afterAll, describe, expect, it } from 'vitest';
import { call, errorOf, testAccount, TRUST_ACCOUNT } from '../iam/test-context.js';
import { openTestStore, testDialects, type Store } from '../store/database.js';
import { sim } from './test-support.js';
import type { SimulatePolicyResponse } from './simulate.js';

const A = '111122223333';
const B = '444455556666';
const carol = `arn:aws:iam::${A}:user/carol`;
const inA = `arn:aws:ses:us-east-1:${A}:identity/mine.example`;
const inB = `arn:aws:ses:us-east-1:${B}:identity/partner.example`;
const bucket = 'arn:aws:s3:::shared-bucket';

const doc = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const GRANT_CAROL = doc([
  { Effect: 'Allow', Principal: { AWS: carol }, Action: ['ses:SendEmail', 's3:GetObject'], Resource: '*' },
]);
const QUOTA_ONLY = doc([{ Effect: 'Allow', Action: 'ses:GetSendQuota', Resource: '*' }]);
const INVALID_CALLER = 'Invalid caller - Caller must be an IAM user in this context.';

describe.each(testDialects())('simulated resource owners and callers (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));
  const setup = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    const acct = await testAccount(store, A);
    await call(acct.ctx, 'CreateUser', { UserName: 'carol' });
    return acct;
  };
  const decisions = (out: SimulatePolicyResponse) =>
    out.EvaluationResults.map((r) => [r.EvalResourceName, r.EvalDecision, r.EvalDecisionDetails]);

  it('each resource is owned by its ARN’s account: another account’s identity needs the caller’s allow too', async () => {
    const { ctx } = await setup();
    const out = await sim(ctx, 'SimulateCustomPolicy', {
      PolicyInputList: [QUOTA_ONLY],
      ActionNames: ['ses:SendEmail'],
      ResourceArns: [inA, inB],
      ResourcePolicy: GRANT_CAROL,
      CallerArn: carol,
    });
    expect(decisions(out)).toEqual([
      // Same account: the resource policy's grant to carol suffices.
      [inA, 'allowed', {}],
      // Cross-account: carol's own policies do not allow SendEmail.
      [inB, 'implicitDeny', { 'IAM Policy': 'implicitDeny', 'Resource Policy': 'allowed' }],
    ]);
  });

  it('ResourceOwner owns resources whose ARN names no account; an ARN’s own account still wins', async () => {
    const { ctx } = await setup();
    const run = (owner?: string) =>
      sim(ctx, 'SimulateCustomPolicy', {
        PolicyInputList: [QUOTA_ONLY],
        ActionNames: ['s3:GetObject'],
        ResourceArns: [bucket, inA],
        ResourcePolicy: GRANT_CAROL,
        CallerArn: carol,
        ...(owner ? { ResourceOwner: owner } : {}),
      });
    // Default owner: the caller's (CallerArn's) account.
    expect(decisions(await run()).map((d) => d[1])).toEqual(['allowed', 'allowed']);
    const owned = decisions(await run(`arn:aws:iam::${B}:root`));
    expect(owned[0]).toEqual([
      bucket,
      'implicitDeny',
      { 'IAM Policy': 'implicitDeny', 'Resource Policy': 'allowed' },
    ]);
    expect(owned[1]).toEqual([inA, 'allowed', {}]);
  });

  it('a resource policy needs a CallerArn (a user), as AWS requires; a user source stands for itself', async () => {
    const { ctx } = await setup();
    expect(
      await errorOf(
        sim(ctx, 'SimulateCustomPolicy', {
          PolicyInputList: [QUOTA_ONLY],
          ActionNames: ['ses:SendEmail'],
          ResourcePolicy: GRANT_CAROL,
        }),
      ),
    ).toEqual(['InvalidInput', 400, INVALID_CALLER]);
    await call(ctx, 'CreateGroup', { GroupName: 'devs' });
    await call(ctx, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: TRUST_ACCOUNT(A) });
    for (const source of [`arn:aws:iam::${A}:group/devs`, `arn:aws:iam::${A}:role/r`])
      expect(
        await errorOf(
          sim(ctx, 'SimulatePrincipalPolicy', {
            PolicySourceArn: source,
            ActionNames: ['ses:SendEmail'],
            ResourcePolicy: GRANT_CAROL,
          }),
        ),
        source,
      ).toEqual(['InvalidInput', 400, INVALID_CALLER]);
    const asCarol = await sim(ctx, 'SimulatePrincipalPolicy', {
      PolicySourceArn: carol,
      ActionNames: ['ses:SendEmail'],
      ResourceArns: [inA],
      ResourcePolicy: GRANT_CAROL,
    });
    expect(asCarol.EvaluationResults[0]!.EvalDecision).toBe('allowed');
    // Without a resource policy a group's policies simulate without any caller.
    await call(ctx, 'PutGroupPolicy', { GroupName: 'devs', PolicyName: 'q', PolicyDocument: QUOTA_ONLY });
    const group = await sim(ctx, 'SimulatePrincipalPolicy', {
      PolicySourceArn: `arn:aws:iam::${A}:group/devs`,
      ActionNames: ['ses:GetSendQuota'],
    });
    expect(group.EvaluationResults[0]!.EvalDecision).toBe('allowed');
  });

  it('refuses a malformed ResourceOwner with IAM’s text', async () => {
    const { ctx } = await setup();
    expect(
      await errorOf(
        sim(ctx, 'SimulateCustomPolicy', {
          PolicyInputList: [QUOTA_ONLY],
          ActionNames: ['ses:SendEmail'],
          ResourceOwner: 'account-b',
        }),
      ),
    ).toEqual(['InvalidInput', 400, "'account-b' is not a valid as a Resource Owner."]);
  });
});
