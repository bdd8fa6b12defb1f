// What the authorizer is asked, and what it answers. Built by authz/ (server side) or by the CLI
// and tests; the engine never reads a clock or a store: everything arrives here.

import type { Policy, PolicyType, Effect } from './types.js';

/** A context value: single-valued (string) or multivalued (array, possibly empty). */
export type ContextValue = string | readonly string[];

/** Context keys, case-insensitive: authorize() lower-cases the keys it is given. */
export type RequestContext = Readonly<Record<string, ContextValue>>;

export type PrincipalKind = 'Account' | 'User' | 'AssumedRole' | 'FederatedUser' | 'Service' | 'Anonymous';

export interface CallerPrincipal {
  kind: PrincipalKind;
  /** The caller's ARN as AWS reports it: `arn:aws:iam::A:root`, `...:user/path/n`, `arn:aws:sts::A:assumed-role/r/s`. */
  arn: string;
  /** Account of the caller (absent for anonymous and service principals). */
  accountId?: string;
  /** AssumedRole: the role ARN with its path (`arn:aws:iam::A:role/path/r`). */
  roleArn?: string;
  /** FederatedUser: the IAM user ARN that called GetFederationToken. */
  userArn?: string;
  /** Service principals: `ses.amazonaws.com`. */
  service?: string;
}

/** Where a policy came from, in the simulator's words (SourcePolicyType). */
export type PolicySource =
  | 'user'
  | 'group'
  | 'role'
  | 'user-managed'
  | 'aws-managed'
  | 'resource'
  | 'boundary'
  | 'session'
  | 'scp'
  | 'none';

export interface NamedPolicy {
  /** Stable id for traces: a policy name, ARN or `inline:user/alice/p1`. */
  id: string;
  source: PolicySource;
  policy: Policy;
  /** The source text, when available; lets explanations point at statements. */
  text?: string;
}

export interface AuthorizationRequest {
  principal: CallerPrincipal;
  /** `service:Operation`, e.g. `ses:SendRawEmail`. */
  action: string;
  /** Resource ARN, or `*` for actions without a resource type. */
  resource: string;
  /** Account that owns the resource; defaults to the resource ARN's account field, else the caller's. Differs => cross-account. */
  resourceAccount?: string;
  context: RequestContext;
  /** User (inline, managed, groups') or role policies. Ignored for the root user. */
  identityPolicies: readonly NamedPolicy[];
  /** Resource-based policies attached to the resource (SES identity policies, trust policy). */
  resourcePolicies?: readonly NamedPolicy[];
  /** Role trust policies must allow explicitly (no same-account shortcut). */
  resourcePolicyKind?: 'resource' | 'trust';
  permissionsBoundary?: NamedPolicy;
  /** Undefined: no session policy was passed. An empty array is "passed, allows nothing". */
  sessionPolicies?: readonly NamedPolicy[];
  /** Organization SCPs, one array per level (root, OUs..., account). Undefined: no organization. */
  serviceControlPolicies?: readonly (readonly NamedPolicy[])[];
  /** Collect matched statements, failed conditions and missing keys (slower). */
  explain?: boolean;
}

export type DecisionKind = 'Allowed' | 'ExplicitDeny' | 'ImplicitDeny';
export type PerTypeResult = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny' | 'NotApplicable';

export interface MatchedStatement {
  policyId: string;
  source: PolicySource;
  policyType: PolicyType;
  sid?: string;
  index: number;
  effect: Effect;
}

export interface FailedCondition {
  policyId: string;
  sid?: string;
  index: number;
  operator: string;
  key: string;
  policyValues: string[];
  /** Request value(s) compared; undefined when the key was absent. */
  requestValue?: ContextValue;
}

export interface Decision {
  decision: DecisionKind;
  /** The policy type that decided: the denying one, or the one whose allow counted. */
  decidedBy?: PolicyType | 'root' | 'default';
  /** Deciding statements: for an explicit deny only the deny statements; for allow the allowing ones. */
  matched: MatchedStatement[];
  perType: Partial<Record<PolicyType, PerTypeResult>>;
  /** Keys referenced by statements that could apply, absent from the request context. */
  missingContextKeys: string[];
  /** Conditions that failed in statements whose action/resource/principal matched (explain only). */
  failedConditions: FailedCondition[];
  /** An internal error that forced a deny (deny on doubt). */
  error?: string;
}

/**
 * The principal-derived global keys (docs/spec/iam.md §5.3) that follow from the principal alone, with
 * lower-cased names: aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:username,
 * aws:userid (root only; other unique ids live in the store). Callers merge it into the context.
 */
export function principalContext(p: CallerPrincipal): Record<string, string> {
  const out: Record<string, string> = { 'aws:principaltype': p.kind };
  if (p.kind === 'Anonymous') {
    out['aws:principalaccount'] = 'anonymous';
    out['aws:userid'] = 'anonymous';
    return out;
  }
  if (p.accountId !== undefined) out['aws:principalaccount'] = p.accountId;
  const arn = p.kind === 'AssumedRole' ? (p.roleArn ?? p.arn) : p.arn;
  if (p.kind !== 'Service') out['aws:principalarn'] = arn;
  if (p.kind === 'User') out['aws:username'] = p.arn.slice(p.arn.lastIndexOf('/') + 1);
  if (p.kind === 'Account' && p.accountId !== undefined) out['aws:userid'] = p.accountId;
  return out;
}
