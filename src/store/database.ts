// One store interface, two engines (docs/architecture.md rule 7): embedded SQLite (better-sqlite3 12, WAL) by
// default, PostgreSQL when a URL is configured. Same schema, same queries, via Kysely.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import { FoldingPostgresDialect } from './folded-writes.js';
import { migrateToLatest } from './migrate.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import {
  createPostgresPool,
  postgresAddress,
  waitUntilReachable,
  type PoolLog,
  type SesamePool,
} from './postgres-pool.js';
import type { Database } from './schema.js';
import { ImmediateSqliteDialect } from './sqlite-dialect.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  /** The store's identity, kept by transaction views (`{ ...store, db: trx }`): per-store state in
   * memory (generations, caches) is keyed on it, so a write through a transaction finds it too. */
  key: object;
  dialect: Dialect;
  /**
   * Other processes write this store too (PostgreSQL always; SQLite when a node runs several
   * workers): what this process counts in memory (rate, quota) is then decided in the store.
   */
  shared: boolean;
  /**
   * Set only on the transaction view the write batcher hands to SQLite writes (it holds the
   * connection and has begun the transaction): runs one statement synchronously, without Kysely's
   * per-query promise chain. Hot-path writes use it when present (`runCompiled`, `compiledQuery`);
   * a statement that returns rows (a select, `returning`) answers them.
   */
  syncRun?: (sql: string, parameters: readonly unknown[]) => unknown[];
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
  /** PostgreSQL: connections kept at most (default 10). */
  poolSize?: number;
  /** PostgreSQL: how long to wait for an unreachable server before giving up (default 0). */
  waitMs?: number;
  /** PostgreSQL: a query not answered in this time has its connection closed (default 30 s). */
  queryTimeoutMs?: number;
  /** Where lost connections and the wait at start are reported. */
  log?: PoolLog;
  /** Refuse (StoreMissingError) instead of creating a store where none is (operator commands). */
  mustExist?: boolean;
  /**
   * SQLite: other processes of this node write the file too (src/cluster/). Then this one leaves
   * WAL checkpoints to the process that runs them (the primary).
   */
  sharedWriters?: boolean;
  /** SQLite: run WAL checkpoints in a worker thread of this process (default true). */
  checkpoints?: boolean;
}

/** No Sesame store where one was expected: a command run from the wrong folder, a wrong URL. */
export class StoreMissingError extends Error {
  readonly exitCode = 2;
}

const pools = new WeakMap<object, SesamePool>();

/** SQLite: how long a statement waits for another process's lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

/** The PostgreSQL pool behind a store (undefined on SQLite): its size and queue, for metrics. */
export function poolOf(store: Store): SesamePool | undefined {
  return pools.get(store.key);
}

// int8 (bigint) columns hold epoch milliseconds and counters well inside 2^53: read them as numbers.
pg.types.setTypeParser(20, (v: string) => Number(v));

export async function openStore(opts: StoreOptions): Promise<Store> {
  let db: Kysely<Database>;
  let dialect: Dialect;
  let startBackground: (() => Checkpointer) | undefined;
  let handle: SqliteHandle | undefined;
  let pgPool: SesamePool | undefined;
  if (opts.databaseUrl) {
    dialect = 'postgres';
    pgPool = createPostgresPool({
      url: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      queryTimeoutMs: opts.queryTimeoutMs ?? 30_000,
      ...(opts.log ? { log: opts.log } : {}),
    });
    db = new Kysely<Database>({ dialect: new FoldingPostgresDialect({ pool: pgPool.pool as pg.Pool }) });
    try {
      await waitUntilReachable(pgPool, opts.databaseUrl, opts.waitMs ?? 0, opts.log);
      const { rows } = await sql<{
        t: string | null;
      }>`select to_regclass('kysely_migration')::text as t`.execute(db);
      if (opts.mustExist && !rows[0]?.t)
        throw new StoreMissingError(
          `SESAME_DATABASE_URL: the database at ${postgresAddress(opts.databaseUrl)} holds no Sesame store`,
        );
    } catch (e) {
      await db.destroy();
      throw e;
    }
  } else {
    dialect = 'sqlite';
    const file = opts.sqliteFile ?? join(opts.dataDir, 'sesame.db');
    if (opts.mustExist && file !== ':memory:' && !existsSync(file))
      throw new StoreMissingError(`SESAME_DATA_DIR: no Sesame store in ${resolve(opts.dataDir)} (sesame.db)`);
    if (file !== ':memory:') createPrivateFile(opts.dataDir, file);
    const sqlite = new BetterSqlite3(file);
    sqlite.pragma('journal_mode = WAL');
    // WAL + NORMAL survives a process crash (kill -9) with every committed transaction; FULL would
    // also survive power loss at the price of an fsync per commit.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const cached = withStatementCache(sqlite);
    handle = {
      prepare: (text) => cached.prepare(text),
      get inTransaction() {
        return sqlite.inTransaction;
      },
    };
    db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: cached }) });
    if (file !== ':memory:' && opts.checkpoints !== false)
      startBackground = () => startCheckpointer(sqlite, file, opts.onBackgroundError);
    // Another process checkpoints; this one only if that one is gone and the WAL grows past 40 MB.
    else if (file !== ':memory:') sqlite.pragma('wal_autocheckpoint = 10000');
  }
  await migrateToLatest(db, dialect);
  pgPool?.armQueryTimeout();
  const checkpointer = startBackground?.();
  const key = {};
  if (handle) sqliteHandles.set(key, handle);
  if (pgPool) pools.set(key, pgPool);
  return {
    db,
    dialect,
    key,
    shared: dialect === 'postgres' || opts.sharedWriters === true,
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/**
 * The database file and its folder readable by their owner only: mail, audit records and sealed
 * secrets are nobody else's business. SQLite gives its -wal and -shm files the database's mode.
 */
function createPrivateFile(dir: string, file: string): void {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
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
      await dropTestDatabase(url, name);
    },
  };
}

/**
 * Drops a test database once its connections are gone. The pool's end() resolves while its clients
 * are still saying goodbye; dropping WITH (FORCE) then would kill one mid-way, and its FATAL reply
 * would surface as an uncaught error in the test run. So: without FORCE, retried for up to 5 s.
 */
export async function dropTestDatabase(adminUrl: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    for (let tries = 0; ; tries++) {
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name}${tries >= 100 ? ' WITH (FORCE)' : ''}`);
        return;
      } catch (e) {
        // 55006: the database is being accessed by other users.
        if ((e as { code?: string }).code !== '55006') throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } finally {
    await c.end();
  }
}

/** The engines the suite runs against: SQLite always, PostgreSQL when the harness started one. */
export function testDialects(): Dialect[] {
  return process.env.SESAME_TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export { sql };
