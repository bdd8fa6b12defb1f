// Hot-path statements with their SQL compiled once per dialect: Kysely builds and compiles a query
// tree on every call, which costs more than SQLite takes to run a one-row write. The SQL still
// comes from Kysely's compiler for the store's dialect; only the parameter values change.
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Dialect, Store } from './database.js';
import { runFolded } from './folded-writes.js';

/** Stands for parameter `i` while the statement is compiled. */
export type Param = (i: number) => string;

const SENTINEL = /^@@sesame-param-(\d+)@@$/;
const param: Param = (i) => `@@sesame-param-${i}@@`;

interface Shape {
  sql: string;
  /** For each parameter of the SQL, the index of the value it takes. */
  order: number[];
}

/**
 * A statement built once per dialect by `build` (which must use `p(i)` for every value) and then
 * run with `values[i]` in place of `p(i)`.
 */
export function compiledStatement(
  build: (db: Kysely<Database>, p: Param, dialect: Dialect) => Compilable,
): (store: Store, values: readonly unknown[]) => Promise<void> {
  const shapeOf = shapes(build);
  return async (store, values) => {
    const shape = shapeOf(store);
    await runCompiled(
      store,
      shape.sql,
      shape.order.map((i) => values[i]),
    );
  };
}

/**
 * As `compiledStatement`, for a write nobody reads the result of and whose failure no caller
 * catches: held by a PostgreSQL transaction and sent with its other writes (folded-writes.ts).
 */
export function foldedStatement(
  build: (db: Kysely<Database>, p: Param, dialect: Dialect) => Compilable,
): (store: Store, values: readonly unknown[]) => Promise<void> {
  const shapeOf = shapes(build);
  return async (store, values) => {
    const shape = shapeOf(store);
    const parameters = shape.order.map((i) => values[i]);
    if (store.dialect === 'postgres') await runFolded(store, shape.sql, parameters);
    else await runCompiled(store, shape.sql, parameters);
  };
}

/** As `compiledStatement`, for a statement whose rows are wanted (a select, or `returning`). */
export function compiledQuery<R>(
  build: (db: Kysely<Database>, p: Param, dialect: Dialect) => Compilable,
): (store: Store, values: readonly unknown[]) => Promise<R[]> {
  const shapeOf = shapes(build);
  return async (store, values) => {
    const shape = shapeOf(store);
    const parameters = shape.order.map((i) => values[i]);
    if (store.syncRun) return store.syncRun(shape.sql, parameters) as R[];
    return (await store.db.executeQuery<R>(CompiledQuery.raw(shape.sql, parameters))).rows;
  };
}

function shapes(
  build: (db: Kysely<Database>, p: Param, dialect: Dialect) => Compilable,
): (store: Store) => Shape {
  const byDialect = new Map<Dialect, Shape>();
  return (store) => {
    let shape = byDialect.get(store.dialect);
    if (!shape) {
      const c = build(store.db, param, store.dialect).compile();
      const order = c.parameters.map((v) => {
        const m = typeof v === 'string' ? SENTINEL.exec(v) : null;
        if (!m) throw new Error(`compiled statement: a value was not given as p(i): ${String(v)}`);
        return Number(m[1]);
      });
      byDialect.set(store.dialect, (shape = { sql: c.sql, order }));
    }
    return shape;
  };
}

/** Runs SQL already compiled for the store's dialect: synchronously inside a write batch on SQLite. */
export async function runCompiled(store: Store, sql: string, parameters: readonly unknown[]): Promise<void> {
  if (store.syncRun) store.syncRun(sql, parameters);
  else await store.db.executeQuery(CompiledQuery.raw(sql, [...parameters]));
}
