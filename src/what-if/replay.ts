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
import type { ContextValue, Decision, DecisionKind } from '../policy/request.js';
import type { Store } from '../store/database.js';
import type { PolicyChange } from './change.js';
import { replayCallers } from './callers.js';
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

function lowerKeys(
  keys: Readonly<Record<string, ContextValue>> | undefined,
  into: Record<string, ContextValue>,
) {
  if (keys) for (const k in keys) into[k.toLowerCase()] = keys[k]!;
  return into;
}

interface Outcome {
  decision: DecisionKind;
  /** The check that decided (the first not allowed), or -1 when all allowed. */
  at: number;
}

const allowed = (d: DecisionKind) => d === 'Allowed';

export async function replayChange(
  store: Store,
  change: PolicyChange,
  w: ReplayWindow,
): Promise<ReplayResult> {
  const callers = replayCallers(store);
  const policiesOf = replayResourcePolicies(store);
  const applied = new WeakMap<DecidingCaller, DecidingCaller>();
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
    for (const row of rows) {
      out.Examined++;
      const rc = parseContextColumn(row.request_context);
      if (!rc || rc.checks.length === 0 || row.principal_arn === null) {
        out.Skipped.NoRequestContext++;
        continue;
      }
      const now = await callers(row.principal_arn, row.access_key_id);
      if (!now) {
        out.Skipped.PrincipalGone++;
        continue;
      }
      let next = applied.get(now);
      if (!next) applied.set(now, (next = change.apply(now)));
      const r = await replayRecord(row, rc, now, next, change, policiesOf);
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
async function replayRecord(
  row: Row,
  rc: RecordedContext,
  now: DecidingCaller,
  next: DecidingCaller,
  change: PolicyChange,
  policiesOf: ResourcePolicyLookup,
): Promise<{ drift: boolean; flip?: Flip } | undefined> {
  const touchesIdentity =
    change.identity !== undefined && rc.checks.some((c) => c.resource === change.identity!.arn);
  if (next === now && !touchesIdentity) return undefined;
  const base = lowerKeys(rc.keys, {});
  const checks: AuthorizationCheck[] = [];
  const contexts: Record<string, ContextValue>[] = [];
  const changedChecks: AuthorizationCheck[] = [];
  for (const c of rc.checks) {
    const check = await checkOf(c, policiesOf);
    checks.push(check);
    changedChecks.push(
      change.identity && c.resource === change.identity.arn
        ? { ...check, resourcePolicies: change.identity.policies }
        : check,
    );
    contexts.push(lowerKeys(c.keys, { ...base }));
  }
  const before = decideAll(now, checks, contexts);
  const after = decideAll(next, changedChecks, contexts);
  const drift = before.decision !== row.decision;
  if (allowed(before.decision) === allowed(after.decision)) return { drift };
  // The check that tells: the first one denied after the change, or the one that denied before.
  const at = allowed(after.decision) ? before.at : after.at;
  const explainedAfter = decideOne(next, changedChecks[at]!, contexts[at]!, true);
  const explainedBefore = decideOne(now, checks[at]!, contexts[at]!, true);
  // Now allowed, or explicitly denied: the statement that does it. Now implicitly denied: the one
  // that allowed before and no longer does.
  const matched = after.decision === 'ImplicitDeny' ? explainedBefore.matched : explainedAfter.matched;
  const statement = responsible(matched, change.policyIds);
  const flip: Flip = {
    requestId: row.request_id,
    eventTime: Number(row.event_time),
    eventName: row.event_name,
    principalArn: row.principal_arn!,
    action: checks[at]!.action,
    resource: checks[at]!.resource,
    from: before.decision,
    to: after.decision,
  };
  if (explainedAfter.decidedBy !== undefined) flip.decidedBy = explainedAfter.decidedBy;
  if (statement) flip.statement = statement;
  return { drift, flip };
}

async function checkOf(c: RecordedCheck, policiesOf: ResourcePolicyLookup): Promise<AuthorizationCheck> {
  const check: AuthorizationCheck = { action: c.action, resource: c.resource };
  if (c.resourceAccount !== undefined) check.resourceAccount = c.resourceAccount;
  if (c.policies === 'trust') check.resourcePolicyKind = 'trust';
  if (c.policies === 'trust' || c.resource.startsWith('arn:aws:ses:')) {
    const policies = await policiesOf(c.resource, c.policies);
    if (policies) check.resourcePolicies = policies;
  }
  return check;
}

function decideOne(
  caller: DecidingCaller,
  check: AuthorizationCheck,
  context: Record<string, ContextValue>,
  explain: boolean,
): Decision {
  // The context is complete already (the check carries no keys of its own): shared by both sides.
  return authorize(requestFor(caller, check, context, explain));
}

/** The call's decision: its checks in order, the first not allowed decides. */
function decideAll(
  caller: DecidingCaller,
  checks: readonly AuthorizationCheck[],
  contexts: readonly Record<string, ContextValue>[],
): Outcome {
  for (let i = 0; i < checks.length; i++) {
    const d = decideOne(caller, checks[i]!, contexts[i]!, false).decision;
    if (d !== 'Allowed') return { decision: d, at: i };
  }
  return { decision: 'Allowed', at: -1 };
}
