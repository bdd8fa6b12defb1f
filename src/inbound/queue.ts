// The durable queue of receipt actions: inbound_messages rows whose actions are still to run. A
// worker takes due rows under a lease (FOR UPDATE SKIP LOCKED on PostgreSQL, so nodes sharing one
// database share the queue; one statement on SQLite, whose writer lock serialises claimers), runs
// their actions one at a time, and every step it writes is fenced by its lease. Rows whose worker
// died are put back when their lease expires, and resume at the action they had reached.
import type { Store } from '../store/database.js';
import type { InboundMessageRow } from '../store/schema/receiving.js';

export async function claimInbound(
  store: Store,
  o: { workerId: string; limit: number; now: number; leaseMs: number },
): Promise<InboundMessageRow[]> {
  if (o.limit <= 0) return [];
  const lease = { status: 'running' as const, lease_owner: o.workerId, lease_until: o.now + o.leaseMs };
  return store.db.transaction().execute(async (trx) => {
    const due = trx
      .selectFrom('inbound_messages')
      .select('message_id')
      .where('status', '=', 'queued')
      .where('next_attempt_at', '<=', o.now)
      .orderBy('next_attempt_at')
      .limit(o.limit);
    if (store.dialect === 'postgres') {
      const ids = (await due.forUpdate().skipLocked().execute()).map((r) => r.message_id);
      if (ids.length === 0) return [];
      return trx
        .updateTable('inbound_messages')
        .set(lease)
        .where('message_id', 'in', ids)
        .returningAll()
        .execute();
    }
    return trx
      .updateTable('inbound_messages')
      .set(lease)
      .where('message_id', 'in', due)
      .returningAll()
      .execute();
  });
}

/** Rows of workers whose lease ran out go back to the queue, due at once. */
export async function reclaimInbound(store: Store, now: number): Promise<number> {
  const res = await store.db
    .updateTable('inbound_messages')
    .set({ status: 'queued', lease_owner: null, lease_until: null, next_attempt_at: now })
    .where('status', '=', 'running')
    .where('lease_until', '<', now)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Gives back what `workerId` still holds (graceful stop): it resumes where it stopped. */
export async function releaseInbound(store: Store, workerId: string): Promise<number> {
  const res = await store.db
    .updateTable('inbound_messages')
    .set({ status: 'queued', lease_owner: null, lease_until: null })
    .where('lease_owner', '=', workerId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** A step of a worker that no longer holds the row: nothing of it is written. */
export class LeaseLost extends Error {
  constructor(messageId: string) {
    super(`lease on inbound message ${messageId} was lost`);
    this.name = 'LeaseLost';
  }
}

/** Updates the row only while `workerId` holds it; throws LeaseLost otherwise (rolling back the step). */
export async function updateHeld(
  store: Store,
  messageId: string,
  workerId: string,
  set: Partial<InboundMessageRow>,
): Promise<void> {
  const res = await store.db
    .updateTable('inbound_messages')
    .set(set)
    .where('message_id', '=', messageId)
    .where('lease_owner', '=', workerId)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw new LeaseLost(messageId);
}
