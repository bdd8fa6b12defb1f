// Leases on outbox rows: a worker claims due queued rows, works on them, then completes, reschedules
// or releases them. Rows whose lease expired (their worker died) are put back in the queue by
// reclaimExpired(), so the claim itself stays one index range (status, next_attempt_at).
// The claim is one UPDATE … WHERE message_id IN (SELECT … LIMIT n) RETURNING: on PostgreSQL the
// subquery takes its rows FOR UPDATE SKIP LOCKED, so many nodes share one queue; on SQLite the
// database write lock serialises claimers.
import { sql, type Kysely } from 'kysely';
import { outboxBytes } from '../ses/send/outbox.js';
import { compiledQuery, foldedStatement, type Param } from '../store/compiled-query.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/database.js';
import { batchedOnSqlite } from '../store/write-batch.js';
import type { OutboxRow } from '../store/schema/outbox.js';

export interface ClaimOptions {
  workerId: string;
  limit: number;
  now: number;
  leaseMs: number;
}

/** Claims up to `limit` due rows for `workerId`; each claim counts as an attempt. */
export async function claimDue(store: Store, o: ClaimOptions): Promise<OutboxRow[]> {
  if (o.limit <= 0) return [];
  const values = [o.workerId, o.now + o.leaseMs, o.now, o.limit];
  // One statement: on SQLite it joins the write batch (its commit is shared with the settles in
  // flight); on PostgreSQL it runs on its own, its row locks held only for that statement.
  return batchedOnSqlite(store, 'statement', (tx) => CLAIM(tx, values));
}

// Compiled once (a busy worker claims every few messages); values: worker, lease end, now, limit.
// PostgreSQL skips rows another node's claim has locked, so many nodes share one queue.
const CLAIM = compiledQuery<OutboxRow>((db, p, dialect) => {
  let due = db
    .selectFrom('outbox')
    .select('message_id')
    .where('status', '=', sql<'queued'>`'queued'`)
    .where('next_attempt_at', '<=', p(2) as never)
    .orderBy('next_attempt_at')
    .limit(p(3) as never);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  return db
    .updateTable('outbox')
    .set({
      status: sql<'sending'>`'sending'`,
      lease_owner: p(0),
      lease_until: p(1) as never,
      attempts: sql<number>`attempts + 1`,
    })
    .where('message_id', 'in', due)
    .returningAll()
    .returning(outboxBytes);
});

/** Puts rows whose lease has expired back in the queue, due at once; returns how many. */
export async function reclaimExpired(store: Store, now: number): Promise<number> {
  const res = await store.db
    .updateTable('outbox')
    .set({ status: 'queued', lease_owner: null, lease_until: null, next_attempt_at: now })
    .where('status', '=', 'sending')
    .where('lease_until', '<', now)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export type Settlement =
  | { kind: 'done'; status: 'delivered' | 'failed'; error?: string }
  | { kind: 'retry'; nextAttemptAt: number; error: string };

/** A lease a worker holds: the row and the attempt number its claim gave it (the fencing token). */
export interface HeldLease {
  messageId: string;
  attempt: number;
}

/**
 * Extends the leases `workerId` still holds by `leaseMs` from `now` (workers renew while a delivery
 * runs, however slow the relay). Returns the ids whose lease this attempt still holds; any other
 * was lost (expired and reclaimed) and that attempt must neither deliver nor settle.
 */
export async function renewLeases(
  store: Store,
  workerId: string,
  held: readonly HeldLease[],
  now: number,
  leaseMs: number,
): Promise<Set<string>> {
  if (held.length === 0) return new Set();
  const rows = await store.db
    .updateTable('outbox')
    .set({ lease_until: now + leaseMs })
    .where(
      'message_id',
      'in',
      held.map((h) => h.messageId),
    )
    .where('lease_owner', '=', workerId)
    .where('status', '=', 'sending')
    .returning(['message_id', 'attempts'])
    .execute();
  const attempts = new Map(rows.map((r) => [r.message_id, Number(r.attempts)]));
  return new Set(held.filter((h) => attempts.get(h.messageId) === h.attempt).map((h) => h.messageId));
}

/**
 * Settles a claimed row, only while `workerId` still holds it in attempt `attempt` (a worker that
 * lost its lease must not overwrite the new holder's work, even when the new holder is itself in a
 * later attempt). True when the row was updated.
 */
export async function settle(
  store: Store,
  messageId: string,
  workerId: string,
  s: Settlement,
  attempt?: number,
): Promise<boolean> {
  const fence = attempt === undefined ? 'any attempt' : 'this attempt';
  const values = [messageId, workerId, attempt];
  const rows =
    s.kind === 'done'
      ? await SETTLE_DONE[fence](store, [...values, s.status, s.error?.slice(0, 1000) ?? null])
      : await SETTLE_RETRY[fence](store, [...values, s.nextAttemptAt, s.error.slice(0, 1000)]);
  return rows.length > 0;
}

/**
 * As `settle` fenced on `attempt`, for an attempt that does not ask whether the row was still its
 * own: on PostgreSQL its transaction holds the update and sends it with the attempt's other writes
 * (folded-writes.ts). A lost lease leaves the row as the new holder has it, as with `settle`.
 */
export async function settleFolded(
  store: Store,
  messageId: string,
  workerId: string,
  s: Settlement,
  attempt: number,
): Promise<void> {
  const values = [messageId, workerId, attempt];
  if (s.kind === 'done')
    await SETTLE_DONE_FOLDED(store, [...values, s.status, s.error?.slice(0, 1000) ?? null]);
  else await SETTLE_RETRY_FOLDED(store, [...values, s.nextAttemptAt, s.error.slice(0, 1000)]);
}

// Compiled once (every delivered message is settled): values are message id, worker, attempt, then
// the new status and error (done) or the next attempt's time and error (retry).
const settleUpdate = (done: boolean, fenced: boolean) => (db: Kysely<Database>, p: Param) => {
  let q = db.updateTable('outbox').where('message_id', '=', p(0)).where('lease_owner', '=', p(1));
  if (fenced) q = q.where('attempts', '=', p(2) as never);
  // Every value a parameter or SQL (compiledQuery's rule): null and 'queued' are written as SQL.
  const cleared = { lease_owner: sql<null>`null`, lease_until: sql<null>`null`, last_error: p(4) };
  const set = done
    ? { ...cleared, status: p(3) as never }
    : { ...cleared, status: sql<'queued'>`'queued'`, next_attempt_at: p(3) as never };
  return q.set(set);
};
// RETURNING tells whether the row was still this worker's.
const settleStatement = (done: boolean, fenced: boolean) =>
  compiledQuery<{ message_id: string }>((db, p) => settleUpdate(done, fenced)(db, p).returning('message_id'));
const SETTLE_DONE = {
  'any attempt': settleStatement(true, false),
  'this attempt': settleStatement(true, true),
};
const SETTLE_RETRY = {
  'any attempt': settleStatement(false, false),
  'this attempt': settleStatement(false, true),
};
const SETTLE_DONE_FOLDED = foldedStatement(settleUpdate(true, true));
const SETTLE_RETRY_FOLDED = foldedStatement(settleUpdate(false, true));

/** Gives back every row `workerId` holds, untouched work included (graceful stop). */
export async function releaseAll(store: Store, workerId: string): Promise<number> {
  const res = await store.db
    .updateTable('outbox')
    .set({ status: 'queued', lease_owner: null, lease_until: null })
    .where('lease_owner', '=', workerId)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Exponential backoff: base·2^(attempt-1), capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
}
