// The request context an audit record keeps, so a call can be decided again later (the console's
// "Why?", `sesame policy what-if`): the global and principal keys once, then every check the call
// was authorized by (action, resource, its owner, the check's own keys, whether its resource policy
// is a trust policy). Never a secret: keys that may carry one keep only their name. Bounded in size.
import type { AuthorizationCheck } from '../api/operation.js';
import type { ContextValue } from '../policy/request.js';
import { isoSeconds } from '../authz/request-context.js';
import { spellKey } from './key-spelling.js';

export interface RecordedCheck {
  action: string;
  resource: string;
  /** The resource's owner (stored only when it is not the caller's account). */
  resourceAccount?: string;
  /** The check's own keys (`ses:fromaddress`, `aws:resourcetag/…`). */
  keys?: Record<string, ContextValue>;
  /** The check's resource policy is the role's trust policy (AssumeRole); an SES identity's
   * policies follow from its ARN. */
  policies?: 'trust';
}

/** Key names are lower-cased, as the engine compares them (key-spelling.ts spells them for people). */
export interface RecordedContext {
  /** The global and principal keys of the call. */
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
): Record<string, ContextValue> {
  const out: Record<string, ContextValue> = {};
  for (const [k, v] of Object.entries(keys)) {
    const name = k.toLowerCase();
    if (SECRET_KEYS.has(name)) b.redacted.add(name);
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
  const out: RecordedContext = { keys: boundedKeys(globalKeys, b), checks: [] };
  for (const c of checks) {
    const r: RecordedCheck = { action: c.action, resource: c.resource };
    if (c.resourceAccount !== undefined) r.resourceAccount = c.resourceAccount;
    if (c.context && Object.keys(c.context).length > 0) r.keys = boundedKeys(c.context, b);
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

/** Keys the record's own columns hold (event_time, account_id, region): not stored twice. */
const FROM_COLUMNS = ['aws:currenttime', 'aws:epochtime', 'aws:principalaccount', 'aws:requestedregion'];

/** The stored form: without the keys the record's columns give, nor a resource owner that is the caller's account. */
function stored(rec: RecordedContext): RecordedContext {
  const account = rec.keys['aws:principalaccount'];
  const keys: Record<string, ContextValue> = {};
  for (const [k, v] of Object.entries(rec.keys)) if (!FROM_COLUMNS.includes(k)) keys[k] = v;
  const checks = rec.checks.map((c) => {
    if (c.resourceAccount === undefined || c.resourceAccount !== account) return c;
    const { resourceAccount: _same, ...rest } = c;
    return rest;
  });
  return { ...rec, keys, checks };
}

/**
 * The column's text: the record as JSON, within MAX_CONTEXT_BYTES. Past it the checks' own keys go
 * (then the checks beyond the first): the record says so with `truncated`.
 */
export function contextColumn(rec: RecordedContext | undefined): string | null {
  if (rec === undefined) return null;
  const lean = stored(rec);
  let text = JSON.stringify(lean);
  if (Buffer.byteLength(text) <= MAX_CONTEXT_BYTES) return text;
  const leaner: RecordedContext = {
    ...lean,
    checks: lean.checks.map(({ keys: _keys, ...c }) => c),
    truncated: true,
  };
  text = JSON.stringify(leaner);
  if (Buffer.byteLength(text) <= MAX_CONTEXT_BYTES) return text;
  return JSON.stringify({ keys: {}, checks: leaner.checks.slice(0, 1), truncated: true });
}

/** What the record's columns give back to its context. */
export interface ContextOrigin {
  /** event_time, epoch ms. */
  eventTime: number;
  accountId: string;
  region: string;
}

/** The keys a record's columns give: its time, the caller's account, the region (lower-cased). */
export function keysFromColumns(o: ContextOrigin): Record<string, string> {
  return {
    'aws:currenttime': isoSeconds(new Date(o.eventTime)),
    'aws:epochtime': String(Math.floor(o.eventTime / 1000)),
    'aws:principalaccount': o.accountId,
    'aws:requestedregion': o.region,
  };
}

/** The column as stored, for replays (they add the column keys on the hot path themselves). */
export function parseContextColumn(text: string | null): RecordedContext | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as RecordedContext;
  } catch {
    return null;
  }
}

const spellAll = (keys: Readonly<Record<string, ContextValue>>): Record<string, ContextValue> =>
  Object.fromEntries(Object.entries(keys).map(([k, v]) => [spellKey(k), v]));

/** The whole context for people (the audit API): the column keys back, each check's owner, AWS's spelling. */
export function contextForPeople(text: string | null, origin: ContextOrigin): RecordedContext | null {
  const rec = parseContextColumn(text);
  if (!rec) return null;
  const out: RecordedContext = {
    keys: spellAll({ ...keysFromColumns(origin), ...rec.keys }),
    checks: rec.checks.map((c) => ({
      ...c,
      resourceAccount: c.resourceAccount ?? origin.accountId,
      ...(c.keys ? { keys: spellAll(c.keys) } : {}),
    })),
  };
  if (rec.redacted) out.redacted = rec.redacted.map(spellKey);
  if (rec.truncated) out.truncated = true;
  return out;
}
