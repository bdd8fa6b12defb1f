// SES v1 sending-authorization policy operations (docs/spec/ses.md §4.2): Put upserts, Get returns only the
// names that exist, Delete is idempotent. Put needs the identity to exist in the caller's account.
import type { CallContext, Operation, OperationTable } from '../../api/operation.js';
import { onAnyResource } from '../authz.js';
import { invalidParameter, texts, v1Error } from '../errors.js';
import { identityNameOf } from '../identity-arg.js';
import { identityArn } from '../state/arn.js';
import { getIdentity } from '../state/identities.js';
import {
  checkIdentityPolicy,
  checkPolicyName,
  deletePolicy,
  listPolicies,
  writePolicy,
} from '../state/identity-policies.js';

const op = <I>(name: string, handle: (ctx: CallContext, input: I) => Promise<unknown>): Operation<I> => ({
  authorize: onAnyResource(name),
  handle,
});

/** v1 name rules; the length rule is the model's, worded as AWS's front end words it. */
export function assertPolicyNameV1(name: string): void {
  const problem = checkPolicyName(name);
  if (problem === 'too-long') throw v1Error('ValidationError', texts.policyNameTooLong);
  if (problem === 'invalid') throw invalidParameter(texts.policyNameInvalid);
}

export const identityPolicyOperations: OperationTable = {
  PutIdentityPolicy: op<{ Identity: string; PolicyName: string; Policy: string }>(
    'PutIdentityPolicy',
    async (ctx, i) => {
      assertPolicyNameV1(i.PolicyName);
      const name = identityNameOf(i.Identity, ctx.caller.accountId, ctx.region);
      const row =
        name === undefined ? undefined : await getIdentity(ctx.store, ctx.caller.accountId, ctx.region, name);
      if (!row) throw v1Error('MessageRejected', texts.identityUnknownV1(i.Identity));
      const checked = checkIdentityPolicy(
        i.Policy,
        identityArn(ctx.region, ctx.caller.accountId, row.identity),
      );
      if (!checked.ok) throw v1Error('InvalidPolicy', checked.message);
      const res = await writePolicy(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        row.identity,
        i.PolicyName,
        i.Policy,
        'upsert',
        ctx.now,
      );
      if (res === 'limit') throw invalidParameter(texts.policyLimit(row.identity));
      return {};
    },
  ),
  GetIdentityPolicies: op<{ Identity: string; PolicyNames: string[] }>(
    'GetIdentityPolicies',
    async (ctx, i) => {
      const name = identityNameOf(i.Identity, ctx.caller.accountId, ctx.region);
      const policies =
        name === undefined
          ? []
          : await listPolicies(ctx.store, ctx.caller.accountId, ctx.region, name, i.PolicyNames ?? []);
      return { Policies: Object.fromEntries(policies.map((p) => [p.name, p.policy])) };
    },
  ),
  ListIdentityPolicies: op<{ Identity: string }>('ListIdentityPolicies', async (ctx, i) => {
    const name = identityNameOf(i.Identity, ctx.caller.accountId, ctx.region);
    const policies =
      name === undefined ? [] : await listPolicies(ctx.store, ctx.caller.accountId, ctx.region, name);
    return { PolicyNames: policies.map((p) => p.name) };
  }),
  DeleteIdentityPolicy: op<{ Identity: string; PolicyName: string }>(
    'DeleteIdentityPolicy',
    async (ctx, i) => {
      const name = identityNameOf(i.Identity, ctx.caller.accountId, ctx.region);
      if (name !== undefined)
        await deletePolicy(ctx.store, ctx.caller.accountId, ctx.region, name, i.PolicyName);
      return {};
    },
  ),
};
