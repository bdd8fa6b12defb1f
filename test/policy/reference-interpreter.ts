// A plain, obviously-correct IAM interpreter for differential testing (docs/spec/iam.md §2-§4). Written
// separately from src/policy and deliberately naive: no compilation, no indexing, no caching,
// recursive globbing, everything re-read from the Policy model on every call. Its date and IP
// support covers the forms the property test generates (full ISO strings, epoch seconds, IPv4).

import type {
  AuthorizationRequest,
  CallerPrincipal,
  ContextValue,
  NamedPolicy,
} from '../../src/policy/request.js';
import type { ConditionClause, PolicyType, PrincipalSpec, Statement } from '../../src/policy/types.js';

type Ctx = Map<string, ContextValue>;
/** A pattern character: a literal character or a wildcard. */
type PChar = { ch: string; wild: boolean };

function plainPattern(s: string): PChar[] {
  return [...s].map((ch) => ({ ch, wild: ch === '*' || ch === '?' }));
}

function literalPattern(s: string): PChar[] {
  return [...s].map((ch) => ({ ch, wild: false }));
}

function globChars(p: PChar[], s: string): boolean {
  const str = [...s];
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    if (memo.has(key)) return memo.get(key)!;
    let r: boolean;
    if (i === p.length) r = j === str.length;
    else if (p[i]!.wild && p[i]!.ch === '*') r = go(i + 1, j) || (j < str.length && go(i, j + 1));
    else if (j === str.length) r = false;
    else if (p[i]!.wild && p[i]!.ch === '?') r = go(i + 1, j + 1);
    else r = p[i]!.ch === str[j] && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

/** Substitute `${...}` (2012-10-17 only); null when a variable has no value. */
function substitute(s: string, ctx: Ctx, enabled: boolean): PChar[] | null {
  if (!enabled) return plainPattern(s);
  const out: PChar[] = [];
  let rest = s;
  for (;;) {
    const m = /\$\{([^}]*)\}/.exec(rest);
    if (!m) break;
    out.push(...plainPattern(rest.slice(0, m.index)));
    rest = rest.slice(m.index + m[0].length);
    const body = m[1]!;
    if (body === '*' || body === '?' || body === '$') {
      out.push(...literalPattern(body));
      continue;
    }
    const dm = /^\s*([^\s,'{}]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(body);
    if (!dm) {
      out.push(...plainPattern(m[0]));
      continue;
    }
    const v = ctx.get(dm[1]!.toLowerCase());
    const value = typeof v === 'string' ? v : dm[2];
    if (value === undefined) return null;
    out.push(...literalPattern(value));
  }
  out.push(...plainPattern(rest));
  return out;
}

function text(p: PChar[]): string {
  return p.map((c) => c.ch).join('');
}

function splitArn(chars: PChar[]): PChar[][] | null {
  const segs: PChar[][] = [[]];
  for (const c of chars) {
    if (c.ch === ':' && segs.length < 6) segs.push([]);
    else segs[segs.length - 1]!.push(c);
  }
  return segs.length === 6 ? segs : null;
}

function arnLike(pattern: PChar[], value: string): boolean {
  if (pattern.length === 1 && pattern[0]!.wild && pattern[0]!.ch === '*') return true;
  const ps = splitArn(pattern);
  const vs = splitArn(literalPattern(value));
  if (!ps || !vs) return false;
  return ps.every((seg, i) => globChars(seg, text(vs[i]!)));
}

function resourceMatches(
  entry: string,
  resource: string,
  ctx: Ctx,
  vars: boolean,
  type: PolicyType,
): boolean | null {
  if (entry === '*') return true;
  let p = substitute(entry, ctx, vars);
  if (p === null) return null; // a variable without a value: the entry names nothing
  if (type !== 'resource' && type !== 'trust' && text(p).startsWith('arn:')) {
    const colons = text(p).split(':').length - 1;
    for (let i = colons; i < 5; i++) p = [...p, { ch: ':', wild: false }, { ch: '*', wild: true }];
  }
  return arnLike(p, resource);
}

function actionMatches(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  const i = pattern.indexOf(':');
  const j = action.indexOf(':');
  if (i < 0 || j < 0) return false;
  const name = pattern.slice(i + 1);
  if (name.trim() === '' || name.trim() !== name) return false;
  return (
    pattern.slice(0, i).toLowerCase() === action.slice(0, j).toLowerCase() &&
    globChars(plainPattern(name.toLowerCase()), action.slice(j + 1).toLowerCase())
  );
}

function toDate(s: string): number | null {
  if (/^\d+$/.test(s) && s.length !== 4) return Number(s) * 1000;
  if (!/^\d{4}(-\d\d(-\d\d(T\d\d:\d\d(:\d\d)?Z)?)?)?$/.test(s)) return null;
  const t = Date.parse(s.length === 4 ? `${s}-01-01T00:00:00Z` : s.length === 7 ? `${s}-01T00:00:00Z` : s);
  return Number.isNaN(t) ? null : t;
}

function toNumber(s: string): number | null {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s) ? Number(s) : null;
}

function ipv4(s: string): number | null {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((x) => x > 255)) return null;
  return parts.reduce((a, b) => a * 256 + b, 0);
}

function inCidr(cidr: string, ip: string): boolean {
  const [base, bits] = cidr.split('/');
  const a = ipv4(base!);
  const b = ipv4(ip);
  if (a === null || b === null) return false;
  const n = bits === undefined ? 32 : Number(bits);
  const size = 2 ** (32 - n);
  return Math.floor(a / size) === Math.floor(b / size);
}

const NEGATED = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'NumericNotEquals',
  'DateNotEquals',
  'NotIpAddress',
  'ArnNotEquals',
  'ArnNotLike',
]);

/** Does request value r match policy value p under the (positive form of the) base operator? */
function matchesOne(base: string, r: string, p: string, ctx: Ctx, vars: boolean): boolean {
  const positive = base.replace('Not', '').replace('NotIpAddress', 'IpAddress');
  const withVars = vars && /^(String|Arn|Bool)/.test(base);
  const sub = substitute(p, ctx, withVars);
  if (sub === null) return false;
  const fold = (s: string) => s.toUpperCase().toLowerCase();
  switch (positive) {
    case 'StringEquals':
      return text(sub) === r;
    case 'StringEqualsIgnoreCase':
      return fold(text(sub)) === fold(r);
    case 'StringLike':
      return globChars(sub, r);
    case 'ArnEquals':
    case 'ArnLike':
      return arnLike(sub, r);
    case 'Bool':
      return ['true', 'false'].includes(r.toLowerCase()) && text(sub).toLowerCase() === r.toLowerCase();
    case 'IpAddress':
      return inCidr(p, r);
    case 'BinaryEquals':
      return false;
  }
  if (positive.startsWith('Numeric') || positive.startsWith('Date')) {
    const parse = positive.startsWith('Numeric') ? toNumber : toDate;
    const a = parse(r);
    const b = parse(p);
    if (a === null || b === null) return false;
    const op = positive.replace(/^(Numeric|Date)/, '');
    return (
      {
        Equals: a === b,
        LessThan: a < b,
        LessThanEquals: a <= b,
        GreaterThan: a > b,
        GreaterThanEquals: a >= b,
      }[op] ?? false
    );
  }
  throw new Error(`reference: unknown operator ${base}`);
}

function clauseHolds(c: ConditionClause, ctx: Ctx, vars: boolean): boolean {
  const v = ctx.get(c.key.toLowerCase());
  const absent = v === undefined;
  if (c.base === 'Null') {
    const empty = absent || (Array.isArray(v) && v.length === 0);
    return c.values.some((p) =>
      p.toLowerCase() === 'true' ? empty : p.toLowerCase() === 'false' ? !empty : false,
    );
  }
  const negated = NEGATED.has(c.base);
  const test = (r: string) => {
    const any = c.values.some((p) => matchesOne(c.base, r, p, ctx, vars));
    return negated ? !any : any;
  };
  const values: readonly string[] = absent ? [] : typeof v === 'string' ? [v] : v;
  if (c.qualifier === 'ForAllValues') return values.every(test);
  if (c.qualifier === 'ForAnyValue') return absent ? c.ifExists : values.some(test);
  if (absent) return c.ifExists || negated;
  if (typeof v !== 'string') return false;
  return test(v);
}

type Kind = 'direct' | 'capped' | 'account';

function principalKind(spec: PrincipalSpec, p: CallerPrincipal): Kind | null {
  const kinds: Kind[] = [];
  if (spec.wildcard || spec.aws.includes('*')) kinds.push('direct');
  if (
    p.kind === 'Service' &&
    p.service &&
    spec.service.map((s) => s.toLowerCase()).includes(p.service.toLowerCase())
  )
    kinds.push('direct');
  if (p.kind !== 'Service' && p.kind !== 'Anonymous') {
    if (p.kind !== 'Account' && spec.aws.includes(p.arn)) kinds.push('direct');
    if (p.kind === 'AssumedRole' && p.roleArn && spec.aws.includes(p.roleArn)) kinds.push('capped');
    if (p.kind === 'FederatedUser' && p.userArn && spec.aws.includes(p.userArn)) kinds.push('capped');
    if (
      p.accountId &&
      (spec.aws.includes(p.accountId) ||
        spec.aws.some((a) => new RegExp(`^arn:[^:]+:iam::${p.accountId}:root$`).test(a)))
    )
      kinds.push('account');
  }
  for (const k of ['direct', 'capped', 'account'] as const) if (kinds.includes(k)) return k;
  return null;
}

interface TypeOutcome {
  deny: boolean;
  allow: boolean;
  best: Kind | null;
}

function evalPolicies(
  list: readonly NamedPolicy[],
  type: PolicyType,
  req: AuthorizationRequest,
  ctx: Ctx,
): TypeOutcome {
  const out: TypeOutcome = { deny: false, allow: false, best: null };
  const order: (Kind | null)[] = [null, 'account', 'capped', 'direct'];
  for (const np of list) {
    const vars = np.policy.version === '2012-10-17';
    for (const s of np.policy.statements) {
      const kind = statementApplies(s, type, req, ctx, vars);
      if (kind === false) continue;
      if (s.effect === 'Deny') out.deny = true;
      else {
        out.allow = true;
        if (kind !== true && order.indexOf(kind) > order.indexOf(out.best)) out.best = kind;
      }
    }
  }
  return out;
}

/** false: does not apply; true: applies (identity types); a Kind: applies with that principal match. */
function statementApplies(
  s: Statement,
  type: PolicyType,
  req: AuthorizationRequest,
  ctx: Ctx,
  vars: boolean,
): boolean | Kind {
  const deny = s.effect === 'Deny';
  const actions = s.action ?? s.notAction;
  if (!actions) {
    if (!deny) return false;
  } else {
    const hit = actions.some((a) => actionMatches(a, req.action));
    if (s.action ? !hit : hit) return false;
  }
  const principalType = type === 'resource' || type === 'trust';
  if (type !== 'trust') {
    const entries = s.resource ?? s.notResource;
    if (!entries) {
      if (!principalType && !deny) return false;
    } else {
      const results = entries.map((e) => resourceMatches(e, req.resource, ctx, vars, type));
      const hit = results.includes(true);
      if (s.resource ? !hit : hit) return false;
      // NotResource in doubt (an unresolvable entry): an Allow grants nothing, a Deny applies.
      if (s.notResource && !deny && results.includes(null)) return false;
    }
  }
  let kind: Kind | true = true;
  if (principalType) {
    if (s.principal) {
      const k = principalKind(s.principal, req.principal);
      if (!k) return false;
      kind = k;
    } else if (s.notPrincipal) {
      const excluded = principalKind(s.notPrincipal, req.principal) !== null;
      // Root, anonymous and service callers never carry a permissions boundary.
      const hasBoundary =
        req.permissionsBoundary !== undefined &&
        ['User', 'AssumedRole', 'FederatedUser'].includes(req.principal.kind);
      if (excluded && !(deny && hasBoundary)) return false;
      // AWS: an Allow with NotPrincipal grants every principal it does not name, as `*` does.
      kind = 'direct';
    } else return false;
  }
  return s.conditions.every((c) => clauseHolds(c, ctx, vars)) ? kind : false;
}

export type RefDecision = 'Allowed' | 'ExplicitDeny' | 'ImplicitDeny';

export function referenceAuthorize(req: AuthorizationRequest): RefDecision {
  if (req.action.toLowerCase() === 'sts:getcalleridentity') return 'Allowed';
  const ctx: Ctx = new Map(Object.entries(req.context).map(([k, v]) => [k.toLowerCase(), v]));
  const p = req.principal;
  const noIdentity = p.kind === 'Anonymous' || p.kind === 'Service';
  const isRoot = p.kind === 'Account';
  const m = /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(req.resource);
  const owner = req.resourceAccount ?? m?.[1] ?? p.accountId;
  const cross = noIdentity || (owner !== undefined && owner !== p.accountId);
  const rpType: PolicyType = req.resourcePolicyKind === 'trust' ? 'trust' : 'resource';

  const scpLevels =
    req.serviceControlPolicies && !noIdentity
      ? req.serviceControlPolicies.map((l) => evalPolicies(l, 'scp', req, ctx))
      : [];
  const rp = evalPolicies(req.resourcePolicies ?? [], rpType, req, ctx);
  const id = !isRoot && !noIdentity ? evalPolicies(req.identityPolicies, 'identity', req, ctx) : null;
  const bd =
    req.permissionsBoundary && !isRoot && !noIdentity
      ? evalPolicies([req.permissionsBoundary], 'boundary', req, ctx)
      : null;
  const ss =
    req.sessionPolicies && !noIdentity ? evalPolicies(req.sessionPolicies, 'session', req, ctx) : null;

  if ([...scpLevels, rp, id, bd, ss].some((o) => o?.deny)) return 'ExplicitDeny';
  if (scpLevels.some((l) => !l.allow)) return 'ImplicitDeny';
  if ((rpType === 'trust' || cross) && !rp.allow) return 'ImplicitDeny';
  if (noIdentity || isRoot) return 'Allowed';
  const capsAllow = (!bd || bd.allow) && (!ss || ss.allow);
  if (!cross && rp.allow && rp.best === 'direct') return 'Allowed';
  if (!cross && rp.allow && rp.best === 'capped') return capsAllow ? 'Allowed' : 'ImplicitDeny';
  return id!.allow && capsAllow ? 'Allowed' : 'ImplicitDeny';
}
