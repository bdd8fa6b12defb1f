// The one authorization path (docs/architecture.md rule 2): every front end turns its call into checks and
// comes here; this builds the AuthorizationRequest, asks the policy engine and turns a denial into
// the AWS error of the right family (docs/spec/ses.md §3.7).
import type { AuthorizationCheck, CallContext, Caller } from '../api/operation.js';
import { addChecks, recordContext } from '../audit/request-context.js';
import { AwsError } from '../errors/aws-error.js';
import { authorize, genericDenialMessage, sendPathDenialMessage } from '../policy/index.js';
import type { AuthorizationRequest, ContextValue, Decision } from '../policy/request.js';
import { callContextKeys } from './request-context.js';
import { countDecision } from '../metrics/counters.js';

export type DenialFamily = 'generic' | 'send';

/** What a decision needs of the caller (a live Caller, or one resolved again for a replay). */
export type DecidingCaller = Pick<
  Caller,
  'principal' | 'accountId' | 'identityPolicies' | 'permissionsBoundary' | 'sessionPolicies'
>;

/**
 * The request for one check of a caller. `context` holds the call's global keys, lower-cased (live:
 * callContextKeys; replay: an audit record's) and is completed, in place, with the check's own keys.
 */
export function requestFor(
  caller: DecidingCaller,
  check: AuthorizationCheck,
  context: Record<string, ContextValue>,
  explain: boolean,
): AuthorizationRequest {
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

export function buildAuthorizationRequest(
  ctx: CallContext,
  check: AuthorizationCheck,
  explain: boolean,
): AuthorizationRequest {
  return requestFor(ctx.caller, check, callContextKeys(ctx), explain);
}

/**
 * Notes the checks of a call for its audit record: the actions and resources, and the request
 * context a replay decides with again (audit/request-context.ts).
 */
export function noteChecks(
  ctx: CallContext,
  checks: readonly AuthorizationCheck[],
  globalKeys: Readonly<Record<string, ContextValue>> = callContextKeys(ctx),
): void {
  const { audit } = ctx;
  for (const check of checks) {
    if (!audit.actions.includes(check.action)) audit.actions.push(check.action);
    if (!audit.resources.includes(check.resource)) audit.resources.push(check.resource);
  }
  const recorded = recordContext(globalKeys, checks);
  if (audit.context) addChecks(audit.context, recorded);
  else audit.context = recorded;
}

/** Decides one request; never throws (an engine failure is a deny, rule 6). */
function decideRequest(request: () => AuthorizationRequest): Decision {
  try {
    return authorize(request());
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

/** Decides one check; never throws (an engine failure is a deny, rule 6). */
export function decide(ctx: CallContext, check: AuthorizationCheck, explain = false): Decision {
  return decideRequest(() => buildAuthorizationRequest(ctx, check, explain));
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
  // The call's global keys, built once for the audit record and every check.
  const globalKeys = callContextKeys(ctx);
  noteChecks(ctx, checks, globalKeys);
  const request = (check: AuthorizationCheck, explain: boolean) => () =>
    requestFor(ctx.caller, check, { ...globalKeys }, explain);
  for (const check of checks) {
    const fast = decideRequest(request(check, false));
    countDecision(fast.decision);
    if (fast.decision === 'Allowed') {
      ctx.audit.decision = 'Allowed';
      continue;
    }
    // Denials are rare: re-run with the explanation on for the audit log and the message.
    const decision = decideRequest(request(check, true));
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
