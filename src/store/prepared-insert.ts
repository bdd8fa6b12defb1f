// Single-row inserts on the hot paths (outbox, audit) with their SQL compiled once per table and
// column set: Kysely builds and compiles a query tree on every call, which costs more than SQLite
// takes to run the insert. The SQL still comes from Kysely's compiler for the store's dialect.
import type { CompiledQuery } from 'kysely';
import type { Database } from './schema.js';
import type { Store } from './database.js';
import { runCompiled } from './compiled-query.js';

const compiled = new Map<string, CompiledQuery | null>();

export async function insertRow<T extends keyof Database & string>(
  store: Store,
  table: T,
  row: Record<string, unknown>,
): Promise<void> {
  const keys = Object.keys(row);
  const key = `${store.dialect}\u0000${table}\u0000${keys.join(',')}`;
  let q = compiled.get(key);
  if (q === undefined) {
    const c = store.db
      .insertInto(table)
      .values(row as never)
      .compile();
    // Cacheable only when every column is one parameter, in the row's key order.
    q = c.parameters.length === keys.length && keys.every((k, i) => c.parameters[i] === row[k]) ? c : null;
    compiled.set(key, q);
    if (q === null) {
      await store.db.executeQuery(c);
      return;
    }
  }
  if (q === null) {
    await store.db
      .insertInto(table)
      .values(row as never)
      .execute();
    return;
  }
  await runCompiled(
    store,
    q.sql,
    keys.map((k) => row[k]),
  );
}
