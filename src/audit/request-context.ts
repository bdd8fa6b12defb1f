// The request context an audit record keeps, so a call can be decided again later (the console's
// "Why?", `sesame policy what-if`): the global and principal keys once, then every check the call
// was authorized by (action, resource, its owner, the check's own keys, whether its resource policy
// is a trust policy). Never a secret: keys that may carry one keep only their name. Bounded in size.
import type { AuthorizationCheck } from '../api/operation.js';
import type { ContextValue } from '../policy/request.js';

export interface RecordedCheck {
  action: string;
  resource: string;
  /** The resource's owner, when it is not the caller's account. */
  resourceAccount?: string;
  /** The check's own keys (`ses:FromAddress`, `aws:ResourceTag/…`), as the operation named them. */
  keys?: Record<string, ContextValue>;
  /** The check's resource policy is the role's trust policy (AssumeRole); an SES identity's
   * policies follow from its ARN. */
  policies?: 'trust';
}

export interface RecordedContext {
  /** The global and principal keys of the call, in AWS's spelling. */
  keys: Record<string, ContextValue>;
  checks: RecordedCheck[];
  /** Keys present in the request whose values are never kept (they may be secrets). */
  redacted?: string[];
  /** Some values were cut to the bounds below: a replay may differ from the live decision. */
  truncated?: true;
}

/** `sts:ExternalId` can be "any string, such as a passphrase" (STS AssumeRole): only its name is kept. */
const SECRET_KEYS = new Set(['sts:externalid']);
/** Bounds: one value, one list, the whole record (JSON). */
export const MAX_VALUE_CHARS = 1024;
export const MAX_LIST_VALUES = 100;
export const MAX_CONTEXT_BYTES = 16 * 1024;

/** The global keys as AWS spells them (authz/ builds them lower-cased). */
const SPELLING: Record<string, string> = Object.fromEntries(
  [
    'aws:CurrentTime',
    'aws:EpochTime',
    'aws:SecureTransport',
    'aws:RequestedRegion',
    'aws:PrincipalAccount',
    'aws:PrincipalType',
    'aws:PrincipalArn',
    'aws:SourceIp',
    'aws:UserAgent',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:VpcSourceIp',
    'aws:userid',
    'aws:username',
    'ses:ApiVersion',
  ].map((k) => [k.toLowerCase(), k]),
);

function spelled(key: string): string {
  const known = SPELLING[key.toLowerCase()];
  if (known) return known;
  if (key.toLowerCase().startsWith('aws:principaltag/')) return `aws:PrincipalTag/${key.slice(17)}`;
  return key;
}

interface Bounding {
  redacted: Set<string>;
  truncated: boolean;
}

function boundedValue(v: ContextValue, b: Bounding): ContextValue {
  const cut = (s: string) => {
    if (s.length <= MAX_VALUE_CHARS) return s;
    b.truncated = true;
    return s.slice(0, MAX_VALUE_CHARS);
  };
  if (typeof v === 'string') return cut(v);
  if (v.length > MAX_LIST_VALUES) b.truncated = true;
  return v.slice(0, MAX_LIST_VALUES).map(cut);
}

function boundedKeys(
  keys: Readonly<Record<string, ContextValue>>,
  b: Bounding,
  spell: boolean,
): Record<string, ContextValue> {
  const out: Record<string, ContextValue> = {};
  for (const [k, v] of Object.entries(keys)) {
    const name = spell ? spelled(k) : k;
    if (SECRET_KEYS.has(k.toLowerCase())) b.redacted.add(name);
    else out[name] = boundedValue(v, b);
  }
  return out;
}

/** What a call's checks leave in its record (global keys lower-cased as authz/ built them). */
export function recordContext(
  globalKeys: Readonly<Record<string, ContextValue>>,
  checks: readonly AuthorizationCheck[],
): RecordedContext {
  const b: Bounding = { redacted: new Set(), truncated: false };
  const out: RecordedContext = { keys: boundedKeys(globalKeys, b, true), checks: [] };
  for (const c of checks) {
    const r: RecordedCheck = { action: c.action, resource: c.resource };
    if (c.resourceAccount !== undefined) r.resourceAccount = c.resourceAccount;
    if (c.context && Object.keys(c.context).length > 0) r.keys = boundedKeys(c.context, b, false);
    if (c.resourcePolicyKind === 'trust') r.policies = 'trust';
    out.checks.push(r);
  }
  if (b.redacted.size > 0) out.redacted = [...b.redacted];
  if (b.truncated) out.truncated = true;
  return out;
}

/** Adds the checks of a later authorizeChecks call of the same request. */
export function addChecks(rec: RecordedContext, more: RecordedContext): void {
  rec.checks.push(...more.checks);
  for (const k of more.redacted ?? []) if (!rec.redacted?.includes(k)) (rec.redacted ??= []).push(k);
  if (more.truncated) rec.truncated = true;
}

/**
 * The column's text: the record as JSON, within MAX_CONTEXT_BYTES. Past it the checks' own keys go
 * (then the checks beyond the first): the record says so with `truncated`.
 */
export function contextColumn(rec: RecordedContext | undefined): string | null {
  if (rec === undefined) return null;
  let text = JSON.stringify(rec);
  if (Buffer.byteLength(text) <= MAX_CONTEXT_BYTES) return text;
  const lean: RecordedContext = {
    ...rec,
    checks: rec.checks.map(({ keys: _keys, ...c }) => c),
    truncated: true,
  };
  text = JSON.stringify(lean);
  if (Buffer.byteLength(text) <= MAX_CONTEXT_BYTES) return text;
  return JSON.stringify({ keys: {}, checks: lean.checks.slice(0, 1), truncated: true });
}

export function parseContextColumn(text: string | null): RecordedContext | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as RecordedContext;
  } catch {
    return null;
  }
}
