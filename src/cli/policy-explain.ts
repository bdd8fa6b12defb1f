// `sesame policy explain`: a decision told for a human. The statements that decided (or that
// matched the action and resource but failed a condition) are shown with EVERY condition evaluated
// against the request, not only the first that failed. Each clause is evaluated by authorize()
// itself on a one-clause policy, so the explanation can never disagree with the engine.

import {
  authorize,
  denialMessage,
  lintPolicy,
  type AuthorizationRequest,
  type ConditionClause,
  type ContextValue,
  type Decision,
  type LintFinding,
  type NamedPolicy,
  type PolicyType,
} from '../policy/index.js';
import { denialFamilyOf } from './policy-input.js';

export interface ConditionExplanation {
  operator: string;
  key: string;
  policyValues: string[];
  /** The request's value(s) for the key; absent when the request lacks it. */
  requestValue?: ContextValue;
  result: boolean;
}

export interface StatementExplanation {
  policyId: string;
  policyType: PolicyType;
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** True when the statement applied (it decided); false when a condition failed. */
  applied: boolean;
  conditions: ConditionExplanation[];
  /** Lint warnings about this statement: often the reason it did not do what was meant. */
  notes?: string[];
}

export interface Explanation {
  decision: Decision['decision'];
  decidedBy?: Decision['decidedBy'];
  summary: string;
  request: { principal: string; action: string; resource: string };
  perType: Decision['perType'];
  statements: StatementExplanation[];
  missingContextKeys: string[];
  /** The AccessDenied message AWS would answer with (denials only). */
  message?: string;
  error?: string;
}

const TYPE_WORDS: Record<string, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  trust: 'trust policy',
  boundary: 'permissions boundary',
  session: 'session policy',
  scp: 'service control policy',
  root: 'account root user rule',
  default: 'default',
};

interface PolicyRef {
  named: NamedPolicy;
  type: PolicyType;
  /** The policy's lint findings, computed once for all its explained statements. */
  findings?: LintFinding[];
}

function policiesOf(req: AuthorizationRequest): Map<string, PolicyRef> {
  const out = new Map<string, PolicyRef>();
  const add = (list: readonly NamedPolicy[] | undefined, type: PolicyType): void => {
    for (const named of list ?? []) if (!out.has(named.id)) out.set(named.id, { named, type });
  };
  add(req.identityPolicies, 'identity');
  add(req.resourcePolicies, req.resourcePolicyKind === 'trust' ? 'trust' : 'resource');
  add(req.permissionsBoundary ? [req.permissionsBoundary] : [], 'boundary');
  add(req.sessionPolicies, 'session');
  for (const level of req.serviceControlPolicies ?? []) add(level, 'scp');
  return out;
}

/** One clause, decided by the engine: a same-account user whose only policy is the clause. */
function evaluateClause(req: AuthorizationRequest, named: NamedPolicy, clause: ConditionClause): boolean {
  const account = '000000000000';
  const probe: NamedPolicy = {
    id: `explain:${named.id}`,
    source: 'user',
    policy: {
      ...(named.policy.version !== undefined ? { version: named.policy.version } : {}),
      statements: [{ index: 0, effect: 'Allow', action: ['*'], resource: ['*'], conditions: [clause] }],
    },
  };
  const d = authorize({
    principal: { kind: 'User', arn: `arn:aws:iam::${account}:user/explain`, accountId: account },
    action: 'sesame:ExplainCondition',
    resource: '*',
    resourceAccount: account,
    context: req.context,
    identityPolicies: [probe],
  });
  return d.decision === 'Allowed';
}

function requestValue(req: AuthorizationRequest, key: string): ContextValue | undefined {
  const lower = key.toLowerCase();
  for (const k of Object.keys(req.context)) if (k.toLowerCase() === lower) return req.context[k];
  return undefined;
}

function explainStatement(
  req: AuthorizationRequest,
  ref: PolicyRef,
  index: number,
  applied: boolean,
): StatementExplanation | undefined {
  const s = ref.named.policy.statements.find((x) => x.index === index);
  if (!s) return undefined;
  const out: StatementExplanation = {
    policyId: ref.named.id,
    policyType: ref.type,
    index,
    effect: s.effect,
    applied,
    conditions: s.conditions.map((c) => {
      const e: ConditionExplanation = {
        operator: c.operator,
        key: c.key,
        policyValues: [...c.values],
        result: evaluateClause(req, ref.named, c),
      };
      const v = requestValue(req, c.key);
      if (v !== undefined) e.requestValue = v;
      return e;
    }),
  };
  if (s.sid !== undefined) out.sid = s.sid;
  const notes = lintNotes(ref, index);
  if (notes.length > 0) out.notes = notes;
  return out;
}

function lintNotes(ref: PolicyRef, index: number): string[] {
  if (ref.named.text === undefined) return [];
  ref.findings ??= lintPolicy(ref.named.text, ref.type);
  return ref.findings
    .filter((f) => f.severity === 'warning' && f.statement === index)
    .map((f) => `${f.code}: ${f.message}`);
}

function summarize(d: Decision, req: AuthorizationRequest): string {
  const by = d.decidedBy ? (TYPE_WORDS[d.decidedBy] ?? d.decidedBy) : 'policy';
  if (d.error) return `Denied on doubt: ${d.error}`;
  if (d.decision === 'Allowed') {
    if (d.decidedBy === 'root') return 'Allowed: the account root user may do anything in its own account.';
    if (d.decidedBy === 'default') return `Allowed: ${req.action} is never denied.`;
    return `Allowed by ${d.matched.length === 1 ? 'a statement' : `${d.matched.length} statements`} of the ${by}, and nothing denies it.`;
  }
  if (d.decision === 'ExplicitDeny')
    return `Explicitly denied by a Deny statement in the ${by}; an explicit deny wins over every Allow.`;
  return `Implicitly denied: no statement of the ${by} allows ${req.action} on ${req.resource} for this request.`;
}

export function explainDecision(req: AuthorizationRequest, d: Decision): Explanation {
  const refs = policiesOf(req);
  const statements: StatementExplanation[] = [];
  const seen = new Set<string>();
  const add = (policyId: string, index: number, applied: boolean): void => {
    const key = `${policyId}\u0000${index}`;
    const ref = refs.get(policyId);
    if (seen.has(key) || !ref) return;
    seen.add(key);
    const e = explainStatement(req, ref, index, applied);
    if (e) statements.push(e);
  };
  for (const m of d.matched) add(m.policyId, m.index, true);
  for (const f of d.failedConditions) add(f.policyId, f.index, false);
  const out: Explanation = {
    decision: d.decision,
    summary: summarize(d, req),
    request: { principal: req.principal.arn, action: req.action, resource: req.resource },
    perType: d.perType,
    statements,
    missingContextKeys: [...d.missingContextKeys],
  };
  if (d.decidedBy !== undefined) out.decidedBy = d.decidedBy;
  if (d.error !== undefined) out.error = d.error;
  if (d.decision !== 'Allowed') out.message = denialMessage(denialFamilyOf(req.action), req, d);
  return out;
}

const show = (v: ContextValue | undefined): string => (v === undefined ? 'missing' : JSON.stringify(v));

export function formatExplanation(e: Explanation): string {
  const lines = [
    `Decision: ${e.decision}`,
    e.summary,
    `Request: ${e.request.principal} -> ${e.request.action} on ${e.request.resource}`,
    `Per type: ${Object.entries(e.perType)
      .map(([t, r]) => `${t}=${r}`)
      .join(' ')}`,
  ];
  if (e.statements.length > 0) lines.push('Statements:');
  for (const s of e.statements) {
    const name = `${s.policyId} statement ${s.index}${s.sid ? ` (${s.sid})` : ''}`;
    const what = s.applied
      ? `applies: ${s.effect === 'Allow' ? 'allows' : 'denies'}`
      : `does not apply: a condition is false`;
    lines.push(`  ${s.effect} ${name} [${s.policyType}] ${what}`);
    for (const c of s.conditions)
      lines.push(
        `    ${c.result ? 'true ' : 'false'} ${c.operator} ${c.key} ${JSON.stringify(c.policyValues)}, request value ${show(c.requestValue)}`,
      );
    for (const n of s.notes ?? []) lines.push(`    note: ${n}`);
  }
  if (e.missingContextKeys.length > 0)
    lines.push(
      `Missing context keys: ${e.missingContextKeys.join(', ')} (absent from the request; pass them with --context)`,
    );
  if (e.error) lines.push(`Error: ${e.error}`);
  if (e.message) lines.push(`Message: ${e.message}`);
  return lines.join('\n');
}
