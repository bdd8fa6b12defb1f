// Which store errors mean "the database is not there right now" (a restart, a failover, a cut
// connection, a full disk) rather than "this request is wrong": callers answer those with AWS's
// retryable ServiceUnavailable (HTTP 503) or SMTP 451, and retry their own background work.

/** Node socket errors and PostgreSQL SQLSTATEs of a connection that is gone or refused. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  '57P01', // admin_shutdown: pg_ctl stop, pg_terminate_backend
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, shutting down, in recovery
  '53300', // too_many_connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '08P01',
  '25006', // read_only_sql_transaction: a failover left us on a standby
  // SQLite: another writer held the lock past busy_timeout; a full, failing or read-only disk.
  'SQLITE_BUSY',
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_READONLY',
  'SQLITE_CANTOPEN',
]);

/** What pg and pg-pool say when a connection ends under a query or cannot be had in time. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection error|is not queryable|timeout exceeded when trying to connect|Client was closed|the database system is (starting up|shutting down)/;

export function isStoreUnavailable(e: unknown, depth = 0): boolean {
  if (!(e instanceof Error) || depth > 3) return false;
  const code = (e as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (UNAVAILABLE_CODES.has(code) || /^SQLITE_(BUSY|IOERR|READONLY)_/.test(code))
  )
    return true;
  if (UNAVAILABLE_MESSAGES.test(e.message)) return true;
  // AggregateError (a host with several addresses) and wrapped causes.
  if (e instanceof AggregateError && e.errors.some((x) => isStoreUnavailable(x, depth + 1))) return true;
  return isStoreUnavailable((e as { cause?: unknown }).cause, depth + 1);
}

/** A short description for logs and /ready: the error's own words, one line. */
export function describeStoreError(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length > 0) return describeStoreError(e.errors[0]);
  const text = e instanceof Error ? e.message || String((e as { code?: unknown }).code ?? e.name) : String(e);
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * PostgreSQL's text and jsonb hold no NUL character (SQLSTATE 22021 for text, 22P05 for a `\u0000`
 * in jsonb): a request carrying one is refused as bad input, not answered 500.
 */
export function isUnstorableText(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  const message = (e as { message?: unknown } | null)?.message;
  return (code === '22021' && typeof message === 'string' && message.includes('0x00')) || code === '22P05';
}
