// Evaluate the policies of ONE policy type (docs/spec/iam.md §4.1): any applicable Deny -> ExplicitDeny,
// else any applicable Allow -> Allow, else ImplicitDeny. Statements and policies are OR-ed; order
// never matters. For resource/trust policies the strongest principal-match kind of the applicable
// Allows is kept, because §4.3 depends on it.

import type { CompiledPolicy } from './compile.js';
import type { PrincipalMatchKind } from './principal-match.js';
import type {
  CallerPrincipal,
  FailedCondition,
  MatchedStatement,
  NamedPolicy,
  PerTypeResult,
  RequestContext,
} from './request.js';
import type { PolicyType } from './types.js';

/** A compiled policy bound to its name: the MatchedStatement records are built once, here. */
export interface BoundPolicy {
  named: NamedPolicy;
  type: PolicyType;
  compiled: CompiledPolicy;
  /** One record per statement position. */
  matched: readonly MatchedStatement[];
}

export interface EvalInput {
  /** Lower-cased `service:operation`. */
  action: string;
  resource: string;
  /** Context with lower-cased keys. */
  ctx: RequestContext;
  principal: CallerPrincipal;
  hasBoundary: boolean;
}

/** Collected across types for one decision; `missing`/`failed` only when explaining. */
export interface Trace {
  denies: MatchedStatement[];
  allows: MatchedStatement[];
  /** Lower-cased key -> the key as first written in a policy. */
  missing: Map<string, string> | null;
  failed: FailedCondition[] | null;
}

export interface TypeResult {
  result: PerTypeResult;
  /** Resource/trust types: how the strongest applicable Allow named the caller. */
  allowKind: PrincipalMatchKind | null;
}

const RANK: Record<PrincipalMatchKind, number> = { account: 1, capped: 2, direct: 3 };

// Shared immutable results: evaluation allocates no result objects.
const R = {
  deny: Object.freeze({ result: 'ExplicitDeny', allowKind: null }),
  implicit: Object.freeze({ result: 'ImplicitDeny', allowKind: null }),
  na: Object.freeze({ result: 'NotApplicable', allowKind: null }),
  allow: Object.freeze({ result: 'Allow', allowKind: null }),
  direct: Object.freeze({ result: 'Allow', allowKind: 'direct' }),
  capped: Object.freeze({ result: 'Allow', allowKind: 'capped' }),
  account: Object.freeze({ result: 'Allow', allowKind: 'account' }),
} as const satisfies Record<string, TypeResult>;

export const NOT_APPLICABLE: TypeResult = R.na;

export function newTrace(explain: boolean): Trace {
  return { denies: [], allows: [], missing: explain ? new Map() : null, failed: explain ? [] : null };
}

export function evaluateType(policies: readonly BoundPolicy[], input: EvalInput, trace: Trace): TypeResult {
  let denied = false;
  let allowed = false;
  let best: PrincipalMatchKind | null = null;
  const { ctx, resource } = input;
  for (const bp of policies) {
    const stmts = bp.compiled.forAction(input.action);
    for (let i = 0; i < stmts.length; i++) {
      const cs = stmts[i]!;
      let kind: PrincipalMatchKind | null = null;
      if (cs.principalTest !== null) {
        kind = cs.principalTest(input.principal, input.hasBoundary);
        if (kind === null) continue;
      }
      if (!cs.resourceTest(resource, ctx)) continue;
      const conds = cs.conditions;
      if (trace.missing !== null) {
        for (const c of conds) {
          for (const k of c.keys) {
            if (ctx[k] === undefined && !trace.missing.has(k))
              trace.missing.set(k, k === c.key ? c.clause.key : k);
          }
        }
      }
      let ok = true;
      for (let j = 0; j < conds.length; j++) {
        const c = conds[j]!;
        if (c.test(ctx)) continue;
        ok = false;
        if (trace.failed !== null) {
          const rv = ctx[c.key];
          const f: FailedCondition = {
            policyId: bp.named.id,
            index: cs.statement.index,
            operator: c.clause.operator,
            key: c.clause.key,
            policyValues: [...c.clause.values],
          };
          if (cs.statement.sid !== undefined) f.sid = cs.statement.sid;
          if (rv !== undefined) f.requestValue = rv;
          trace.failed.push(f);
          // Explaining: every failed clause is reported, not only the first.
          continue;
        }
        break;
      }
      if (!ok) continue;
      const rec = bp.matched[cs.position]!;
      if (cs.deny) {
        denied = true;
        trace.denies.push(rec);
      } else {
        allowed = true;
        trace.allows.push(rec);
        if (kind !== null && (best === null || RANK[kind] > RANK[best])) best = kind;
      }
    }
  }
  if (denied) return R.deny;
  if (!allowed) return R.implicit;
  return best === null ? R.allow : R[best];
}
