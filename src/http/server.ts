// The HTTP listener: AWS APIs on every path, `GET /health` unauthenticated, the console later.
import { createServer } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import { handleApiRequest } from './dispatch.js';
import { ClaimedPaths, serveApiDirect, type DirectApiOptions } from './direct-api.js';
import { applyHttpLimits } from './limits.js';
import { vpcEndpointOf } from './vpc-listener.js';
import { registerHealthRoutes } from './health.js';
import { recordAccess } from './access-log.js';
import { CONSOLE_PATH, isConsoleLanding, registerLandingRoutes } from '../console/landing.js';

/** SES v2 takes raw messages up to 40 MB, base64 in JSON: ~54 MB of body. */
const BODY_LIMIT = 60 * 1024 * 1024;
/**
 * Fastify's routes (health, console, verification links, operator sign-in) take small bodies, and
 * read them before anyone is authenticated; API requests reach Fastify only through inject().
 */
const FASTIFY_BODY_LIMIT = 64 * 1024;

const API_ROUTE = '/*';
const KEEP_ALIVE_MS = 65_000;

export function createHttpServer(app: App): FastifyInstance {
  // Requests for the API catch-all skip Fastify (direct-api.ts); paths other routes claim do not.
  const claimed = new ClaimedPaths();
  // Once closing, every request goes to Fastify, which answers 503 with `Connection: close`: a
  // keep-alive client served directly would otherwise hold close() open indefinitely.
  let closing = false;
  const direct: DirectApiOptions = {
    bodyLimit: BODY_LIMIT,
    bodyIdleMs: app.config.httpIdleTimeoutMs,
    unauthenticated: { limit: app.config.httpUnauthenticatedBodyBytes, used: 0 },
  };
  const server = Fastify({
    logger: false,
    bodyLimit: FASTIFY_BODY_LIMIT,
    trustProxy: false,
    serverFactory: (fastifyHandler) => {
      const http = createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
        if (isConsoleLanding(req)) res.writeHead(302, { location: CONSOLE_PATH, 'content-length': 0 }).end();
        else if (closing || claimed.claims(req.url ?? '/')) fastifyHandler(req, res);
        else serveApiDirect(app, req, res, direct);
      });
      http.keepAliveTimeout = KEEP_ALIVE_MS;
      // Headers, then the whole request, must arrive in time; connections are limited (limits.ts).
      applyHttpLimits(http, app.config, app.proxies);
      return http;
    },
  });
  server.addHook('preClose', (done) => {
    closing = true;
    // Requests in flight when close() began leave keep-alive connections that close() would wait
    // for: close each as soon as it is idle.
    const sweep = setInterval(() => server.server.closeIdleConnections(), 100).unref();
    server.server.once('close', () => clearInterval(sweep));
    done();
  });
  // The API catch-all logs its own requests (dispatch.ts); these are the console's, the probes'...
  server.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route !== API_ROUTE) {
      const path = request.url.split('?')[0] ?? '/';
      const started = performance.now() - reply.elapsedTime;
      recordAccess(app.log, {
        method: request.method,
        path,
        operation: route,
        status: reply.statusCode,
        started,
      });
    }
    done();
  });
  server.addHook('onRoute', (route) => {
    if (route.url !== API_ROUTE) claimed.add(route.url);
  });
  // Every body arrives as bytes: SigV4 signs the exact bytes, and the protocol layer decodes them.
  server.removeAllContentTypeParsers();
  server.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  server.get('/health', async () => ({ status: 'ok' }));
  registerHealthRoutes(app, server, () => closing);
  registerLandingRoutes(server);

  for (const extra of app.httpRoutes) extra(server);

  // Sockets reach the API directly; this route serves inject() (tests) and the methods a claimed
  // path has no route for (e.g. POST /health), as before.
  server.all(API_ROUTE, async (request, reply) => {
    const res = await handleApiRequest(app, {
      method: request.method,
      rawUrl: request.raw.url ?? '/',
      // Repeated headers stay apart: SigV4 joins them with ',' where Node would use ', '.
      headers: request.raw.headersDistinct,
      body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      peerAddress: request.raw.socket.remoteAddress,
      tls:
        'encrypted' in request.raw.socket &&
        Boolean((request.raw.socket as { encrypted?: boolean }).encrypted),
      endpoint: vpcEndpointOf(request.raw.socket),
    });
    reply.code(res.status).headers(res.headers);
    return reply.send(res.body);
  });
  return server;
}
