// For migration tests: an empty database of either engine, to migrate step by step.
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { dropTestDatabase, type Dialect } from '../database.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;

/** An empty database of `dialect` (foreign keys enforced, as the store's connections do). */
export async function emptyDatabase(dialect: Dialect): Promise<{ db: AnyDb; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const sqlite = new BetterSqlite3(':memory:');
    sqlite.pragma('foreign_keys = ON');
    const db: AnyDb = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, drop: () => db.destroy() };
  }
  const url = process.env.SESAME_TEST_DATABASE_URL!;
  const name = `m_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: url.replace(/\/[^/]*$/, `/${name}`) });
  const db: AnyDb = new Kysely({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    drop: async () => {
      await db.destroy();
      await dropTestDatabase(url, name);
    },
  };
}
