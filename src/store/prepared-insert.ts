// Single-row inserts on the hot paths (outbox, audit): one compiled statement per table and column
// set (compiled-query.ts), so Kysely builds and compiles the query once, not on every insert.
// Columns whose value is undefined are left out, as Kysely leaves them out.
import type { Database } from './schema.js';
import type { Store } from './database.js';
import { compiledStatement } from './compiled-query.js';

type Insert = ReturnType<typeof compiledStatement>;
const statements = new Map<string, Insert>();

export async function insertRow<T extends keyof Database & string>(
  store: Store,
  table: T,
  row: Record<string, unknown>,
): Promise<void> {
  const keys = Object.keys(row).filter((k) => row[k] !== undefined);
  const id = `${table}\u0000${keys.join(',')}`;
  let insert = statements.get(id);
  if (!insert) {
    insert = compiledStatement((db, p) =>
      db.insertInto(table).values(Object.fromEntries(keys.map((k, i) => [k, p(i)])) as never),
    );
    statements.set(id, insert);
  }
  await insert(
    store,
    keys.map((k) => row[k]),
  );
}
