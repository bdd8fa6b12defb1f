// "Of the calls recorded in the last N days, which would this change flip?" Each recorded call in
// the change's scope is decided twice with authorize(): with the caller's policies as they are now
// and with the change applied, both from the record's own request context through authz/'s
// request building, so the replay decides as the live path did. Calls whose decision changes
// between allowed and denied are reported, grouped (report.ts).
import { sql } from 'kysely';
import { requestFor, type DecidingCaller } from '../authz/index.js';
import type { AuthorizationCheck } from '../api/operation.js';
import { parseContextColumn, type RecordedCheck, type RecordedContext } from '../audit/request-context.js';
import { authorize } from '../policy/index.js';
import type { ContextValue, Decision, DecisionKind, NamedPolicy } from '../policy/request.js';
import type { Store } from '../store/database.js';
import type { PolicyChange } from './change.js';
import { replayCallers, type CallerLookup } from './callers.js';
import { flipGroups, responsible, type Flip, type FlipGroup } from './report.js';
import { replayResourcePolicies, type ResourcePolicyLookup } from './resource-policies.js';

export interface ReplayWindow {
  accountId: string;
  since: Date;
  until: Date;
  /** Records beyond this many are not read (the answer says Truncated). */
  maxRecords?: number;
}

export interface ReplayResult {
  /** Records of the window in the change's scope. */
  Examined: number;
  /** Of those, decided again (the rest: no request context, or a principal that is gone). */
  Replayed: number;
  Skipped: { NoRequestContext: number; PrincipalGone: number };
  /** Replayed records whose decision today (before the change) differs from the recorded one. */
  ChangedSinceRecorded: number;
  AllowedToDenied: number;
  DeniedToAllowed: number;
  Flips: FlipGroup[];
  Truncated: boolean;
}

const CHUNK = 5000;
export const MAX_RECORDS = 1_000_000;
const DECIDED = ['Allowed', 'ImplicitDeny', 'ExplicitDeny'];
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

interface Row {
  seq: number;
  event_time: number;
  event_name: string;
  principal_arn: string | null;
  access_key_id: string | null;
  request_id: string;
  region: string | null;
  decision: string;
  request_context: string | null;
}

/** One chunk of the change's scope in the window, oldest first, after `afterSeq`. */
function readChunk(store: Store, w: ReplayWindow, change: PolicyChange, afterSeq: number, limit: number) {
  let q = store.db
    .selectFrom('audit_events')
    .select([
      'seq',
      'event_time',
      'event_name',
      'principal_arn',
      'access_key_id',
      'request_id',
      'region',
      'decision',
      'request_context',
    ])
    .where('account_id', '=', w.accountId)
    .where('event_time', '>=', w.since.getTime())
    .where('event_time', '<', w.until.getTime())
    .where('decision', 'in', DECIDED)
    .where('seq', '>', afterSeq);
  const scope = change.scope;
  if ('resource' in scope) {
    const pattern = `%${escapeLike(JSON.stringify(scope.resource))}%`;
    q = q.where(sql<boolean>`resources like ${pattern} escape '\\'`);
  } else {
    q = q.where((eb) =>
      eb.or([
        ...(scope.principals.length ? [eb('principal_arn', 'in', scope.principals)] : []),
        ...scope.rolePrefixes.map((p) => sql<boolean>`principal_arn like ${`${escapeLike(p)}%`} escape '\\'`),
        ...(scope.principals.length + scope.rolePrefixes.length === 0 ? [sql<boolean>`1 = 0`] : []),
      ]),
    );
  }
  return q.orderBy('seq').limit(limit).execute() as Promise<Row[]>;
}

/**
 * Each check's complete context: the call's global keys, the check's own, the keys the record's
 * columns give (all lower-cased already, as stored). The last check takes over the parsed global
 * keys object itself; copies are made only for the others (contexts are built per record, so this
 * is where a replay spends its time).
 */
function contextsOf(row: Row, rc: RecordedContext, accountId: string): Record<string, ContextValue>[] {
  const t = Number(row.event_time);
  const out: Record<string, ContextValue>[] = [];
  for (let i = 0; i < rc.checks.length; i++) {
    const own = rc.checks[i]!.keys;
    const last = i === rc.checks.length - 1;
    const ctx = last ? (own ? Object.assign(rc.keys, own) : rc.keys) : Object.assign({}, rc.keys, own);
    ctx['aws:currenttime'] = isoSecondsOf(t);
    ctx['aws:epochtime'] = String(Math.floor(t / 1000));
    ctx['aws:principalaccount'] = accountId;
    ctx['aws:requestedregion'] = row.region ?? '';
    out.push(ctx);
  }
  return out;
}

// Records come in time order: consecutive ones often share their second.
let lastSecond = -1;
let lastIso = '';
function isoSecondsOf(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastIso = `${new Date(second * 1000).toISOString().slice(0, 19)}Z`; // authz's isoSeconds
  }
  return lastIso;
}

const allowed = (d: DecisionKind) => d === 'Allowed';

/** What a replay needs resolved before deciding a chunk synchronously: callers and resource policies. */
interface Resolved {
  callers: Map<string, DecidingCaller | undefined>;
  /** By resource: an SES identity's policies; a role's trust policy (AssumeRole checks). */
  policies: Map<string, NamedPolicy[] | undefined>;
  trust: Map<string, NamedPolicy[] | undefined>;
}

const callerKey = (row: Row) =>
  row.principal_arn!.startsWith('arn:aws:sts::')
    ? `${row.principal_arn}\u0000${row.access_key_id ?? ''}`
    : row.principal_arn!;
const needsPolicies = (c: RecordedCheck) => c.policies === 'trust' || c.resource.startsWith('arn:aws:ses:');
const policiesFor = (r: Resolved, c: RecordedCheck) => (c.policies === 'trust' ? r.trust : r.policies);

async function resolveChunk(
  parsed: readonly { row: Row; rc: RecordedContext }[],
  callers: CallerLookup,
  policiesOf: ResourcePolicyLookup,
  into: Resolved,
): Promise<void> {
  for (const { row, rc } of parsed) {
    const ck = callerKey(row);
    if (!into.callers.has(ck)) into.callers.set(ck, await callers(row.principal_arn!, row.access_key_id));
    for (const c of rc.checks) {
      if (!needsPolicies(c)) continue;
      const known = policiesFor(into, c);
      if (!known.has(c.resource)) known.set(c.resource, await policiesOf(c.resource, c.policies));
    }
  }
}

export async function replayChange(
  store: Store,
  change: PolicyChange,
  w: ReplayWindow,
): Promise<ReplayResult> {
  const callers = replayCallers(store);
  const policiesOf = replayResourcePolicies(store);
  const resolved: Resolved = { callers: new Map(), policies: new Map(), trust: new Map() };
  const applied = new Map<DecidingCaller, DecidingCaller>();
  const groups = flipGroups();
  const out: ReplayResult = {
    Examined: 0,
    Replayed: 0,
    Skipped: { NoRequestContext: 0, PrincipalGone: 0 },
    ChangedSinceRecorded: 0,
    AllowedToDenied: 0,
    DeniedToAllowed: 0,
    Flips: [],
    Truncated: false,
  };
  const max = Math.min(w.maxRecords ?? MAX_RECORDS, MAX_RECORDS);
  let after = 0;
  for (;;) {
    const rows = await readChunk(store, w, change, after, Math.min(CHUNK, max - out.Examined));
    const parsed: { row: Row; rc: RecordedContext }[] = [];
    for (const row of rows) {
      out.Examined++;
      const rc = parseContextColumn(row.request_context);
      if (!rc || rc.checks.length === 0 || row.principal_arn === null) out.Skipped.NoRequestContext++;
      else parsed.push({ row, rc });
    }
    await resolveChunk(parsed, callers, policiesOf, resolved);
    for (const { row, rc } of parsed) {
      const now = resolved.callers.get(callerKey(row));
      if (!now) {
        out.Skipped.PrincipalGone++;
        continue;
      }
      let next = applied.get(now);
      if (!next) applied.set(now, (next = change.apply(now)));
      const r = replayRecord(row, rc, now, next, change, resolved, w.accountId);
      if (r === undefined) continue;
      out.Replayed++;
      if (r.drift) out.ChangedSinceRecorded++;
      if (!r.flip) continue;
      if (allowed(r.flip.from)) out.AllowedToDenied++;
      else out.DeniedToAllowed++;
      groups.add(r.flip);
    }
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.seq;
    if (out.Examined >= max) {
      out.Truncated = (await readChunk(store, w, change, after, 1)).length > 0;
      break;
    }
  }
  out.Flips = groups.list();
  return out;
}

/**
 * Decides one record before and after the change; undefined when the change cannot touch it (its
 * caller and resources are the same either way). `drift`: today's decision before the change is
 * not the recorded one (policies changed since).
 */
function replayRecord(
  row: Row,
  rc: RecordedContext,
  now: DecidingCaller,
  next: DecidingCaller,
  change: PolicyChange,
  resolved: Resolved,
  accountId: string,
): { drift: boolean; flip?: Flip } | undefined {
  const identity = change.identity;
  if (next === now && !(identity && rc.checks.some((c) => c.resource === identity.arn))) return undefined;
  const contexts = contextsOf(row, rc, accountId);
  const n = rc.checks.length;
  // Each side's decision per check, decided once (a flip's explanation reads them again).
  const befores: Decision[] = [];
  const afters: Decision[] = [];
  let atBefore = -1;
  let atAfter = -1;
  // The call's checks in order: on each side, the first one not allowed decides.
  for (let i = 0; i < n && (atBefore < 0 || atAfter < 0); i++) {
    const c = rc.checks[i]!;
    const check: AuthorizationCheck = { action: c.action, resource: c.resource };
    if (c.resourceAccount !== undefined) check.resourceAccount = c.resourceAccount;
    if (c.policies === 'trust') check.resourcePolicyKind = 'trust';
    if (needsPolicies(c)) {
      const p = policiesFor(resolved, c).get(c.resource);
      if (p) check.resourcePolicies = p;
    }
    const changed =
      identity && c.resource === identity.arn ? { ...check, resourcePolicies: identity.policies } : check;
    // The context is complete (the checks carry no keys of their own): both sides share it.
    const context = contexts[i]!;
    if (atBefore < 0) {
      const d = (befores[i] = authorize(requestFor(now, check, context, false)));
      if (!allowed(d.decision)) atBefore = i;
    }
    if (atAfter < 0) {
      const d = (afters[i] = authorize(requestFor(next, changed, context, false)));
      if (!allowed(d.decision)) atAfter = i;
    }
  }
  const before = atBefore < 0 ? befores[n - 1]! : befores[atBefore]!;
  const after = atAfter < 0 ? afters[n - 1]! : afters[atAfter]!;
  const drift = before.decision !== row.decision;
  if (allowed(before.decision) === allowed(after.decision)) return { drift };
  // The check that tells: the one denied after the change, or the one that was denied before; both
  // sides were decided on it (the other side was still allowed there).
  const at = allowed(after.decision) ? atBefore : atAfter;
  const afterAt = afters[at]!;
  // Now allowed, or explicitly denied: the statement that does it (`matched` holds the allowing or
  // denying statements). Now implicitly denied: the one that allowed before and no longer does.
  const matched = afterAt.decision === 'ImplicitDeny' ? befores[at]!.matched : afterAt.matched;
  const statement = responsible(matched, change.policyIds);
  const decider = rc.checks[at]!;
  const flip: Flip = {
    requestId: row.request_id,
    eventTime: Number(row.event_time),
    eventName: row.event_name,
    principalArn: row.principal_arn!,
    action: decider.action,
    resource: decider.resource,
    from: before.decision,
    to: after.decision,
  };
  if (afterAt.decidedBy !== undefined) flip.decidedBy = afterAt.decidedBy;
  if (statement) flip.statement = statement;
  return { drift, flip };
}
