// PostgreSQL: writes whose results nobody reads (an outbox row, a ledger count, an audit record, a
// captured copy, a settle) are held by the transaction and sent together as one statement of
// data-modifying CTEs, and a transaction's BEGIN is sent only before its first statement. A send
// or a delivery attempt whose transaction holds nothing but such writes is then one autocommitted
// statement instead of BEGIN, a round trip a write, and COMMIT: on a busy node each round trip is
// a write, a wake-up of the database and one of the node.
//
// What it keeps: a transaction is as atomic as before (one statement is); a read sees the writes
// before it (they are sent first); two writes of one table share a statement only when both are
// plain inserts (an upsert may not touch a row twice in one statement, and CTEs do not see each
// other's rows), else the second one sends the first. What it changes: a held write's error
// surfaces at the next statement or the commit, not where it was issued, so only writes whose
// callers catch nothing are held. SQLite runs each write at once (its writes are local calls, and
// its write batch already shares the commit).
import {
  CompiledQuery,
  PostgresDialect,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { Store } from './database.js';

const FOLDED = Symbol('folded write');

interface HeldWrite {
  sql: string;
  parameters: readonly unknown[];
  /** The table it writes. */
  table: string;
  /** A plain INSERT (no ON CONFLICT): it may share a statement with others into its table. */
  plain: boolean;
}

type FoldableQuery = CompiledQuery & { [FOLDED]: HeldWrite };

const WRITTEN_TABLE = /^\s*(?:insert\s+into|update|delete\s+from)\s+"([^"]+)"/i;

/**
 * Runs a write whose result nobody reads on PostgreSQL: at once outside a transaction; inside one,
 * held and sent with the transaction's next statement or commit. `sql` must be one INSERT, UPDATE
 * or DELETE of a quoted table, without a WITH of its own (Kysely's output).
 */
export async function runFolded(store: Store, sql: string, parameters: readonly unknown[]): Promise<void> {
  const table = WRITTEN_TABLE.exec(sql)?.[1];
  if (!table) throw new Error(`not a foldable write: ${sql.slice(0, 80)}`);
  const query = CompiledQuery.raw(sql, [...parameters]) as FoldableQuery;
  const plain = /^\s*insert\s/i.test(sql) && !/\bon\s+conflict\b/i.test(sql);
  await store.db.executeQuery(Object.freeze({ ...query, [FOLDED]: { sql, parameters, table, plain } }));
}

/** Several writes as one statement: all but the last as CTEs, the last as the statement itself. */
export function foldStatement(writes: readonly HeldWrite[]): { sql: string; parameters: unknown[] } {
  if (writes.length === 1) return { sql: writes[0]!.sql, parameters: [...writes[0]!.parameters] };
  const parameters: unknown[] = [];
  const parts = writes.map((w) => {
    const part = renumber(w.sql, parameters.length);
    parameters.push(...w.parameters);
    return part;
  });
  const last = parts.pop()!;
  return { sql: `with ${parts.map((p, i) => `"fold${i}" as (${p})`).join(', ')} ${last}`, parameters };
}

/** `$n` placeholders shifted by `offset`, outside quoted literals and identifiers. */
export function renumber(sql: string, offset: number): string {
  if (offset === 0) return sql;
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (quote) {
      out += c;
      if (c === quote) quote = undefined; // a doubled quote re-enters at once: same result
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    const digits = c === '$' ? /^\d+/.exec(sql.slice(i + 1))?.[0] : undefined;
    if (!digits) {
      out += c;
      continue;
    }
    out += `$${Number(digits) + offset}`;
    i += digits.length;
  }
  return out;
}

/** Kysely's PostgreSQL dialect, its transactions begun lazily and holding foldable writes. */
export class FoldingPostgresDialect extends PostgresDialect {
  override createDriver(): Driver {
    return foldingDriver(super.createDriver());
  }
}

/** A pooled connection and its transaction's state. */
interface Folding extends DatabaseConnection {
  inner: DatabaseConnection;
  /** BEGIN asked for and not yet sent (its settings). */
  pending: TransactionSettings | undefined;
  begun: boolean;
  held: HeldWrite[];
  /** Why a statement of the transaction failed (a held write's, BEGIN's, any other's). The commit
   * fails with it too: a caller that caught the statement it surfaced at must not see a commit
   * succeed (PostgreSQL answers COMMIT in a failed transaction with a rollback, not an error). */
  failure: unknown;
}

/** Most parameters one folded statement carries: PostgreSQL's protocol allows 65,535. */
export const MAX_FOLDED_PARAMETERS = 30_000;

function foldingDriver(inner: Driver): Driver {
  const wrappers = new WeakMap<DatabaseConnection, Folding>();
  const inTransaction = (c: Folding) => c.pending !== undefined || c.begun;
  /** One statement; inside a transaction its failure is kept for the commit (see `failure`). */
  const send = async <R>(c: Folding, query: CompiledQuery): Promise<QueryResult<R>> => {
    try {
      return await c.inner.executeQuery<R>(query);
    } catch (e) {
      if (inTransaction(c)) c.failure ??= e;
      throw e;
    }
  };
  const run = (c: Folding, sql: string, parameters: readonly unknown[] = []) =>
    send(c, CompiledQuery.raw(sql, [...parameters]));
  // BEGIN, COMMIT and ROLLBACK are Kysely's own driver's: its COMMIT throws when PostgreSQL
  // answers it with a rollback, its ROLLBACK discards a connection that failed it.
  const begin = async (c: Folding) => {
    const s = c.pending;
    if (!s || c.begun) return;
    try {
      await inner.beginTransaction(c.inner, s);
    } catch (e) {
      c.failure ??= e;
      throw e;
    }
    c.pending = undefined;
    c.begun = true;
  };
  const flush = async (c: Folding) => {
    if (c.held.length === 0) return;
    const { sql, parameters } = foldStatement(c.held.splice(0));
    await run(c, sql, parameters);
  };
  /** Sends what is held (after BEGIN) unless `write` may join it in one statement. */
  const makeRoom = async (c: Folding, write: HeldWrite) => {
    const shared = c.held.some((h) => h.table === write.table && !(h.plain && write.plain));
    const parameters = c.held.reduce((n, h) => n + h.parameters.length, write.parameters.length);
    if (!shared && parameters <= MAX_FOLDED_PARAMETERS) return;
    await begin(c);
    await flush(c);
  };
  const wrap = (connection: DatabaseConnection): Folding => {
    let c = wrappers.get(connection);
    if (c) return c;
    const folding: Folding = {
      inner: connection,
      pending: undefined,
      begun: false,
      held: [],
      failure: undefined,
      async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        // A transaction whose statement failed is over: PostgreSQL refuses the rest, and so do we.
        if (folding.failure !== undefined) throw folding.failure;
        const write = (query as Partial<FoldableQuery>)[FOLDED];
        if (write && inTransaction(folding)) {
          await makeRoom(folding, write);
          folding.held.push(write);
          return { rows: [] };
        }
        await begin(folding);
        await flush(folding);
        return send<R>(folding, query);
      },
      async *streamQuery<R>(query: CompiledQuery, chunkSize?: number) {
        if (folding.failure !== undefined) throw folding.failure;
        await begin(folding);
        await flush(folding);
        try {
          yield* connection.streamQuery<R>(query, chunkSize);
        } catch (e) {
          if (inTransaction(folding)) folding.failure ??= e;
          throw e;
        }
      },
    };
    wrappers.set(connection, (c = folding));
    return c;
  };
  const reset = (c: Folding) => {
    c.pending = undefined;
    c.begun = false;
    c.held = [];
    c.failure = undefined;
  };
  return {
    init: () => inner.init(),
    acquireConnection: async () => wrap(await inner.acquireConnection()),
    beginTransaction: async (connection, settings) => {
      const c = connection as Folding;
      reset(c);
      c.pending = settings;
    },
    commitTransaction: async (connection) => {
      const c = connection as Folding;
      // A failed statement (even BEGIN): nothing is sent; Kysely then asks for a rollback.
      if (c.failure !== undefined) throw c.failure;
      if (!c.begun) {
        // Nothing sent yet: the held writes are the whole transaction, one autocommitted statement.
        // Should it fail, nothing of it was kept and there is nothing to roll back.
        try {
          await flush(c);
        } finally {
          reset(c);
        }
        return;
      }
      // Should either fail, Kysely asks for a rollback: the transaction is still begun (an aborted
      // one it only releases, which resets the state).
      await flush(c);
      await inner.commitTransaction(c.inner);
      reset(c);
    },
    rollbackTransaction: async (connection) => {
      const c = connection as Folding;
      const begun = c.begun;
      reset(c);
      if (begun) await inner.rollbackTransaction(c.inner);
    },
    releaseConnection: (connection) => {
      const c = connection as Folding;
      reset(c);
      return inner.releaseConnection(c.inner);
    },
    destroy: () => inner.destroy(),
  };
}
