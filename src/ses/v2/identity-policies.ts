// SES v2 identity policies: Create refuses an existing name; Update and Delete "return successfully
// even if a policy with the specified name does not exist" (SES v2 API reference), so Update writes
// it and Delete has nothing to do. The identity must exist in the caller's account. Same rows as v1.
import type { CallContext, OperationTable } from '../../api/operation.js';
import { alreadyExists, badRequest, limitExceeded, texts } from '../errors.js';
import { identityArn } from '../state/arn.js';
import {
  checkIdentityPolicy,
  checkPolicyName,
  deletePolicy,
  writePolicy,
} from '../state/identity-policies.js';
import type { SesIdentityRow } from '../../store/schema/ses.js';
import { onIdentity, type Found } from './resources.js';

interface PolicyInput {
  EmailIdentity: string;
  PolicyName: string;
  Policy: string;
}

function assertPolicyNameV2(name: string): void {
  const problem = checkPolicyName(name);
  if (problem === 'too-long') throw badRequest(texts.policyNameTooLong);
  if (problem === 'invalid') throw badRequest(texts.policyNameInvalid);
}

async function write(
  ctx: CallContext,
  i: PolicyInput,
  found: Found<SesIdentityRow>,
  mode: 'create' | 'upsert',
): Promise<Record<string, never>> {
  assertPolicyNameV2(i.PolicyName);
  const row = await found.existing();
  const checked = checkIdentityPolicy(i.Policy, identityArn(ctx.region, ctx.caller.accountId, row.identity));
  if (!checked.ok) throw badRequest(checked.message);
  const res = await writePolicy(
    ctx.store,
    ctx.caller.accountId,
    ctx.region,
    row.identity,
    i.PolicyName,
    i.Policy,
    mode,
    ctx.now,
  );
  if (res === 'exists') throw alreadyExists(texts.policyExists(i.PolicyName));
  if (res === 'limit') throw limitExceeded(texts.policyLimit(row.identity));
  return {};
}

export const identityPolicyOperations: OperationTable = {
  CreateEmailIdentityPolicy: onIdentity<PolicyInput>('CreateEmailIdentityPolicy', (ctx, i, found) =>
    write(ctx, i, found, 'create'),
  ),
  UpdateEmailIdentityPolicy: onIdentity<PolicyInput>('UpdateEmailIdentityPolicy', (ctx, i, found) =>
    write(ctx, i, found, 'upsert'),
  ),
  GetEmailIdentityPolicies: onIdentity<{ EmailIdentity: string }>(
    'GetEmailIdentityPolicies',
    async (ctx, i, found) => {
      await found.existing();
      const policies = await found.policies();
      return { Policies: Object.fromEntries(policies.map((p) => [p.name, p.policy])) };
    },
  ),
  DeleteEmailIdentityPolicy: onIdentity<{ EmailIdentity: string; PolicyName: string }>(
    'DeleteEmailIdentityPolicy',
    async (ctx, i, found) => {
      const row = await found.existing();
      await deletePolicy(ctx.store, ctx.caller.accountId, ctx.region, row.identity, i.PolicyName);
      return {};
    },
  ),
};
