// Inserts on the hot paths (outbox, audit, delivery events, captured mail): one compiled statement
// per table, column set, row count and conflict rule (compiled-query.ts), so Kysely builds and
// compiles the query once, not on every insert. Columns whose value is undefined are left out, as
// Kysely leaves them out; every row of one insert has the first row's columns.
import type { Database } from './schema.js';
import type { Store } from './database.js';
import type { Kysely } from 'kysely';
import { compiledQuery, compiledStatement, foldedStatement, type Param } from './compiled-query.js';

type Table = keyof Database & string;

export interface InsertOptions {
  /** ON CONFLICT (column) DO NOTHING. */
  conflictDoNothing?: string;
  /** RETURNING column: its value for every row inserted (with a conflict rule, the new ones only). */
  returning?: string;
  /**
   * No caller reads the result or catches the failure: on PostgreSQL the transaction holds the
   * insert and sends it with its other writes (folded-writes.ts). Not with `returning`.
   */
  folded?: boolean;
}

/** Row counts compiled once; a larger insert is built by Kysely each time (rare, and costs it less). */
const MAX_COMPILED_ROWS = 8;

type Run = (store: Store, values: readonly unknown[]) => Promise<unknown[] | void>;
const statements = new Map<string, Run>();

export async function insertRow<T extends Table>(
  store: Store,
  table: T,
  row: object,
  o: Pick<InsertOptions, 'folded'> = {},
): Promise<void> {
  await insertRows(store, table, [row], o);
}

/** Inserts `rows`; with `returning`, resolves to that column of each row inserted. */
export async function insertRows<T extends Table>(
  store: Store,
  table: T,
  objects: readonly object[],
  o: InsertOptions = {},
): Promise<unknown[]> {
  if (objects.length === 0) return [];
  const rows = objects as readonly Record<string, unknown>[];
  const first = rows[0]!;
  const keys = Object.keys(first).filter((k) => first[k] !== undefined);
  const values = rows.flatMap((r) => keys.map((k) => r[k]));
  const id = [
    table,
    keys.join(','),
    rows.length,
    o.conflictDoNothing ?? '',
    o.returning ?? '',
    !!o.folded,
  ].join('\u0000');
  let run = statements.get(id);
  if (!run) {
    // Only the shape is kept in the cached statement, never the rows (a captured message's bytes).
    const count = rows.length;
    const build = (db: Kysely<Database>, p: Param) => {
      const tuples = Array.from({ length: count }, (_, r) =>
        Object.fromEntries(keys.map((k, i) => [k, p(r * keys.length + i)])),
      );
      const q = db.insertInto(table).values(tuples as never);
      const guarded = o.conflictDoNothing
        ? q.onConflict((oc) => oc.column(o.conflictDoNothing as never).doNothing())
        : q;
      return o.returning ? guarded.returning(o.returning as never) : guarded;
    };
    if (o.returning && o.folded) throw new Error('a folded insert returns nothing');
    run = o.returning ? compiledQuery(build) : o.folded ? foldedStatement(build) : compiledStatement(build);
    if (count > MAX_COMPILED_ROWS) return rowsOf(await run(store, values), o);
    statements.set(id, run);
  }
  return rowsOf(await run(store, values), o);
}

const rowsOf = (out: unknown[] | void, o: InsertOptions): unknown[] =>
  o.returning && out ? out.map((r) => (r as Record<string, unknown>)[o.returning!]) : [];
