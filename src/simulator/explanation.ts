// Why the simulator decided as it did, beyond AWS's EvaluationResult: the deciding statements
// (with Sid and index) and every failed condition with the key, the operator, the policy's values
// and the request's (or that it was missing). Sent as `SesameExplanation` in each EvaluationResult
// (protocols/model-extensions.ts): AWS's SDKs skip it, the console and raw readers show it.
import type { Decision, NamedPolicy } from '../policy/request.js';

export interface ExplainedStatement {
  SourcePolicyId: string;
  SourcePolicyType: string;
  StatementIndex: number;
  Sid?: string;
  Effect: 'Allow' | 'Deny';
}

export interface FailedConditionExplained extends ExplainedStatement {
  Operator: string;
  Key: string;
  PolicyValues: string[];
  /** The request's value(s) for the key; absent when RequestValueMissing. */
  RequestValues?: string[];
  RequestValueMissing: boolean;
}

export interface SesameExplanation {
  /** The policy type that decided (`identity`, `resource`, `boundary`, …, `root`, `default`). */
  DecidedBy?: string;
  /** Allowed: the allowing statements; explicitDeny: the denying ones; implicitDeny: none. */
  DecidingStatements: ExplainedStatement[];
  /** Conditions that were false in statements whose action and resource matched the request. */
  FailedConditions: FailedConditionExplained[];
  Error?: string;
}

function statement(
  id: string,
  index: number,
  sid: string | undefined,
  policies: ReadonlyMap<string, NamedPolicy>,
  sourcePolicyId: (id: string) => string,
): ExplainedStatement {
  const named = policies.get(id);
  const s: ExplainedStatement = {
    SourcePolicyId: sourcePolicyId(id),
    SourcePolicyType: named?.source ?? 'none',
    StatementIndex: index,
    Effect: named?.policy.statements.find((x) => x.index === index)?.effect ?? 'Allow',
  };
  if (sid !== undefined) s.Sid = sid;
  return s;
}

export function explanationOf(
  d: Decision,
  policies: ReadonlyMap<string, NamedPolicy>,
  sourcePolicyId: (id: string) => string,
): SesameExplanation {
  const out: SesameExplanation = {
    DecidingStatements: d.matched.map((m) => ({
      ...statement(m.policyId, m.index, m.sid, policies, sourcePolicyId),
      Effect: m.effect,
    })),
    FailedConditions: d.failedConditions.map((f) => {
      const c: FailedConditionExplained = {
        ...statement(f.policyId, f.index, f.sid, policies, sourcePolicyId),
        Operator: f.operator,
        Key: f.key,
        PolicyValues: f.policyValues,
        RequestValueMissing: f.requestValue === undefined,
      };
      if (f.requestValue !== undefined)
        c.RequestValues = typeof f.requestValue === 'string' ? [f.requestValue] : [...f.requestValue];
      return c;
    }),
  };
  if (d.decidedBy !== undefined) out.DecidedBy = d.decidedBy;
  if (d.error !== undefined) out.Error = d.error;
  return out;
}
