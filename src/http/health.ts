// Probes and metrics for operators and orchestrators, unauthenticated like any load balancer's:
//   GET /health   liveness: 200 while the process serves HTTP (restart it when this fails);
//   GET /ready    readiness: 200 when the store answers a round trip, 503 with the reason otherwise
//                 (or while shutting down), so a load balancer stops sending work here;
//   GET /metrics  Prometheus text (src/metrics/).
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { App } from '../app.js';
import { CONTENT_TYPE, renderMetrics } from '../metrics/registry.js';
import { describeStoreError } from '../store/faults.js';
import type { Store } from '../store/database.js';

const READY_TIMEOUT_MS = 2000;

/** One round trip to the store, bounded in time. */
export async function probeStore(
  store: Store,
  ms = READY_TIMEOUT_MS,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([sql`select 1`.execute(store.db), timeout]);
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: describeStoreError(e) };
  } finally {
    clearTimeout(timer);
  }
}

export function registerHealthRoutes(app: App, server: FastifyInstance, closing: () => boolean): void {
  server.get('/ready', async (_req, reply) => {
    if (closing()) return reply.code(503).send({ status: 'unavailable', reason: 'shutting down' });
    const probe = await probeStore(app.store);
    if (!probe.ok)
      return reply
        .code(503)
        .send({ status: 'unavailable', reason: `${app.store.dialect} store: ${probe.reason}` });
    return reply.send({ status: 'ready', store: app.store.dialect });
  });
  server.get('/metrics', async (_req, reply) =>
    reply.header('content-type', CONTENT_TYPE).send(await renderMetrics()),
  );
}
