// The full decision (docs/spec/iam.md §4.2/§4.3): explicit deny anywhere wins; every SCP level must allow;
// the root user is allowed in its own account; same-account resource-policy grants by kind
// (direct / role-capped / account delegation); cross-account needs both sides; boundaries and
// session policies cap; trust policies must allow explicitly; sts:GetCallerIdentity is never
// denied. Deny on doubt: any internal error yields ImplicitDeny with `error` set.

import { defaultPolicyCache, type PolicyCache } from './cache.js';
import { enterMatchBudget, leaveMatchBudget } from './glob.js';
import {
  evaluateType,
  newTrace,
  NOT_APPLICABLE,
  type BoundPolicy,
  type EvalInput,
  type Trace,
  type TypeResult,
} from './evaluate.js';
import type {
  AuthorizationRequest,
  ContextValue,
  Decision,
  DecisionKind,
  NamedPolicy,
  PerTypeResult,
  RequestContext,
} from './request.js';
import type { PolicyType } from './types.js';

function hasUpper(k: string): boolean {
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}

/**
 * Context keys are case-insensitive: lower-case them. A context whose keys are already lower-case
 * (what authz/ builds) is used as is; any other is copied once.
 */
export function normalizeContext(ctx: RequestContext): RequestContext {
  for (const k in ctx) {
    if (hasUpper(k)) {
      const out: Record<string, ContextValue> = {};
      for (const key in ctx) out[key.toLowerCase()] = ctx[key]!;
      return out;
    }
  }
  return ctx;
}

/** The account segment of an ARN (`arn:p:s:r:ACCOUNT:...`), when it holds a 12-digit account. */
export function arnAccount(resource: string): string | undefined {
  if (!resource.startsWith('arn:')) return undefined;
  let start = 4;
  for (let i = 0; i < 3; i++) {
    start = resource.indexOf(':', start) + 1;
    if (start === 0) return undefined;
  }
  if (resource.charCodeAt(start + 12) !== 58) return undefined;
  for (let i = start; i < start + 12; i++) {
    const c = resource.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return resource.slice(start, start + 12);
}

function run(
  cache: PolicyCache,
  list: readonly NamedPolicy[],
  type: PolicyType,
  input: EvalInput,
  trace: Trace,
): TypeResult {
  const bound = new Array<BoundPolicy>(list.length);
  for (let i = 0; i < list.length; i++) bound[i] = cache.bind(list[i]!, type);
  return evaluateType(bound, input, trace);
}

function finish(
  decision: DecisionKind,
  decidedBy: Decision['decidedBy'],
  perType: Decision['perType'],
  trace: Trace,
): Decision {
  const d: Decision = {
    decision,
    decidedBy,
    matched: decision === 'ExplicitDeny' ? trace.denies : decision === 'Allowed' ? trace.allows : [],
    perType,
    missingContextKeys: trace.missing ? [...trace.missing.values()].sort() : [],
    failedConditions: trace.failed ?? [],
  };
  return d;
}

export interface AuthorizeOptions {
  cache?: PolicyCache;
  /** Characters the decision's wildcard matching may examine; DECISION_MATCH_BUDGET by default. */
  matchBudget?: number;
}

/**
 * Characters one decision's wildcard matching may examine (see glob.ts). The largest realistic
 * policy set — 20 sending-authorization policies of 4 KB of recipient patterns against 50
 * recipients — needs about a third of it (decision-budget.test.ts), some 15 ms; a hostile set is
 * stopped at this bound, or at once by a match's own linear allowance (glob.ts), and denied
 * instead of holding the event loop for seconds.
 */
export const DECISION_MATCH_BUDGET = 10_000_000;

export function authorize(req: AuthorizationRequest, options: AuthorizeOptions = {}): Decision {
  const outer = enterMatchBudget(options.matchBudget ?? DECISION_MATCH_BUDGET);
  try {
    return decide(req, options.cache ?? defaultPolicyCache);
  } catch (e) {
    return {
      decision: 'ImplicitDeny',
      decidedBy: 'default',
      matched: [],
      perType: {},
      missingContextKeys: [],
      failedConditions: [],
      error: e instanceof Error ? e.message : String(e),
    };
  } finally {
    leaveMatchBudget(outer);
  }
}

function decide(req: AuthorizationRequest, cache: PolicyCache): Decision {
  const trace = newTrace(req.explain === true);
  const action = req.action.toLowerCase();
  const perType: Partial<Record<PolicyType, PerTypeResult>> = {};
  if (action === 'sts:getcalleridentity') return finish('Allowed', 'default', perType, trace);

  const p = req.principal;
  const isRoot = p.kind === 'Account';
  const noIdentitySide = p.kind === 'Anonymous' || p.kind === 'Service';
  const resourceAccount = req.resourceAccount ?? arnAccount(req.resource) ?? p.accountId;
  const cross = noIdentitySide || (resourceAccount !== undefined && resourceAccount !== p.accountId);
  const rpType: PolicyType = req.resourcePolicyKind === 'trust' ? 'trust' : 'resource';
  const boundary = !isRoot && !noIdentitySide ? req.permissionsBoundary : undefined;
  const input: EvalInput = {
    action,
    resource: req.resource,
    ctx: normalizeContext(req.context),
    principal: p,
    hasBoundary: boundary !== undefined,
  };

  // Evaluate every type that is present (the explanation reports each of them).
  let scp: PerTypeResult | undefined;
  if (req.serviceControlPolicies && !noIdentitySide) {
    let anyDeny = false;
    let allAllow = true;
    for (const level of req.serviceControlPolicies) {
      const r = run(cache, level, 'scp', input, trace).result;
      if (r === 'ExplicitDeny') anyDeny = true;
      else if (r !== 'Allow') allAllow = false;
    }
    scp = anyDeny ? 'ExplicitDeny' : allAllow ? 'Allow' : 'ImplicitDeny';
    perType.scp = scp;
  }
  const rp =
    req.resourcePolicies && req.resourcePolicies.length > 0
      ? run(cache, req.resourcePolicies, rpType, input, trace)
      : NOT_APPLICABLE;
  perType[rpType] = rp.result;
  let identity: PerTypeResult | undefined;
  if (!isRoot && !noIdentitySide) {
    identity = run(cache, req.identityPolicies, 'identity', input, trace).result;
    perType.identity = identity;
  }
  let bd: PerTypeResult | undefined;
  if (boundary) {
    bd = run(cache, [boundary], 'boundary', input, trace).result;
    perType.boundary = bd;
  }
  let session: PerTypeResult | undefined;
  if (req.sessionPolicies !== undefined && !noIdentitySide) {
    session = run(cache, req.sessionPolicies, 'session', input, trace).result;
    perType.session = session;
  }

  // 1. An explicit deny in any policy type wins.
  const D = 'ExplicitDeny';
  const denier: PolicyType | undefined =
    scp === D
      ? 'scp'
      : rp.result === D
        ? rpType
        : identity === D
          ? 'identity'
          : bd === D
            ? 'boundary'
            : session === D
              ? 'session'
              : undefined;
  if (denier !== undefined) return finish('ExplicitDeny', denier, perType, trace);

  // 2. Every SCP level must allow.
  if (scp === 'ImplicitDeny') return finish('ImplicitDeny', 'scp', perType, trace);

  const rpAllows = rp.result === 'Allow';
  // Trust policies (and any resource policy for cross-account, anonymous or service callers)
  // must allow on the resource side.
  if ((rpType === 'trust' || cross) && !rpAllows) return finish('ImplicitDeny', rpType, perType, trace);
  if (noIdentitySide) return finish('Allowed', rpType, perType, trace);

  // 3. The root user: full access in its own account, and its side of a cross-account call.
  if (isRoot) return finish('Allowed', cross || rpType === 'trust' ? rpType : 'root', perType, trace);

  // Boundary and session policy cap every grant below except a direct resource-policy one.
  const capBy: PolicyType | undefined =
    bd !== undefined && bd !== 'Allow'
      ? 'boundary'
      : session !== undefined && session !== 'Allow'
        ? 'session'
        : undefined;

  // 4. Same account: a resource-policy grant to the user/session ARN (or `*`) suffices; a grant to
  //    a role ARN suffices but stays capped by boundary and session policy (§4.3).
  if (!cross && rpAllows && rp.allowKind === 'direct') return finish('Allowed', rpType, perType, trace);
  if (!cross && rpAllows && rp.allowKind === 'capped') {
    return capBy ? finish('ImplicitDeny', capBy, perType, trace) : finish('Allowed', rpType, perType, trace);
  }

  // 5-7. Identity policies must allow, then boundary and session policy cap.
  if (identity !== 'Allow') return finish('ImplicitDeny', 'identity', perType, trace);
  if (capBy) return finish('ImplicitDeny', capBy, perType, trace);
  return finish('Allowed', cross ? rpType : 'identity', perType, trace);
}
