// The one authorization path (DESIGN.md rule 2): every front end turns its call into checks and
// comes here; this builds the AuthorizationRequest, asks the policy engine and turns a denial into
// the AWS error of the right family (spec ses.md §3.7).
import type { AuthorizationCheck, CallContext } from '../api/operation.js';
import { AwsError } from '../errors/aws-error.js';
import { authorize, genericDenialMessage, sendPathDenialMessage } from '../policy/index.js';
import type { AuthorizationRequest, Decision } from '../policy/request.js';
import { callContextKeys } from './request-context.js';
import { countDecision } from '../metrics/counters.js';

export type DenialFamily = 'generic' | 'send';

export function buildAuthorizationRequest(
  ctx: CallContext,
  check: AuthorizationCheck,
  explain: boolean,
): AuthorizationRequest {
  const { caller } = ctx;
  const context = callContextKeys(ctx);
  if (check.context) for (const [k, v] of Object.entries(check.context)) context[k.toLowerCase()] = v;
  return {
    principal: caller.principal,
    action: check.action,
    resource: check.resource,
    resourceAccount: check.resourceAccount ?? caller.accountId,
    context,
    identityPolicies: caller.identityPolicies,
    resourcePolicies: check.resourcePolicies,
    resourcePolicyKind: check.resourcePolicyKind,
    permissionsBoundary: caller.permissionsBoundary,
    sessionPolicies: caller.sessionPolicies,
    explain,
  };
}

/** Decides one check; never throws (an engine failure is a deny, rule 6). */
export function decide(ctx: CallContext, check: AuthorizationCheck, explain = false): Decision {
  try {
    return authorize(buildAuthorizationRequest(ctx, check, explain));
  } catch (e) {
    return {
      decision: 'ImplicitDeny',
      matched: [],
      perType: {},
      missingContextKeys: [],
      failedConditions: [],
      error: String(e),
    };
  }
}

/**
 * Runs every check; the first denial throws AccessDenied (403) with the family's message, after
 * noting the explanation for the audit record. All allowed: the audit notes record the last decision.
 */
export function authorizeChecks(
  ctx: CallContext,
  checks: readonly AuthorizationCheck[],
  family: DenialFamily,
): void {
  for (const check of checks) {
    if (!ctx.audit.actions.includes(check.action)) ctx.audit.actions.push(check.action);
    if (!ctx.audit.resources.includes(check.resource)) ctx.audit.resources.push(check.resource);
    const fast = decide(ctx, check, false);
    countDecision(fast.decision);
    if (fast.decision === 'Allowed') {
      ctx.audit.decision = 'Allowed';
      continue;
    }
    // Denials are rare: re-run with the explanation on for the audit log and the message.
    const decision = decide(ctx, check, true);
    ctx.audit.decision = decision.decision;
    ctx.audit.explanation = { action: check.action, resource: check.resource, ...decision };
    const principalArn = ctx.caller.principal.arn;
    const message =
      family === 'send'
        ? sendPathDenialMessage(principalArn, check.action, check.resource)
        : genericDenialMessage(principalArn, check.action, check.resource, decision);
    throw new AwsError('AccessDenied', message, 403);
  }
}

export const authorizeSend = (ctx: CallContext, checks: readonly AuthorizationCheck[]): void =>
  authorizeChecks(ctx, checks, 'send');
