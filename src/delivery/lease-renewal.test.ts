// Issue 14, finding 8: delivery leases lasted 5 minutes and were never renewed, so a relay/mx
// delivery slower than the lease was sent twice, and work a killed process held waited 5 minutes.
// Now workers renew their leases while working, a stale attempt's settle is fenced by its attempt
// number, and the lease is short (SESAME_DELIVERY_LEASE_SECONDS); on both store engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { testDialects, type Store } from '../store/database.js';
import { claimDue, renewLeases, settle } from './lease.js';
import { notify } from './notify.js';
import { startDelivery } from './worker.js';
import { enqueue, eventually, openDeliveryStore, scriptedTransport, silentLog } from './test-support.js';
import type { Transport } from './transports/types.js';

describe.each(testDialects())('delivery leases (%s)', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDeliveryStore(dialect);
  });
  afterAll(async () => store.close());

  const status = async (id: string) =>
    (
      await store.db
        .selectFrom('outbox')
        .select('status')
        .where('message_id', '=', id)
        .executeTakeFirstOrThrow()
    ).status;

  it('a delivery three times slower than the lease is sent once, though two workers share the queue', async () => {
    const inner = scriptedTransport(() => 'delivered');
    // Like a relay answering after 1.2 s.
    const slow: Transport & { sent: typeof inner.sent } = {
      ...inner,
      async deliver(m) {
        await new Promise((r) => setTimeout(r, 1200));
        return inner.deliver(m);
      },
    };
    const tuning = { pollMs: 20, leaseMs: 400, stopTimeoutMs: 5000 };
    const a = startDelivery({
      store,
      config: loadConfig({}),
      log: silentLog,
      transport: slow,
      tuning,
      workerId: 'a',
    });
    const b = startDelivery({
      store,
      config: loadConfig({}),
      log: silentLog,
      transport: slow,
      tuning,
      workerId: 'b',
    });
    try {
      const id = await enqueue(store, ['rcpt@example.net']);
      notify('outbox');
      await eventually(async () => (await status(id)) === 'delivered', 10_000);
      // Leave the other worker time to take an expired lease over, as it used to.
      await new Promise((r) => setTimeout(r, 1500));
      expect(inner.sent.filter((m) => m.messageId === id)).toHaveLength(1);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 30_000);

  it('renewing extends only the leases still held by that attempt; a stale attempt cannot settle', async () => {
    const T0 = Date.now() + 3_600_000; // past anything other tests left due
    const id = await enqueue(store, ['x@example.net'], { createdAt: new Date(T0) });
    const [first] = await claimDue(store, { workerId: 'w', limit: 1, now: T0, leaseMs: 1000 });
    expect(first!.message_id).toBe(id);
    const held = await renewLeases(
      store,
      'w',
      [{ messageId: id, attempt: Number(first!.attempts) }],
      T0 + 500,
      1000,
    );
    expect([...held]).toEqual([id]);
    const row = await store.db
      .selectFrom('outbox')
      .selectAll()
      .where('message_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(row.lease_until)).toBe(T0 + 1500);
    // The lease expires anyway (the worker stalled), and the same worker claims the row again.
    await store.db
      .updateTable('outbox')
      .set({ status: 'queued', lease_owner: null })
      .where('message_id', '=', id)
      .execute();
    const [second] = await claimDue(store, { workerId: 'w', limit: 1, now: T0 + 3000, leaseMs: 1000 });
    expect(Number(second!.attempts)).toBe(Number(first!.attempts) + 1);
    // The first attempt has lost its lease: renewing does not count it, and its settle is refused.
    expect([
      ...(await renewLeases(
        store,
        'w',
        [{ messageId: id, attempt: Number(first!.attempts) }],
        T0 + 3100,
        1000,
      )),
    ]).toEqual([]);
    expect(await settle(store, id, 'w', { kind: 'done', status: 'delivered' }, Number(first!.attempts))).toBe(
      false,
    );
    expect(await status(id)).toBe('sending');
    expect(
      await settle(store, id, 'w', { kind: 'done', status: 'delivered' }, Number(second!.attempts)),
    ).toBe(true);
    expect(await status(id)).toBe('delivered');
  });

  it('a renewal that answers after its attempts finished marks nothing and throws nothing', async () => {
    // Renewal every 10 ms while attempts finish every few ms: a renewal's answer often arrives
    // after the attempt it covered was settled and forgotten. It used to look the attempt up again
    // and throw on the gap, an unhandled rejection (fatal to the process) each time.
    const unhandled: unknown[] = [];
    const collect = (e: unknown) => unhandled.push(e);
    process.prependListener('unhandledRejection', collect);
    const inner = scriptedTransport(() => 'delivered');
    const quick: Transport & { sent: typeof inner.sent } = {
      ...inner,
      async deliver(m) {
        await new Promise((r) => setTimeout(r, 3));
        return inner.deliver(m);
      },
    };
    const w = startDelivery({
      store,
      config: loadConfig({}),
      log: silentLog,
      transport: quick,
      tuning: { pollMs: 5, leaseMs: 30, stopTimeoutMs: 5000 },
      workerId: 'renewing',
    });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 200; i++) ids.push(await enqueue(store, [`r${i}@example.net`]));
      notify('outbox');
      await eventually(async () => ids.every((id) => quick.sent.some((m) => m.messageId === id)), 30_000);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await w.stop();
      process.off('unhandledRejection', collect);
    }
    expect(unhandled.map(String)).toEqual([]);
  }, 60_000);

  it('the lease comes from SESAME_DELIVERY_LEASE_SECONDS: 30 s by default (it was 5 minutes)', () => {
    expect(loadConfig({}).deliveryLeaseMs).toBe(30_000);
    expect(loadConfig({ SESAME_DELIVERY_LEASE_SECONDS: '5' }).deliveryLeaseMs).toBe(5_000);
  });
});
