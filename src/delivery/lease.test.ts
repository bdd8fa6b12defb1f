import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testDialects, type Store } from '../store/database.js';
import { backoffMs, claimDue, reclaimExpired, releaseAll, settle } from './lease.js';
import { enqueue, openDeliveryStore, rawMessage } from './test-support.js';

describe.each(testDialects())('leases (%s)', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDeliveryStore(dialect);
  });
  afterAll(async () => store.close());
  beforeEach(async () => {
    await store.db.deleteFrom('outbox').execute();
  });

  const T0 = 1_800_000_000_000;

  it('claims due rows up to the limit, oldest first, and counts the attempt', async () => {
    const a = await enqueue(store, ['a@example.net'], { createdAt: new Date(T0) });
    const b = await enqueue(store, ['b@example.net'], { createdAt: new Date(T0 + 1) });
    await enqueue(store, ['c@example.net'], { createdAt: new Date(T0 + 10_000) }); // not due yet
    const rows = await claimDue(store, { workerId: 'w1', limit: 5, now: T0 + 5, leaseMs: 1000 });
    expect(rows.map((r) => r.message_id).sort()).toEqual([a, b].sort());
    for (const r of rows) {
      expect(r.status).toBe('sending');
      expect(r.lease_owner).toBe('w1');
      expect(Number(r.lease_until)).toBe(T0 + 1005);
      expect(Number(r.attempts)).toBe(1);
      // The bytes as accepted (outbox_bodies), with the claimed row.
      const to = r.message_id === a ? 'a@example.net' : 'b@example.net';
      expect(Buffer.from(r.raw)).toEqual(rawMessage({ messageId: r.message_id, to }));
    }
    const limited = await claimDue(store, { workerId: 'w2', limit: 1, now: T0 + 20_000, leaseMs: 1000 });
    expect(limited).toHaveLength(1);
  });

  it('never gives one row to two concurrent claimers', async () => {
    const ids = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        enqueue(store, [`r${i}@example.net`], { createdAt: new Date(T0) }),
      ),
    );
    const results = await Promise.all(
      ['w1', 'w2', 'w3', 'w4'].map((w) =>
        claimDue(store, { workerId: w, limit: 10, now: T0 + 1, leaseMs: 60_000 }),
      ),
    );
    const claimed = results.flat().map((r) => r.message_id);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.length).toBe(30);
    expect(new Set(claimed)).toEqual(new Set(ids));
  });

  it('reclaims a row whose lease expired, not one still leased', async () => {
    const id = await enqueue(store, ['a@example.net'], { createdAt: new Date(T0) });
    await claimDue(store, { workerId: 'dead', limit: 1, now: T0, leaseMs: 1000 });
    expect(await reclaimExpired(store, T0 + 1000)).toBe(0);
    expect(await claimDue(store, { workerId: 'w2', limit: 1, now: T0 + 1000, leaseMs: 1000 })).toEqual([]);
    expect(await reclaimExpired(store, T0 + 1001)).toBe(1);
    const again = await claimDue(store, { workerId: 'w2', limit: 1, now: T0 + 1001, leaseMs: 1000 });
    expect(again.map((r) => [r.message_id, r.lease_owner, Number(r.attempts)])).toEqual([[id, 'w2', 2]]);
    // The dead worker can no longer settle it.
    expect(await settle(store, id, 'dead', { kind: 'done', status: 'delivered' })).toBe(false);
    expect(await settle(store, id, 'w2', { kind: 'done', status: 'delivered' })).toBe(true);
    const row = await store.db
      .selectFrom('outbox')
      .selectAll()
      .where('message_id', '=', id)
      .executeTakeFirstOrThrow();
    expect([row.status, row.lease_owner, row.lease_until]).toEqual(['delivered', null, null]);
  });

  it('reschedules a retry and releases a holder’s rows', async () => {
    const id = await enqueue(store, ['a@example.net'], { createdAt: new Date(T0) });
    await claimDue(store, { workerId: 'w1', limit: 1, now: T0, leaseMs: 60_000 });
    expect(
      await settle(store, id, 'w1', { kind: 'retry', nextAttemptAt: T0 + 500, error: '451 later' }),
    ).toBe(true);
    let row = await store.db
      .selectFrom('outbox')
      .selectAll()
      .where('message_id', '=', id)
      .executeTakeFirstOrThrow();
    expect([row.status, Number(row.next_attempt_at), row.last_error, row.lease_owner]).toEqual([
      'queued',
      T0 + 500,
      '451 later',
      null,
    ]);
    expect(await claimDue(store, { workerId: 'w1', limit: 1, now: T0 + 499, leaseMs: 60_000 })).toEqual([]);
    expect(await claimDue(store, { workerId: 'w1', limit: 1, now: T0 + 500, leaseMs: 60_000 })).toHaveLength(
      1,
    );
    expect(await releaseAll(store, 'other')).toBe(0);
    expect(await releaseAll(store, 'w1')).toBe(1);
    row = await store.db
      .selectFrom('outbox')
      .selectAll()
      .where('message_id', '=', id)
      .executeTakeFirstOrThrow();
    expect([row.status, row.lease_owner, row.lease_until]).toEqual(['queued', null, null]);
  });
});

describe('backoffMs', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 10].map((a) => backoffMs(a, 100, 1000))).toEqual([100, 200, 400, 800, 1000]);
  });
});
