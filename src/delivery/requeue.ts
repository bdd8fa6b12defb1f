// A delivery attempt that failed by itself (the store went away under it: a restart, a failover, a
// terminated connection) still holds its row's lease, and the message would wait for the lease to
// expire (minutes). Instead the worker puts the row back in the queue at once through the lease's
// own settle (only while it still holds it), retrying while the store is unavailable. An attempt
// that keeps failing by itself stops at the message's age limit, as delivery retries do: settled
// failed with the reason, instead of being retried forever.
import { backoffMs, settle, type Settlement } from './lease.js';
import type { Store } from '../store/database.js';
import type { OutboxRow } from '../store/schema/outbox.js';

export interface RequeueOptions {
  workerId: string;
  /** The lease's length: past it, another worker reclaims the row anyway. */
  leaseMs: number;
  now: () => Date;
  /** The worker is stopping: its releaseAll() gives the row back. */
  stopped: () => boolean;
  /** How long a message is tried for (the delivery tuning's maxAgeMs). */
  maxAgeMs: number;
}

export async function requeueFailedAttempt(
  store: Store,
  row: Pick<OutboxRow, 'message_id' | 'attempts' | 'created_at'>,
  error: unknown,
  o: RequeueOptions,
): Promise<void> {
  const giveUpAt = o.now().getTime() + o.leaseMs;
  const reason = `attempt failed: ${error instanceof Error ? error.message : String(error)}`;
  for (let wait = 250; !o.stopped() && o.now().getTime() < giveUpAt; wait = Math.min(wait * 2, 2000)) {
    try {
      // Not at once: an attempt that fails by itself every time must not spin.
      const now = o.now().getTime();
      const expiresAt = Number(row.created_at) + o.maxAgeMs;
      const nextAttemptAt = Math.min(now + backoffMs(Number(row.attempts), 1000, 60_000), expiresAt);
      const expired = now >= expiresAt;
      const settlement: Settlement = expired
        ? {
            kind: 'done',
            status: 'failed',
            error: `${reason} (gave up after ${Number(row.attempts)} attempts)`,
          }
        : { kind: 'retry', nextAttemptAt, error: reason };
      await settle(store, row.message_id, o.workerId, settlement, Number(row.attempts));
      return;
    } catch {
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
