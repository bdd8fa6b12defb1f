import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testDialects, type Store } from '../store/database.js';
import { claimDue } from './lease.js';
import { requeueFailedAttempt } from './requeue.js';
import { enqueue, openDeliveryStore } from './test-support.js';

describe.each(testDialects())('requeue of an attempt that failed by itself (%s)', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDeliveryStore(dialect);
  });
  afterAll(async () => store.close());
  beforeEach(async () => {
    await store.db.deleteFrom('outbox').execute();
  });

  const T0 = 1_800_000_000_000;
  const HOUR = 60 * 60_000;
  const options = (now: number) => ({
    workerId: 'w1',
    leaseMs: 30_000,
    maxAgeMs: 14 * HOUR,
    now: () => new Date(now),
    stopped: () => false,
  });
  const rowOf = async (id: string) =>
    store.db
      .selectFrom('outbox')
      .select(['status', 'lease_owner', 'next_attempt_at', 'last_error'])
      .where('message_id', '=', id)
      .executeTakeFirstOrThrow();

  it('puts the row back in the queue with a backoff while the message is young', async () => {
    const id = await enqueue(store, ['a@example.net'], { createdAt: new Date(T0) });
    const [row] = await claimDue(store, { workerId: 'w1', limit: 1, now: T0, leaseMs: 30_000 });
    await requeueFailedAttempt(store, row!, new Error('boom'), options(T0 + 10));
    const after = await rowOf(id);
    expect(after.status).toBe('queued');
    expect(after.lease_owner).toBeNull();
    expect(Number(after.next_attempt_at)).toBeGreaterThan(T0 + 10);
    expect(after.last_error).toBe('attempt failed: boom');
  });

  it('never schedules past the age limit, and settles failed with the reason once it is reached', async () => {
    const id = await enqueue(store, ['a@example.net'], { createdAt: new Date(T0) });
    const nearEnd = T0 + 14 * HOUR - 100;
    const [first] = await claimDue(store, { workerId: 'w1', limit: 1, now: nearEnd, leaseMs: 30_000 });
    await requeueFailedAttempt(store, first!, new Error('boom'), options(nearEnd));
    expect(Number((await rowOf(id)).next_attempt_at)).toBe(T0 + 14 * HOUR);

    const [second] = await claimDue(store, {
      workerId: 'w1',
      limit: 1,
      now: T0 + 14 * HOUR,
      leaseMs: 30_000,
    });
    await requeueFailedAttempt(store, second!, new Error('boom'), options(T0 + 14 * HOUR));
    const after = await rowOf(id);
    expect(after.status).toBe('failed');
    expect(after.lease_owner).toBeNull();
    expect(after.last_error).toBe('attempt failed: boom (gave up after 2 attempts)');
    // Settled for good: nothing is due any more.
    expect(await claimDue(store, { workerId: 'w1', limit: 1, now: T0 + 30 * HOUR, leaseMs: 30_000 })).toEqual(
      [],
    );
  });
});
