// The PostgreSQL connection pool, made to survive the database: a connection that dies (a restart,
// a failover, pg_terminate_backend, an idle-connection cull) is reported and replaced instead of
// crashing the process; a query on a connection that stopped answering is cut after a timeout
// instead of hanging its caller; at start, an unreachable server is waited for.
import pg from 'pg';
import { ConfigError } from '../config/config.js';
import { describeStoreError, isStoreUnavailable } from './faults.js';

export interface PoolLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface PoolOptions {
  url: string;
  /** Connections kept at most. */
  max: number;
  /** A query not answered in this time has its connection closed (0: never, as during migrations). */
  queryTimeoutMs: number;
  log?: PoolLog;
}

export interface SesamePool {
  /** What Kysely's PostgresDialect uses. */
  pool: Pick<pg.Pool, 'connect' | 'end'>;
  /** Connections open, idle, and callers waiting for one (metrics). */
  stats(): { total: number; idle: number; waiting: number };
  /** Starts applying the query timeout (after migrations, which may legitimately run long). */
  armQueryTimeout(): void;
}

/** `host:port` of a PostgreSQL URL, for messages (never the user or password). */
export function postgresAddress(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname || u.searchParams.get('host') || 'localhost';
    return `${host}:${u.port || '5432'}`;
  } catch {
    return 'the configured address';
  }
}

export function createPostgresPool(o: PoolOptions): SesamePool {
  const pool = new pg.Pool({
    connectionString: o.url,
    max: o.max,
    // Dead peers (a host gone without closing its sockets) are noticed by TCP keepalive.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // A checkout waits at most this long for a connection (then the request answers 503).
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'sesame',
  });
  let lastReport = 0;
  const report = (err: Error) => {
    // One line per burst: a restart ends every connection at once.
    const now = Date.now();
    if (now - lastReport < 5000) return;
    lastReport = now;
    o.log?.warn(
      { err: describeStoreError(err), database: postgresAddress(o.url) },
      'PostgreSQL connection lost; it is replaced when next needed',
    );
  };
  // Idle connections: the pool drops the dead one; without a listener the event would crash us.
  pool.on('error', report);
  // Checked-out connections (a transaction between two queries) have no pool listener of their own.
  // Open connections are tracked too: pool.end() resolves once it has asked them to end, not once
  // they have, and whoever stops or drops the database next must not race a closing connection
  // (a backend terminated mid-close is an 'error' on its client).
  const open = new Set<pg.Client>();
  pool.on('connect', (client) => {
    client.on('error', report);
    open.add(client);
    client.once('end', () => open.delete(client));
  });
  const ended = (c: pg.Client) => new Promise<void>((resolve) => c.once('end', () => resolve()));

  let timeoutMs = 0;
  const guarded = new WeakSet<pg.PoolClient>();
  const guard = (client: pg.PoolClient) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const result = query(...args);
      if (timeoutMs === 0 || !(result instanceof Promise)) return result;
      // end() closes the socket under a running query: the query fails now, and the pool, seeing
      // the client ending, drops it on release instead of handing it out again.
      const timer = setTimeout(() => void client.end().catch(() => {}), timeoutMs);
      return result.finally(() => clearTimeout(timer));
    };
  };
  return {
    pool: {
      connect: async () => {
        const client = await pool.connect();
        guard(client);
        return client;
      },
      end: async () => {
        const closing = [...open].map(ended);
        await pool.end();
        await Promise.all(closing);
      },
    } as SesamePool['pool'],
    stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    armQueryTimeout: () => {
      timeoutMs = o.queryTimeoutMs;
    },
  };
}

/** PostgreSQL could not be reached within the wait: `sesame` exits 1 with this one line. */
export class StoreUnreachableError extends Error {
  readonly exitCode = 1;
}

/**
 * Resolves once PostgreSQL answers `select 1`. While it is unreachable (refused, starting up,
 * shutting down, a name not resolving yet), retries with one log line, for up to `waitMs`; other
 * errors (a wrong password, a missing database) are thrown at once.
 */
export async function waitUntilReachable(
  p: SesamePool,
  url: string,
  waitMs: number,
  log?: PoolLog,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  let said = false;
  for (let delay = 250; ; delay = Math.min(delay * 2, 2000)) {
    try {
      const client = await p.pool.connect();
      try {
        await client.query('select 1');
      } finally {
        client.release();
      }
      if (said) log?.info({ database: postgresAddress(url) }, 'PostgreSQL is reachable');
      return;
    } catch (e) {
      const address = postgresAddress(url);
      const why = describeStoreError(e);
      // A wrong password or database name is the setting's fault: waiting would not help.
      if (!isStoreUnavailable(e))
        throw new ConfigError(`SESAME_DATABASE_URL: PostgreSQL at ${address} refused the connection: ${why}`);
      if (Date.now() >= deadline) {
        throw new StoreUnreachableError(
          `PostgreSQL at ${address} did not answer within ${Math.round(waitMs / 1000)} s (SESAME_DATABASE_WAIT): ${why}`,
        );
      }
      if (!said) {
        said = true;
        log?.warn(
          { database: address },
          `PostgreSQL at ${address} is not reachable (${why}); retrying for up to ${Math.round(waitMs / 1000)} s (SESAME_DATABASE_WAIT)`,
        );
      }
      await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(0, deadline - Date.now()))));
    }
  }
}
