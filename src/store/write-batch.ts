// Group commit: writes that arrive together (the outbox rows, ledger and audit records of the
// requests in flight) share one transaction, so a busy server pays one commit for many requests
// instead of one each. Every caller still learns of its own write only once it is committed.
// If the shared transaction fails, it is rolled back and each write is retried in a transaction of
// its own, so one bad write fails only its caller.
import { BUSY_TIMEOUT_MS, sqliteHandleOf, type SqliteHandle, type Store } from './database.js';

export type Write<T> = (tx: Store) => Promise<T>;

interface Pending {
  work: Write<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Batcher {
  queue: Pending[];
  writes: number;
  transactions: number;
  /** A flush is scheduled or its transaction is running: new writes wait for the next one. */
  busy: boolean;
}

/** Most writes in one transaction: bounds the time others wait for the connection. */
const MAX_BATCH = 256;

const batchers = new WeakMap<object, Batcher>();

/** Runs `work` in a transaction shared with the other writes queued in the same turn of the event loop. */
export function batchedWrite<T>(store: Store, work: Write<T>): Promise<T> {
  let b = batchers.get(store.key);
  if (!b) batchers.set(store.key, (b = { queue: [], busy: false, writes: 0, transactions: 0 }));
  const batcher = b;
  return new Promise<T>((resolve, reject) => {
    batcher.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
    if (!batcher.busy) {
      batcher.busy = true;
      // setImmediate: after the current poll phase, so requests that arrived together share it.
      setImmediate(() => void drain(store, batcher));
    }
  });
}

/**
 * A write that shares SQLite's batch but not a PostgreSQL transaction. On SQLite one writer commits
 * everything, so joining the batch costs nobody a lock and saves a commit. On PostgreSQL a shared
 * transaction only adds BEGIN/COMMIT round trips to a single statement (`'statement'`: it runs
 * autocommitted), and a settle sharing one would hold several outbox rows while lease renewals lock
 * them in another order (`'transaction'`: a transaction of its own).
 */
export function batchedOnSqlite<T>(
  store: Store,
  onPostgres: 'statement' | 'transaction',
  work: Write<T>,
): Promise<T> {
  if (store.dialect === 'sqlite') return batchedWrite(store, work);
  return onPostgres === 'statement' ? work(store) : inTransaction(store, work);
}

/** Writes and shared transactions so far (the benchmark reports writes per commit). */
export function batchStats(store: Store): { writes: number; transactions: number } {
  const b = batchers.get(store.key);
  return { writes: b?.writes ?? 0, transactions: b?.transactions ?? 0 };
}

/** One transaction at a time; what queued up meanwhile goes into the next (group commit). */
async function drain(store: Store, b: Batcher): Promise<void> {
  while (b.queue.length > 0) {
    const batch = b.queue.splice(0, MAX_BATCH);
    b.writes += batch.length;
    b.transactions++;
    await flush(store, batch);
  }
  b.busy = false;
}

async function flush(store: Store, batch: Pending[]): Promise<void> {
  if (batch.length === 1) return runAlone(store, batch[0]!);
  let results: unknown[];
  try {
    results = await inTransaction(store, async (tx) => {
      const out: unknown[] = [];
      for (const p of batch) out.push(await p.work(tx));
      return out;
    });
  } catch {
    // Someone's write failed (or the commit did): nothing of the batch was kept; one by one.
    for (const p of batch) await runAlone(store, p);
    return;
  }
  batch.forEach((p, i) => p.resolve(results[i]));
}

async function runAlone(store: Store, p: Pending): Promise<void> {
  try {
    p.resolve(await inTransaction(store, p.work));
  } catch (e) {
    p.reject(e);
  }
}

/**
 * One transaction of its own (not shared with the batch). On SQLite the batcher holds Kysely's connection and drives BEGIN/COMMIT on it
 * directly, handing the writes a view with `syncRun` so the hot one-row writes skip Kysely's
 * per-query promise chain; other queries go through the connection-bound Kysely as usual.
 */
export async function inTransaction<T>(store: Store, work: Write<T>): Promise<T> {
  const handle = sqliteHandleOf(store);
  if (!handle) return store.db.transaction().execute((trx) => work({ ...store, db: trx }));
  for (let tries = 0; ; tries++) {
    const out = await store.db.connection().execute(async (conn) => {
      if (!beginImmediate(handle, store.shared && tries < MAX_TRIES)) return BUSY;
      try {
        const value = await work({ ...store, db: conn, syncRun: syncRunner(handle) });
        handle.prepare('COMMIT').run();
        return { value };
      } catch (e) {
        if (handle.inTransaction) handle.prepare('ROLLBACK').run();
        throw e;
      }
    });
    if (out !== BUSY) return out.value;
    // Another process holds the write lock: serve what else is waiting, then try again (the batch
    // meanwhile grows). SQLite's own busy handler would sleep with the event loop stopped.
    await new Promise((r) => (tries < 2 ? setImmediate(r) : setTimeout(r, 1)));
  }
}

const BUSY = Symbol('busy');
/** Non-blocking attempts at the write lock before one that waits (busy_timeout) like any other. */
const MAX_TRIES = 2000;

/** BEGIN IMMEDIATE: the write lock now. `tryOnly`: false at once if another process holds it. */
function beginImmediate(handle: SqliteHandle, tryOnly: boolean): boolean {
  if (!tryOnly) {
    handle.prepare('BEGIN IMMEDIATE').run();
    return true;
  }
  handle.prepare('PRAGMA busy_timeout = 0').get();
  try {
    handle.prepare('BEGIN IMMEDIATE').run();
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_BUSY') return false;
    throw e;
  } finally {
    handle.prepare(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`).get();
  }
}

type SyncRun = (sql: string, parameters: readonly unknown[]) => unknown[];
const runners = new WeakMap<SqliteHandle, SyncRun>();

function syncRunner(handle: SqliteHandle): SyncRun {
  let run = runners.get(handle);
  if (!run) {
    run = (sql, parameters) => {
      const statement = handle.prepare(sql);
      if (statement.reader) return statement.all(...parameters);
      statement.run(...parameters);
      return [];
    };
    runners.set(handle, run);
  }
  return run;
}
