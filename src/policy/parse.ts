// Policy document -> normalized model (docs/spec/iam.md §1.1–1.3). parsePolicy checks the grammar only
// (shapes, known keys, known condition operators); the write-time rules IAM applies on top
// (version, legacy parsing, SIDs, ARN and action formats, per-type rules, sizes) live in
// validate.ts. Nothing here throws: every input yields a result.

import { formatJsonPath, parseJson } from './json.js';
import type { JsonSyntaxError, JsonValue } from './json.js';
import { BASE_CONDITION_OPERATORS } from './types.js';
import type {
  BaseConditionOperator,
  ConditionClause,
  Effect,
  Policy,
  PrincipalSpec,
  SetQualifier,
  SourceRange,
  Statement,
} from './types.js';

export interface PolicyIssue {
  code: 'MalformedPolicyDocument' | 'LimitExceeded' | 'ValidationError';
  message: string;
  /** Where in the document, e.g. `Statement[1].Condition`. */
  path?: string;
}

export type ParseResult =
  { ok: true; policy: Policy; warnings: string[] } | { ok: false; errors: PolicyIssue[] };

/** What validate.ts needs beyond the model: the document as written. */
export interface PolicyReading {
  /** Best-effort model; meaningful only when `errors` is empty. */
  policy: Policy;
  errors: PolicyIssue[];
  warnings: string[];
  /** Per statement, in order: the raw `Effect` and whether each list key was present. */
  raw: RawStatement[];
  /** Text input that is not JSON: the parser's own complaint and position (the linter shows them). */
  jsonError?: JsonSyntaxError;
}

export interface RawStatement {
  /** Where the statement is: `Statement` (single object) or `Statement[i]`. */
  path: string;
  effect: string;
  /** Keys present in the statement object. */
  keys: ReadonlySet<string>;
}

export const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'] as const;
const TOP_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const PRINCIPAL_KEYS = {
  AWS: 'aws',
  Service: 'service',
  Federated: 'federated',
  CanonicalUser: 'canonicalUser',
} as const;
const BASE_SET: ReadonlySet<string> = new Set(BASE_CONDITION_OPERATORS);

export interface SplitOperator {
  base: BaseConditionOperator;
  qualifier?: SetQualifier;
  ifExists: boolean;
}

/** `ForAllValues:StringLikeIfExists` -> parts; undefined when not a known operator (case-sensitive). */
export function splitConditionOperator(op: string): SplitOperator | undefined {
  let rest = op;
  let qualifier: SetQualifier | undefined;
  if (rest.startsWith('ForAllValues:')) qualifier = 'ForAllValues';
  else if (rest.startsWith('ForAnyValue:')) qualifier = 'ForAnyValue';
  if (qualifier) rest = rest.slice(qualifier.length + 1);
  let ifExists = false;
  if (rest.endsWith('IfExists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  if (!BASE_SET.has(rest)) return undefined;
  if (ifExists && rest === 'Null') return undefined; // Null has no IfExists form
  const base = rest as BaseConditionOperator;
  return qualifier ? { base, qualifier, ifExists } : { base, ifExists };
}

export function isKnownConditionOperator(op: string): boolean {
  return splitConditionOperator(op) !== undefined;
}

/** Parses text (strict JSON) or an already-decoded JSON value into the normalized model. */
export function parsePolicy(input: string | unknown): ParseResult {
  const r = readPolicy(input);
  return r.errors.length > 0
    ? { ok: false, errors: r.errors }
    : { ok: true, policy: r.policy, warnings: r.warnings };
}

export function readPolicy(input: string | unknown): PolicyReading {
  try {
    return readPolicyUnsafe(input);
  } catch {
    // Exotic inputs (throwing getters, proxies) must not escape as exceptions.
    return {
      policy: { statements: [] },
      errors: [syntax('The policy document could not be read')],
      warnings: [],
      raw: [],
    };
  }
}

function syntax(message: string, path?: string): PolicyIssue {
  return path === undefined
    ? { code: 'MalformedPolicyDocument', message }
    : { code: 'MalformedPolicyDocument', message, path };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Obj, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function readPolicyUnsafe(input: unknown): PolicyReading {
  const errors: PolicyIssue[] = [];
  const warnings: string[] = [];
  const raw: RawStatement[] = [];
  const policy: Policy = { statements: [] };
  let doc: unknown = input;
  let ranges: (SourceRange | undefined)[] = [];

  if (typeof input === 'string') {
    const parsed = parseJson(input);
    if (!parsed.ok) {
      const { line, column } = parsed.error.position;
      errors.push(syntax(`Invalid JSON at line ${line}, column ${column}: ${parsed.error.message}`));
      return { policy, errors, warnings, raw, jsonError: parsed.error };
    }
    // [INF] IAM's behaviour for repeated keys is unverified; a JSON parser would keep the last one
    // and could silently drop a Condition block (widening access), so a repeated key is an error.
    for (const d of parsed.duplicates)
      errors.push(
        syntax(`Duplicate key ${JSON.stringify(d.key)}`, d.path === '' ? d.key : `${d.path}.${d.key}`),
      );
    doc = parsed.value;
    ranges = parsed.statementRanges;
  }

  if (!isObj(doc)) {
    errors.push(syntax('The policy document must be a JSON object'));
    return { policy, errors, warnings, raw };
  }
  for (const k of Object.keys(doc))
    if (!TOP_KEYS.has(k))
      errors.push(syntax(`Unknown top-level key ${JSON.stringify(k)}`, formatJsonPath([k])));

  if (has(doc, 'Version')) {
    const v = doc.Version;
    if (typeof v === 'string' && (POLICY_VERSIONS as readonly string[]).includes(v)) policy.version = v;
    else errors.push(syntax('Version must be "2012-10-17" or "2008-10-17"', 'Version'));
  } else warnings.push('No Version: policy variables are not expanded (use "2012-10-17")');

  if (has(doc, 'Id')) {
    if (typeof doc.Id === 'string') policy.id = doc.Id;
    else errors.push(syntax('Id must be a string', 'Id'));
  }

  if (!has(doc, 'Statement')) {
    errors.push(syntax('Statement is required', 'Statement'));
    return { policy, errors, warnings, raw };
  }
  const st = doc.Statement;
  let items: { value: unknown; path: string; index: number }[];
  if (Array.isArray(st)) {
    if (st.length === 0) errors.push(syntax('Statement must not be empty', 'Statement'));
    items = st.map((value: unknown, index) => ({ value, path: `Statement[${index}]`, index }));
  } else if (isObj(st)) items = [{ value: st, path: 'Statement', index: 0 }];
  else {
    errors.push(syntax('Statement must be an object or an array of objects', 'Statement'));
    return { policy, errors, warnings, raw };
  }
  for (const item of items) {
    const s = readStatement(item.value, item.path, item.index, errors, warnings);
    if (!s) continue;
    const range = ranges[item.index];
    if (range) s.statement.range = range;
    policy.statements.push(s.statement);
    raw.push(s.raw);
  }
  return { policy, errors, warnings, raw };
}

function readStatement(
  value: unknown,
  path: string,
  index: number,
  errors: PolicyIssue[],
  warnings: string[],
): { statement: Statement; raw: RawStatement } | undefined {
  if (!isObj(value)) {
    errors.push(syntax('A statement must be an object', path));
    return undefined;
  }
  const at = (k: string): string => `${path}.${k}`;
  const keys = new Set(Object.keys(value));
  for (const k of keys)
    if (!STATEMENT_KEYS.has(k)) errors.push(syntax(`Unknown statement key ${JSON.stringify(k)}`, at(k)));
  for (const [a, b] of [
    ['Action', 'NotAction'],
    ['Resource', 'NotResource'],
    ['Principal', 'NotPrincipal'],
  ] as const) {
    if (keys.has(a) && keys.has(b)) errors.push(syntax(`${a} and ${b} cannot both be present`, path));
  }

  let effect: Effect = 'Deny';
  let rawEffect = '';
  if (!keys.has('Effect')) errors.push(syntax('Effect is required', at('Effect')));
  else if (typeof value.Effect !== 'string')
    errors.push(syntax('Effect must be "Allow" or "Deny"', at('Effect')));
  else {
    rawEffect = value.Effect;
    const lower = rawEffect.toLowerCase();
    if (lower === 'allow' || lower === 'deny') {
      effect = lower === 'allow' ? 'Allow' : 'Deny';
      if (rawEffect !== effect)
        warnings.push(`${at('Effect')}: "${rawEffect}" read as "${effect}" (IAM rejects the wrong case)`);
    } else errors.push(syntax('Effect must be "Allow" or "Deny"', at('Effect')));
  }

  const statement: Statement = { index, effect, conditions: [] };
  if (keys.has('Sid')) {
    if (typeof value.Sid === 'string') statement.sid = value.Sid;
    else errors.push(syntax('Sid must be a string', at('Sid')));
  }
  for (const [key, field] of [
    ['Action', 'action'],
    ['NotAction', 'notAction'],
    ['Resource', 'resource'],
    ['NotResource', 'notResource'],
  ] as const) {
    if (!keys.has(key)) continue;
    const list = readStringList(value[key], at(key), errors, warnings);
    if (list) statement[field] = list;
  }
  for (const [key, field] of [
    ['Principal', 'principal'],
    ['NotPrincipal', 'notPrincipal'],
  ] as const) {
    if (!keys.has(key)) continue;
    const p = readPrincipal(value[key], at(key), errors);
    if (p) statement[field] = p;
  }
  if (keys.has('Condition'))
    statement.conditions = readConditions(value.Condition, at('Condition'), errors, warnings);
  return { statement, raw: { path, effect: rawEffect, keys } };
}

/** A string or an array of strings; IAM also accepts (and ignores) `null` array elements. */
function readStringList(
  v: unknown,
  path: string,
  errors: PolicyIssue[],
  warnings: string[],
): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) {
    errors.push(syntax('Must be a string or an array of strings', path));
    return undefined;
  }
  const out: string[] = [];
  for (let i = 0; i < v.length; i++) {
    const e: unknown = v[i];
    if (typeof e === 'string') out.push(e);
    else if (e === null) warnings.push(`${path}[${i}]: null entry ignored`);
    else {
      errors.push(syntax('Must be a string or an array of strings', `${path}[${i}]`));
      return undefined;
    }
  }
  return out;
}

function readPrincipal(v: unknown, path: string, errors: PolicyIssue[]): PrincipalSpec | undefined {
  const spec: PrincipalSpec = { wildcard: false, aws: [], service: [], federated: [], canonicalUser: [] };
  if (v === '*') return { ...spec, wildcard: true };
  if (!isObj(v)) {
    errors.push(syntax('Principal must be "*" or an object of AWS/Service/Federated/CanonicalUser', path));
    return undefined;
  }
  let ok = true;
  for (const k of Object.keys(v)) {
    if (!has(PRINCIPAL_KEYS, k)) {
      errors.push(syntax(`Unknown principal type ${JSON.stringify(k)}`, `${path}.${k}`));
      ok = false;
      continue;
    }
    const field = PRINCIPAL_KEYS[k as keyof typeof PRINCIPAL_KEYS];
    const raw = v[k];
    const list =
      typeof raw === 'string'
        ? [raw]
        : Array.isArray(raw) && raw.every((e) => typeof e === 'string')
          ? (raw as string[])
          : undefined;
    if (!list) {
      errors.push(syntax('Principal values must be a string or an array of strings', `${path}.${k}`));
      ok = false;
      continue;
    }
    for (const id of list) {
      if (field === 'aws' && id === '*')
        spec.wildcard = true; // {"AWS":"*"} is the same as "*"
      else spec[field].push(id);
    }
  }
  return ok ? spec : undefined;
}

function stringifyScalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function readConditions(
  v: unknown,
  path: string,
  errors: PolicyIssue[],
  warnings: string[],
): ConditionClause[] {
  const clauses: ConditionClause[] = [];
  if (!isObj(v)) {
    errors.push(syntax('Condition must be an object of operator -> { key: value(s) }', path));
    return clauses;
  }
  for (const operator of Object.keys(v)) {
    const opPath = `${path}${formatJsonPath(['x', operator]).slice(1)}`;
    const body = v[operator];
    if (!isObj(body)) {
      errors.push(syntax('A condition operator must map to an object of key -> value(s)', opPath));
      continue;
    }
    const split = splitConditionOperator(operator);
    const keys = Object.keys(body);
    if (!split) {
      // IAM accepts an unknown operator only with an empty body; with keys it is a syntax error,
      // never something to ignore (ignoring would drop a restriction).
      if (keys.length > 0)
        errors.push(syntax(`Unknown condition operator ${JSON.stringify(operator)}`, opPath));
      else warnings.push(`${opPath}: unknown operator with an empty body ignored`);
      continue;
    }
    for (const key of keys) {
      const keyPath = `${opPath}${formatJsonPath(['x', key]).slice(1)}`;
      const rawValues = body[key];
      const list = Array.isArray(rawValues) ? (rawValues as unknown[]) : [rawValues];
      const values: string[] = [];
      let bad = false;
      for (const e of list) {
        const s = stringifyScalar(e);
        if (s === undefined) bad = true;
        else values.push(s);
      }
      if (bad) {
        errors.push(syntax('Condition values must be strings, booleans, numbers or arrays of them', keyPath));
        continue;
      }
      const clause: ConditionClause = { operator, base: split.base, ifExists: split.ifExists, key, values };
      if (split.qualifier) clause.qualifier = split.qualifier;
      clauses.push(clause);
    }
  }
  return clauses;
}

/** The model back to a policy document (compact, canonical shapes: every list is an array). */
export function policyToJson(policy: Policy): Record<string, JsonValue> {
  const doc: Record<string, JsonValue> = {};
  if (policy.version !== undefined) doc.Version = policy.version;
  if (policy.id !== undefined) doc.Id = policy.id;
  doc.Statement = policy.statements.map((s) => {
    const o: Record<string, JsonValue> = {};
    if (s.sid !== undefined) o.Sid = s.sid;
    o.Effect = s.effect;
    if (s.principal) o.Principal = principalToJson(s.principal);
    if (s.notPrincipal) o.NotPrincipal = principalToJson(s.notPrincipal);
    if (s.action) o.Action = [...s.action];
    if (s.notAction) o.NotAction = [...s.notAction];
    if (s.resource) o.Resource = [...s.resource];
    if (s.notResource) o.NotResource = [...s.notResource];
    if (s.conditions.length > 0) {
      // Null prototypes: a condition key named "__proto__" must stay a key, not become a prototype.
      const cond = Object.create(null) as Record<string, Record<string, JsonValue>>;
      for (const c of s.conditions)
        (cond[c.operator] ??= Object.create(null) as Record<string, JsonValue>)[c.key] = [...c.values];
      o.Condition = cond;
    }
    return o;
  });
  return doc;
}

function principalToJson(p: PrincipalSpec): JsonValue {
  const hasIds = p.aws.length + p.service.length + p.federated.length + p.canonicalUser.length > 0;
  if (p.wildcard && !hasIds) return '*';
  const o: Record<string, JsonValue> = {};
  const aws = p.wildcard ? ['*', ...p.aws] : p.aws;
  if (aws.length > 0 || !hasIds) o.AWS = aws;
  if (p.service.length > 0) o.Service = [...p.service];
  if (p.federated.length > 0) o.Federated = [...p.federated];
  if (p.canonicalUser.length > 0) o.CanonicalUser = [...p.canonicalUser];
  return o;
}
