// Leases on outbox rows: a worker claims due queued rows, works on them, then completes, reschedules
// or releases them. Rows whose lease expired (their worker died) are put back in the queue by
// reclaimExpired(), so the claim itself stays one index range (status, next_attempt_at).
// PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, then UPDATE, in one transaction, so many nodes share
// one queue. SQLite: one UPDATE … WHERE message_id IN (SELECT … LIMIT n) RETURNING (the database
// write lock serialises claimers).
import { sql } from 'kysely';
import type { Store } from '../store/database.js';
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
  const set = {
    status: 'sending' as const,
    lease_owner: o.workerId,
    lease_until: o.now + o.leaseMs,
    attempts: sql<number>`attempts + 1`,
  };
  if (store.dialect === 'postgres') {
    return store.db.transaction().execute(async (trx) => {
      const ids = await trx
        .selectFrom('outbox')
        .select('message_id')
        .where('status', '=', 'queued')
        .where('next_attempt_at', '<=', o.now)
        .orderBy('next_attempt_at')
        .limit(o.limit)
        .forUpdate()
        .skipLocked()
        .execute();
      if (ids.length === 0) return [];
      return trx
        .updateTable('outbox')
        .set(set)
        .where(
          'message_id',
          'in',
          ids.map((r) => r.message_id),
        )
        .returningAll()
        .execute();
    });
  }
  return store.db.transaction().execute((trx) =>
    trx
      .updateTable('outbox')
      .set(set)
      .where('message_id', 'in', (eb) =>
        eb
          .selectFrom('outbox')
          .select('message_id')
          .where('status', '=', 'queued')
          .where('next_attempt_at', '<=', o.now)
          .orderBy('next_attempt_at')
          .limit(o.limit),
      )
      .returningAll()
      .execute(),
  );
}

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
  let base = store.db
    .updateTable('outbox')
    .where('message_id', '=', messageId)
    .where('lease_owner', '=', workerId);
  if (attempt !== undefined) base = base.where('attempts', '=', attempt);
  const res =
    s.kind === 'done'
      ? await base
          .set({
            status: s.status,
            lease_owner: null,
            lease_until: null,
            last_error: s.error === undefined ? null : s.error.slice(0, 1000),
          })
          .executeTakeFirst()
      : await base
          .set({
            status: 'queued',
            lease_owner: null,
            lease_until: null,
            next_attempt_at: s.nextAttemptAt,
            last_error: s.error.slice(0, 1000),
          })
          .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

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
