import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testDialects, type Store } from '../../store/database.js';
import type { EventPublicationRow } from '../../store/schema/publishing.js';
import { ACCOUNT, openDeliveryStore, silentLog } from '../test-support.js';
import { startPublisher, type PublisherHandle } from './publisher.js';

const T0 = 1_800_000_000_000;
const KEY = Buffer.alloc(32, 3);

/** A loopback endpoint answering every POST with `status`; records the bodies. */
async function endpoint(status: number) {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { bodies, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.each(testDialects())('publisher claims (%s)', (dialect) => {
  let store: Store;
  let failing: Awaited<ReturnType<typeof endpoint>>;
  let ok: Awaited<ReturnType<typeof endpoint>>;
  beforeAll(async () => {
    store = await openDeliveryStore(dialect);
    failing = await endpoint(500);
    ok = await endpoint(200);
  });
  afterAll(async () => {
    await failing.close();
    await ok.close();
    await store.close();
  });
  beforeEach(async () => {
    await store.db.deleteFrom('event_publications').execute();
    failing.bodies.length = 0;
    ok.bodies.length = 0;
  });

  const publication = (id: string, url: string, over: Partial<EventPublicationRow> = {}) => ({
    publication_id: id,
    event_id: `event-${id}`,
    message_id: 'm1',
    account_id: ACCOUNT,
    kind: 'eventbridge',
    target: 'arn:aws:events:us-east-1:111111111111:event-bus/default',
    url,
    body: JSON.stringify({ id }),
    attempts: 0,
    next_attempt_at: T0,
    lease_until: 0,
    last_error: null,
    created_at: T0 - 10_000,
    ...over,
  });

  /**
   * A publisher whose clock starts at 0, when nothing is due, so its own first round claims nothing
   * and it then sleeps; the test sets the clock and runs rounds itself.
   */
  function publisher(tuning: { batch: number }) {
    const clock = { ms: 0 };
    const p: PublisherHandle = startPublisher({
      store,
      key: KEY,
      log: silentLog,
      now: () => new Date(clock.ms),
      tuning: { ...tuning, pollMs: 3_600_000, retryBaseMs: 1000, retryMaxMs: 5000, maxAttempts: 8 },
    });
    return { p, clock };
  }

  const rowsById = async () =>
    Object.fromEntries(
      (await store.db.selectFrom('event_publications').selectAll().execute()).map((r) => [
        r.publication_id,
        [Number(r.attempts), Number(r.next_attempt_at), Number(r.lease_until), r.last_error],
      ]),
    );

  it('leases due, unleased rows in one batch up to the limit, oldest first, and backs off failures', async () => {
    await store.db
      .insertInto('event_publications')
      .values([
        publication('p1', failing.url, { next_attempt_at: T0 - 4, attempts: 0 }),
        publication('p2', failing.url, { next_attempt_at: T0 - 3, attempts: 2 }),
        publication('p3', failing.url, { next_attempt_at: T0 - 2, attempts: 5 }),
        publication('p4', failing.url, { next_attempt_at: T0 - 1, attempts: 1 }),
        publication('later', failing.url, { next_attempt_at: T0 + 1 }),
        publication('leased', failing.url, { next_attempt_at: T0 - 9, lease_until: T0 + 500 }),
      ])
      .execute();
    const { p, clock } = publisher({ batch: 3 });
    try {
      clock.ms = T0;
      expect(await p.runOnce()).toBe(3);
      expect(failing.bodies.map((b) => (JSON.parse(b) as { id: string }).id).sort()).toEqual([
        'p1',
        'p2',
        'p3',
      ]);
      // Backoff base·2^(attempt-1) capped at retryMaxMs; the lease is given back.
      expect(await rowsById()).toEqual({
        p1: [1, T0 + 1000, 0, 'HTTP 500'],
        p2: [3, T0 + 4000, 0, 'HTTP 500'],
        p3: [6, T0 + 5000, 0, 'HTTP 500'],
        p4: [1, T0 - 1, 0, null],
        later: [0, T0 + 1, 0, null],
        leased: [0, T0 - 9, T0 + 500, null],
      });
      // Next round: only p4 is due and unleased.
      expect(await p.runOnce()).toBe(1);
      expect(failing.bodies).toHaveLength(4);
      expect((await rowsById()).p4).toEqual([2, T0 + 2000, 0, 'HTTP 500']);
      // Once the lease has expired, the leased row is due again.
      clock.ms = T0 + 501;
      expect(await p.runOnce()).toBe(2); // `leased` and `later`
      expect(
        failing.bodies
          .slice(4)
          .map((b) => (JSON.parse(b) as { id: string }).id)
          .sort(),
      ).toEqual(['later', 'leased']);
    } finally {
      await p.stop();
    }
  });

  it('never gives one publication to two concurrent publishers', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `c${String(i).padStart(3, '0')}`);
    await store.db
      .insertInto('event_publications')
      .values(ids.map((id, i) => publication(id, ok.url, { next_attempt_at: T0 - i })))
      .execute();
    const publishers = Array.from({ length: 4 }, () => publisher({ batch: 5 }));
    for (const x of publishers) x.clock.ms = T0;
    try {
      let claimed = 0;
      let largest = 0;
      for (let round = 0; round < 20 && claimed < ids.length; round++) {
        const counts = await Promise.all(publishers.flatMap((x) => [x.p.runOnce(), x.p.runOnce()]));
        claimed += counts.reduce((m, n) => m + n, 0);
        largest = Math.max(largest, ...counts);
      }
      expect(largest).toBeLessThanOrEqual(5); // no claim past its batch
      expect(ok.bodies.map((body) => (JSON.parse(body) as { id: string }).id).sort()).toEqual(ids);
      expect(claimed).toBe(ids.length);
      expect(await store.db.selectFrom('event_publications').selectAll().execute()).toEqual([]);
    } finally {
      await Promise.all(publishers.map((x) => x.p.stop()));
    }
  });
  it('leaves a row whose lease it lost to the publisher that holds it now', async () => {
    // An endpoint that answers only when told to, so a round can outlive its lease.
    const waiting: ((status: number) => void)[] = [];
    const slow = createServer((req, res) => {
      req.resume();
      req.on('end', () =>
        waiting.push((status) => {
          res.statusCode = status;
          res.end();
        }),
      );
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/hook`;
    await store.db.insertInto('event_publications').values(publication('fenced', url)).execute();
    const a = publisher({ batch: 5 });
    const b = publisher({ batch: 5 });
    try {
      a.clock.ms = T0;
      const roundA = a.p.runOnce();
      while (waiting.length < 1) await new Promise((r) => setTimeout(r, 5));
      // A's lease (60 s) runs out; B takes the row and posts it too.
      b.clock.ms = T0 + 60_001;
      const roundB = b.p.runOnce();
      while (waiting.length < 2) await new Promise((r) => setTimeout(r, 5));
      const leasedByB = T0 + 60_001 + 60_000;
      waiting[0]!(500); // A's post fails: A must not reset B's lease nor count an attempt
      expect(await roundA).toBe(1);
      expect(await rowsById()).toEqual({ fenced: [0, T0, leasedByB, null] });
      waiting[1]!(200); // B's succeeds: B removes it
      expect(await roundB).toBe(1);
      expect(await rowsById()).toEqual({});
    } finally {
      await Promise.all([a.p.stop(), b.p.stop()]);
      slow.closeAllConnections();
      await new Promise((r) => slow.close(r));
    }
  });
});
