// One store interface, two engines (DESIGN.md rule 7): embedded SQLite (better-sqlite3 12, WAL) by
// default, PostgreSQL when a URL is configured. Same schema, same queries, via Kysely.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrate.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  /** The store's identity, kept by transaction views (`{ ...store, db: trx }`): per-store state in
   * memory (generations, caches) is keyed on it, so a write through a transaction finds it too. */
  key: object;
  dialect: Dialect;
  /**
   * Set only on the transaction view the write batcher hands to SQLite writes (it holds the
   * connection and has begun the transaction): runs one statement synchronously, without Kysely's
   * per-query promise chain. Hot-path writes use it when present (`runCompiled`).
   */
  syncRun?: (sql: string, parameters: readonly unknown[]) => void;
  close(): Promise<void>;
}

/** The SQLite connection behind a store, for code that holds Kysely's connection (write batches). */
export interface SqliteHandle {
  prepare(text: string): BetterSqlite3.Statement;
  readonly inTransaction: boolean;
}

const sqliteHandles = new WeakMap<object, SqliteHandle>();

/** The store's SQLite connection (undefined on PostgreSQL). Use only while holding the connection. */
export function sqliteHandleOf(store: Store): SqliteHandle | undefined {
  return sqliteHandles.get(store.key);
}

export interface StoreOptions {
  /** Folder of the SQLite file (created if missing). */
  dataDir: string;
  /** `postgres://…`; when set, PostgreSQL is used and dataDir holds only keys. */
  databaseUrl?: string;
  /** SQLite only: `:memory:` for throwaway stores in tests. */
  sqliteFile?: string;
  /** SQLite only: a failure of the background checkpointer (checkpoints then return to commits). */
  onBackgroundError?: (message: string) => void;
}

// int8 (bigint) columns hold epoch milliseconds and counters well inside 2^53: read them as numbers.
pg.types.setTypeParser(20, (v: string) => Number(v));

export async function openStore(opts: StoreOptions): Promise<Store> {
  let db: Kysely<Database>;
  let dialect: Dialect;
  let startBackground: (() => Checkpointer) | undefined;
  let handle: SqliteHandle | undefined;
  let connectionsClosed: (() => Promise<void>) | undefined;
  if (opts.databaseUrl) {
    dialect = 'postgres';
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // pool.end() resolves once it has asked its connections to end, not once they have: close()
    // also waits for each socket, so whoever drops or stops the database next races no closing
    // connection (a backend terminated mid-close is an unhandled 'error' on its client).
    const open = new Set<pg.Client>();
    pool.on('connect', (client) => {
      open.add(client);
      client.once('end', () => open.delete(client));
    });
    connectionsClosed = () =>
      Promise.all([...open].map((c) => new Promise<void>((r) => c.once('end', () => r())))).then(() => {});
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  } else {
    dialect = 'sqlite';
    const file = opts.sqliteFile ?? join(opts.dataDir, 'sesame.db');
    if (file !== ':memory:') mkdirSync(opts.dataDir, { recursive: true });
    const sqlite = new BetterSqlite3(file);
    sqlite.pragma('journal_mode = WAL');
    // WAL + NORMAL survives a process crash (kill -9) with every committed transaction; FULL would
    // also survive power loss at the price of an fsync per commit.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const cached = withStatementCache(sqlite);
    handle = {
      prepare: (text) => cached.prepare(text),
      get inTransaction() {
        return sqlite.inTransaction;
      },
    };
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) });
    if (file !== ':memory:') startBackground = () => startCheckpointer(sqlite, file, opts.onBackgroundError);
  }
  await migrateToLatest(db, dialect);
  const checkpointer = startBackground?.();
  const key = {};
  if (handle) sqliteHandles.set(key, handle);
  return {
    db,
    dialect,
    key,
    close: async () => {
      await checkpointer?.stop();
      const closed = connectionsClosed?.();
      await db.destroy();
      await closed;
    },
  };
}

/** Most distinct SQL texts kept prepared; the app issues a few hundred at most. */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query anew; compiling the SQL costs more than running it
 * on the hot paths. Statements are reusable with different parameters, so one is kept per SQL text
 * (least recently used dropped past `cap`). A statement still being iterated (a streamed select)
 * cannot run twice at once: then a fresh, uncached one is prepared.
 */
export function withStatementCache(
  sqlite: BetterSqlite3.Database,
  cap = STATEMENT_CACHE_SIZE,
): Omit<SqliteDatabase, 'prepare'> & { prepare(text: string): BetterSqlite3.Statement; cacheSize(): number } {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare(text: string) {
      const hit = cache.get(text);
      if (hit) {
        if (hit.busy) return sqlite.prepare(text);
        cache.delete(text); // re-insert: Map order is recency order
        cache.set(text, hit);
        return hit;
      }
      const stmt = sqlite.prepare(text);
      cache.set(text, stmt);
      if (cache.size > cap) cache.delete(cache.keys().next().value!);
      return stmt;
    },
    cacheSize: () => cache.size,
  };
}

/** A fresh, empty store for tests: in-memory SQLite, or a new schema in the test PostgreSQL. */
export async function openTestStore(kind: Dialect = 'sqlite'): Promise<Store> {
  if (kind === 'sqlite') return openStore({ dataDir: '', sqliteFile: ':memory:' });
  const url = process.env.SESAME_TEST_DATABASE_URL;
  if (!url)
    throw new Error('SESAME_TEST_DATABASE_URL is not set (the vitest global setup starts PostgreSQL)');
  // A database per store keeps parallel test files apart.
  const name = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const store = await openStore({ dataDir: '', databaseUrl: url.replace(/\/[^/]*$/, `/${name}`) });
  return {
    ...store,
    close: async () => {
      await store.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The engines the suite runs against: SQLite always, PostgreSQL when the harness started one. */
export function testDialects(): Dialect[] {
  return process.env.SESAME_TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export { sql };
