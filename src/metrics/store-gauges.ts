// Gauges read from the store at scrape time (not on any request path): the outbox's depth and its
// oldest message, event publishing's backlog and dead letters, the connection pool, and whether the
// store answers at all. A scrape while the store is down reports sesame_store_up 0. Every process of
// a node reads the same store: across its workers the store's figures are not summed (max; min for
// whether it is up), the pools' are.
import client from 'prom-client';
import { sql } from 'kysely';
import { poolOf, type Store } from '../store/database.js';
import { beforeScrape, registry } from './registry.js';

let watched: Store | undefined;

/** Scrapes read this store (the server's); returns the function that stops it. */
export function watchStore(store: Store): () => void {
  watched = store;
  return () => {
    if (watched === store) watched = undefined;
  };
}

interface Snapshot {
  up: boolean;
  outbox: { status: string; n: number; oldest: number | null }[];
  publications: number;
  deadLetters: number;
}

let last: Promise<Snapshot> | undefined;
beforeScrape(() => (last = undefined));

async function read(store: Store): Promise<Snapshot> {
  try {
    const outbox = await store.db
      .selectFrom('outbox')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('status', 'in', ['queued', 'sending'])
      .groupBy('status')
      .execute();
    const [pub] = await sql<{ n: number }>`select count(*) as n from event_publications`
      .execute(store.db)
      .then((r) => r.rows);
    const [dead] = await sql<{ n: number }>`select count(*) as n from event_dead_letters`
      .execute(store.db)
      .then((r) => r.rows);
    return {
      up: true,
      outbox: outbox.map((r) => ({
        status: r.status,
        n: Number(r.n),
        oldest: r.oldest === null ? null : Number(r.oldest),
      })),
      publications: Number(pub?.n ?? 0),
      deadLetters: Number(dead?.n ?? 0),
    };
  } catch {
    return { up: false, outbox: [], publications: 0, deadLetters: 0 };
  }
}

/** One read per scrape, shared by the gauges below. */
function snapshot(store: Store): Promise<Snapshot> {
  return (last ??= read(store));
}

const registers = [registry];

new client.Gauge({
  name: 'sesame_store_up',
  help: '1 when the store answered the last scrape, 0 when it did not',
  registers,
  aggregator: 'min',
  async collect() {
    if (watched) this.set((await snapshot(watched)).up ? 1 : 0);
  },
});

new client.Gauge({
  name: 'sesame_outbox_messages',
  help: 'Accepted messages not yet delivered, by status: queued (waiting for a worker or a retry), sending (leased by a worker)',
  labelNames: ['status'] as const,
  registers,
  aggregator: 'max',
  async collect() {
    if (!watched) return;
    const s = await snapshot(watched);
    if (!s.up) return;
    for (const status of ['queued', 'sending'])
      this.set({ status }, s.outbox.find((r) => r.status === status)?.n ?? 0);
  },
});

new client.Gauge({
  name: 'sesame_outbox_oldest_age_seconds',
  help: 'Age of the oldest message not yet delivered (0 when the outbox is empty)',
  registers,
  aggregator: 'max',
  async collect() {
    if (!watched) return;
    const s = await snapshot(watched);
    if (!s.up) return;
    const oldest = Math.min(...s.outbox.map((r) => r.oldest ?? Infinity));
    this.set(Number.isFinite(oldest) ? Math.max(0, (Date.now() - oldest) / 1000) : 0);
  },
});

new client.Gauge({
  name: 'sesame_event_publications_pending',
  help: 'SES events waiting to be POSTed to an SNS subscriber or the EventBridge webhook',
  registers,
  aggregator: 'max',
  async collect() {
    if (!watched) return;
    const s = await snapshot(watched);
    if (s.up) this.set(s.publications);
  },
});

new client.Gauge({
  name: 'sesame_event_dead_letters',
  help: 'Event publications given up after their last attempt (table event_dead_letters)',
  registers,
  aggregator: 'max',
  async collect() {
    if (!watched) return;
    const s = await snapshot(watched);
    if (s.up) this.set(s.deadLetters);
  },
});

new client.Gauge({
  name: 'sesame_store_pool_connections',
  help: 'PostgreSQL connections of this node, by state (open, idle) and callers waiting for one (waiting)',
  labelNames: ['state'] as const,
  registers,
  collect() {
    const pool = watched && poolOf(watched);
    if (!pool) return;
    const s = pool.stats();
    this.set({ state: 'open' }, s.total);
    this.set({ state: 'idle' }, s.idle);
    this.set({ state: 'waiting' }, s.waiting);
  },
});
