// One access line per HTTP request (method, path, operation, status, ms, principal, request id)
// and the request metrics. The path never carries the query: presigned URLs hold credentials.
import type { Logger } from 'pino';
import { countApiRequest } from '../metrics/counters.js';

export interface AccessEntry {
  method: string;
  path: string;
  /** The AWS operation, or the route for Sesame's own pages. */
  operation: string;
  status: number;
  /** performance.now() when the request was taken up. */
  started: number;
  requestId?: string;
  principal?: string;
  /** SigV4 service of an API request (ses, iam, sts, sesame); absent for other routes. */
  service?: string;
}

/** Probes are polled every few seconds: their lines are debug, not info. */
const PROBES = new Set(['/health', '/ready', '/metrics']);

export function recordAccess(log: Pick<Logger, 'info' | 'debug' | 'isLevelEnabled'>, e: AccessEntry): void {
  const seconds = (performance.now() - e.started) / 1000;
  if (e.service !== undefined) countApiRequest(e.service, e.operation, e.status, seconds);
  const level = PROBES.has(e.path) ? 'debug' : 'info';
  if (!log.isLevelEnabled(level)) return;
  const ms = Math.round(seconds * 10_000) / 10;
  log[level](
    {
      method: e.method,
      path: e.path,
      operation: e.operation,
      status: e.status,
      ms,
      principal: e.principal,
      requestId: e.requestId,
    },
    `${e.method} ${e.path} ${e.operation} ${e.status} ${ms} ms`,
  );
}
