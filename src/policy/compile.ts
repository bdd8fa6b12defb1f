// Compile a normalized Policy once (globs, ARN matchers, parsed CIDRs/dates/numbers, principals),
// then evaluate it many times. Statements are indexed by service prefix and, lazily, by exact
// action, so a request only touches statements whose Action can match it.

import { arnMatch, compileArnPattern, padArnPattern } from './arn.js';
import { compileGlob } from './glob.js';
import { compileClause, type CompiledClause } from './conditions/index.js';
import {
  compilePrincipal,
  matchPrincipal,
  type CompiledPrincipal,
  type PrincipalMatchKind,
} from './principal-match.js';
import type { CallerPrincipal, RequestContext } from './request.js';
import type { Policy, PolicyType, Statement } from './types.js';
import { parseTemplate, resolveTemplate } from './variables.js';

export type ResourceTest = (resource: string, ctx: RequestContext) => boolean;

export interface CompiledStatement {
  statement: Statement;
  /** Position in CompiledPolicy.statements. */
  position: number;
  deny: boolean;
  actionTest: (lowerAction: string) => boolean;
  resourceTest: ResourceTest;
  /** Resource/trust policies only: how the caller is named; null = statement does not apply. */
  principalTest: ((caller: CallerPrincipal, hasBoundary: boolean) => PrincipalMatchKind | null) | null;
  conditions: CompiledClause[];
}

export interface CompiledPolicy {
  type: PolicyType;
  variables: boolean;
  statements: CompiledStatement[];
  /** Statements whose Action/NotAction matches the lower-cased `service:operation`, in order. */
  forAction(lowerAction: string): readonly CompiledStatement[];
}

const ALWAYS = (): boolean => true;
const NEVER = (): boolean => false;

/** Resource/trust policies carry Principal; identity-type ones (identity, boundary, session, scp) do not. */
export function isPrincipalType(type: PolicyType): boolean {
  return type === 'resource' || type === 'trust';
}

function compileActionPattern(pattern: string): { vendor: string | null; test: (a: string) => boolean } {
  if (pattern === '*') return { vendor: null, test: ALWAYS };
  const colon = pattern.indexOf(':');
  if (colon < 0) return { vendor: '', test: NEVER };
  const vendor = pattern.slice(0, colon).toLowerCase();
  const name = pattern.slice(colon + 1);
  // An empty, blank or whitespace-padded operation is accepted by IAM but matches nothing (§2.2).
  if (name.trim() === '' || name.trim() !== name) return { vendor, test: NEVER };
  const nameTest = compileGlob(name, true);
  const vlen = vendor.length;
  return {
    vendor,
    test: (a) =>
      a.length > vlen && a.charCodeAt(vlen) === 58 && a.startsWith(vendor) && nameTest(a.slice(vlen + 1)),
  };
}

/** One Resource/NotResource entry: matches, does not, or UNRESOLVED (a variable has no value). */
type EntryTest = (resource: string, ctx: RequestContext) => boolean | typeof UNRESOLVED;
const UNRESOLVED = null;

function compileResourceEntry(pattern: string, padShort: boolean, variables: boolean): EntryTest {
  const t = variables ? parseTemplate(pattern) : null;
  if (!t) {
    const m = compileArnPattern(pattern, padShort);
    return (r) => m(r);
  }
  return (r, ctx) => {
    const res = resolveTemplate(t, ctx);
    // A variable without a value: the entry names nothing (§3.7 rule 3); the caller decides what
    // that means for the statement.
    if (res === null) return UNRESOLVED;
    let { text, mask } = res;
    if (padShort && !arnMatchShape(text)) {
      const padded = padArnPattern(text);
      if (padded === null) return false;
      const m2 = new Uint8Array(padded.length);
      m2.set(mask);
      for (let i = text.length; i < padded.length; i++) m2[i] = padded[i] === '*' ? 1 : 0;
      text = padded;
      mask = m2;
    }
    return arnMatch(text, mask, r);
  };
}

function arnMatchShape(s: string): boolean {
  let n = 0;
  for (let i = s.indexOf(':'); i >= 0 && n < 5; i = s.indexOf(':', i + 1)) n++;
  return n >= 5 || s === '*';
}

/** Resource: some entry matches (an unresolved entry names nothing). */
function anyOf(tests: EntryTest[]): ResourceTest {
  if (tests.length === 1) {
    const only = tests[0]!;
    return (r, ctx) => only(r, ctx) === true;
  }
  return (r, ctx) => {
    for (const t of tests) if (t(r, ctx) === true) return true;
    return false;
  };
}

/**
 * NotResource: no entry matches. An entry whose variable has no value leaves the statement in
 * doubt: AWS documents that an unresolvable variable "might cause the entire statement to be
 * invalid", so an Allow grants nothing through it, while a Deny still applies (deny on doubt).
 */
function noneOf(tests: EntryTest[], deny: boolean): ResourceTest {
  return (r, ctx) => {
    let doubt = false;
    for (const t of tests) {
      const hit = t(r, ctx);
      if (hit === true) return false;
      if (hit === UNRESOLVED) doubt = true;
    }
    return doubt ? deny : true;
  };
}

export function compileStatement(
  s: Statement,
  position: number,
  type: PolicyType,
  variables: boolean,
): CompiledStatement {
  const deny = s.effect !== 'Allow';
  // Malformed statements (validation should have refused them) fail closed: an Allow matches
  // nothing, a Deny matches everything.
  const malformed = deny ? ALWAYS : NEVER;
  let actionTest: (a: string) => boolean = malformed;
  const patterns = s.action ?? s.notAction;
  if (patterns) {
    const tests = patterns.map((p) => compileActionPattern(p).test);
    const any = tests.length === 1 ? tests[0]! : (a: string) => tests.some((t) => t(a));
    actionTest = s.action ? any : (a) => !any(a);
  }
  const principalType = isPrincipalType(type);
  const padShort = !principalType;
  let resourceTest: ResourceTest;
  if (type === 'trust') resourceTest = ALWAYS;
  else if (s.resource || s.notResource) {
    const tests = (s.resource ?? s.notResource)!.map((p) => compileResourceEntry(p, padShort, variables));
    const any = tests.length === 0 ? NEVER : anyOf(tests);
    if (s.resource) resourceTest = any;
    else if (variables && s.notResource!.some((p) => parseTemplate(p) !== null))
      resourceTest = noneOf(tests, deny);
    else resourceTest = (r, ctx) => !any(r, ctx); // no variable: never in doubt
  } else resourceTest = principalType ? ALWAYS : malformed;
  let principalTest: CompiledStatement['principalTest'] = null;
  if (principalType) {
    if (s.principal) {
      const p: CompiledPrincipal = compilePrincipal(s.principal);
      principalTest = (caller) => matchPrincipal(p, caller);
    } else if (s.notPrincipal) {
      const np = compilePrincipal(s.notPrincipal);
      // Everyone the element does not name, as a grant to `*` reaches them (AWS's meaning of
      // Allow+NotPrincipal, anonymous callers included). A Deny+NotPrincipal always hits a caller
      // that has a permissions boundary (§2.4).
      principalTest = (caller, hasBoundary) =>
        (deny && hasBoundary) || matchPrincipal(np, caller) === null ? 'direct' : null;
    } else principalTest = () => null; // no Principal element: never applies
  }
  const conditions = s.conditions.map((c) => compileClause(c, variables));
  return { statement: s, position, deny, actionTest, resourceTest, principalTest, conditions };
}

const MEMO_LIMIT = 512;

export function compilePolicy(policy: Policy, type: PolicyType): CompiledPolicy {
  const variables = policy.version === '2012-10-17';
  const statements = policy.statements.map((s, i) => compileStatement(s, i, type, variables));
  const byVendor = new Map<string, CompiledStatement[]>();
  const everywhere: CompiledStatement[] = [];
  for (const cs of statements) {
    const s = cs.statement;
    if (!s.action || s.action.includes('*')) {
      everywhere.push(cs);
      continue;
    }
    for (const p of s.action) {
      const colon = p.indexOf(':');
      const vendor = colon < 0 ? '' : p.slice(0, colon).toLowerCase();
      const list = byVendor.get(vendor) ?? [];
      if (!list.includes(cs)) list.push(cs);
      byVendor.set(vendor, list);
    }
  }
  const memo = new Map<string, readonly CompiledStatement[]>();
  const forAction = (a: string): readonly CompiledStatement[] => {
    const hit = memo.get(a);
    if (hit) return hit;
    const colon = a.indexOf(':');
    const vendor = colon < 0 ? a : a.slice(0, colon);
    const candidates = [...(byVendor.get(vendor) ?? []), ...everywhere].sort(
      (x, y) => x.position - y.position,
    );
    const out = candidates.filter((cs) => cs.actionTest(a));
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(a, out);
    return out;
  };
  return { type, variables, statements, forAction };
}
