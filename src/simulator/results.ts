// A Decision of the policy engine in the simulator's words (EvaluationResult, botocore iam):
// allowed / explicitDeny / implicitDeny, the deciding statements with their source positions, the
// missing context keys, the boundary's part.
import type { Decision, MatchedStatement, NamedPolicy, PolicySource } from '../policy/request.js';
import { explanationOf, type SesameExplanation } from './explanation.js';

export type EvalDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface Position {
  Line: number;
  Column: number;
}

export interface SimulatorStatement {
  SourcePolicyId: string;
  SourcePolicyType: 'user' | 'group' | 'role' | 'aws-managed' | 'user-managed' | 'resource' | 'none';
  StartPosition?: Position;
  EndPosition?: Position;
}

export interface ResourceSpecificResult {
  EvalResourceName: string;
  EvalResourceDecision: EvalDecision;
  MatchedStatements: SimulatorStatement[];
  MissingContextValues: string[];
  EvalDecisionDetails?: Record<string, EvalDecision>;
  PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary: boolean };
}

export interface EvaluationResult {
  EvalActionName: string;
  EvalResourceName: string;
  EvalDecision: EvalDecision;
  MatchedStatements: SimulatorStatement[];
  MissingContextValues: string[];
  EvalDecisionDetails?: Record<string, EvalDecision>;
  PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary: boolean };
  ResourceSpecificResults?: ResourceSpecificResult[];
  /** Sesame's extension: why (explanation.ts). */
  SesameExplanation?: SesameExplanation;
}

const DECISIONS: Record<Decision['decision'], EvalDecision> = {
  Allowed: 'allowed',
  ExplicitDeny: 'explicitDeny',
  ImplicitDeny: 'implicitDeny',
};

const SIMULATOR_TYPES = new Set<PolicySource>([
  'user',
  'group',
  'role',
  'aws-managed',
  'user-managed',
  'resource',
]);

/** `inline:user/alice/SendOnly` -> `SendOnly`; a managed policy ARN -> its name; inputs keep theirs. */
export function sourcePolicyId(id: string): string {
  if (id.startsWith('inline:') || id.startsWith('arn:')) return id.slice(id.lastIndexOf('/') + 1);
  return id;
}

function statementOf(m: MatchedStatement, byId: ReadonlyMap<string, NamedPolicy>): SimulatorStatement {
  const out: SimulatorStatement = {
    SourcePolicyId: sourcePolicyId(m.policyId),
    SourcePolicyType: SIMULATOR_TYPES.has(m.source)
      ? (m.source as SimulatorStatement['SourcePolicyType'])
      : 'none',
  };
  const range = byId.get(m.policyId)?.policy.statements[m.index]?.range;
  if (range) {
    out.StartPosition = { Line: range.start.line, Column: range.start.column };
    out.EndPosition = { Line: range.end.line, Column: range.end.column };
  }
  return out;
}

export interface ResultOptions {
  action: string;
  resource: string;
  decision: Decision;
  policies: ReadonlyMap<string, NamedPolicy>;
  hasBoundary: boolean;
  crossAccount: boolean;
}

/**
 * AWS reports missing keys at the top level when the resource is `*`, else per resource under
 * ResourceSpecificResults; EvalDecisionDetails is empty in-account with a resource ARN and holds
 * each side's result cross-account. [INF] the detail keys ("IAM Policy", "Resource Policy").
 */
export function evaluationResult(o: ResultOptions): EvaluationResult {
  const d = o.decision;
  const decision = DECISIONS[d.decision];
  const matched = d.matched.map((m) => statementOf(m, o.policies));
  const boundary = o.hasBoundary
    ? { AllowedByPermissionsBoundary: d.perType.boundary === 'Allow' }
    : undefined;
  const details: Record<string, EvalDecision> = {};
  if (o.crossAccount) {
    const identity = d.perType.identity;
    details['IAM Policy'] =
      identity === 'Allow' ? 'allowed' : identity === 'ExplicitDeny' ? 'explicitDeny' : 'implicitDeny';
    const rp = d.perType.resource;
    details['Resource Policy'] =
      rp === 'Allow' ? 'allowed' : rp === 'ExplicitDeny' ? 'explicitDeny' : 'implicitDeny';
  }
  const base: EvaluationResult = {
    EvalActionName: o.action,
    EvalResourceName: o.resource,
    EvalDecision: decision,
    MatchedStatements: matched,
    MissingContextValues: o.resource === '*' ? d.missingContextKeys : [],
  };
  if (boundary) base.PermissionsBoundaryDecisionDetail = boundary;
  base.SesameExplanation = explanationOf(d, o.policies, sourcePolicyId);
  if (o.resource === '*') {
    if (o.crossAccount) base.EvalDecisionDetails = details;
    return base;
  }
  base.EvalDecisionDetails = details;
  const specific: ResourceSpecificResult = {
    EvalResourceName: o.resource,
    EvalResourceDecision: decision,
    MatchedStatements: matched,
    MissingContextValues: d.missingContextKeys,
    EvalDecisionDetails: details,
  };
  if (boundary) specific.PermissionsBoundaryDecisionDetail = boundary;
  base.ResourceSpecificResults = [specific];
  return base;
}
