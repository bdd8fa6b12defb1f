// Helpers shared by the v2 operation files: identity lookup with the v2 errors, authorization on
// identity ARNs with the identity's own policies (spec §4.1: a Deny there blocks same-account calls)
// and its tags as aws:ResourceTag/* (SAR: every v2 identity action takes the key).
import type { AuthorizationCheck, CallContext, Operation } from '../../api/operation.js';
import type { ContextValue } from '../../policy/request.js';
import { badRequest, notFound, texts } from '../errors.js';
import { identityArn } from '../state/arn.js';
import { getIdentity } from '../state/identities.js';
import { getIdentityPolicies } from '../state/identity-policies.js';
import { normalizeIdentity } from '../state/identity-names.js';
import { decodeNextToken } from '../state/paging.js';
import { getResourceTags } from '../state/tags.js';
import { resourceTagContext } from './tag-rules.js';
import type { SesIdentityRow } from '../../store/schema/ses.js';

export type Handler<I> = (ctx: CallContext, input: I) => Promise<unknown>;

/** v2 identity operations: resource = the identity ARN, resourcePolicies = its policies. */
export function onIdentity<I extends { EmailIdentity: string }>(
  name: string,
  handle: Handler<I>,
): Operation<I> {
  return {
    async authorize(ctx, input): Promise<AuthorizationCheck[]> {
      const identity = normalizeIdentity(input.EmailIdentity ?? '');
      const resourcePolicies = await getIdentityPolicies(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        identity,
      );
      const tags = await getResourceTags(ctx.store, {
        accountId: ctx.caller.accountId,
        region: ctx.region,
        kind: 'identity',
        name: identity,
      });
      return [
        {
          action: `ses:${name}`,
          resource: identityArn(ctx.region, ctx.caller.accountId, identity),
          resourcePolicies,
          ...withContext(resourceTagContext(tags)),
        },
      ];
    },
    handle,
  };
}

export async function requireIdentityV2(ctx: CallContext, emailIdentity: string): Promise<SesIdentityRow> {
  const row = await getIdentity(
    ctx.store,
    ctx.caller.accountId,
    ctx.region,
    normalizeIdentity(emailIdentity),
  );
  if (!row) throw notFound(texts.identityNotFound(emailIdentity));
  return row;
}

/** v1 status words -> v2 enum (`TemporaryFailure` -> `TEMPORARY_FAILURE`). */
export const v2Status = (s: string): string => s.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

export function afterToken(token: string | undefined): string | undefined {
  const after = decodeNextToken(token);
  if (after === null) throw badRequest(texts.invalidNextToken);
  return after;
}

/** `{ context }` when there are keys, else nothing (checks without keys stay as they were). */
export const withContext = (
  context: Record<string, ContextValue>,
): { context?: Record<string, ContextValue> } => (Object.keys(context).length > 0 ? { context } : {});
