// The HTTP listener: AWS APIs on every path, `GET /health` unauthenticated, the console later.
import { createServer } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import { handleApiRequest } from './dispatch.js';
import { ClaimedPaths, serveApiDirect } from './direct-api.js';

/** SES v2 takes raw messages up to 40 MB, base64 in JSON: ~54 MB of body. */
const BODY_LIMIT = 60 * 1024 * 1024;

const API_ROUTE = '/*';
const KEEP_ALIVE_MS = 65_000;

export function createHttpServer(app: App): FastifyInstance {
  // Requests for the API catch-all skip Fastify (direct-api.ts); paths other routes claim do not.
  const claimed = new ClaimedPaths();
  // Once closing, every request goes to Fastify, which answers 503 with `Connection: close`: a
  // keep-alive client served directly would otherwise hold close() open indefinitely.
  let closing = false;
  const server = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    trustProxy: false,
    serverFactory: (fastifyHandler) => {
      const http = createServer((req, res) => {
        if (closing || claimed.claims(req.url ?? '/')) fastifyHandler(req, res);
        else serveApiDirect(app, req, res, { bodyLimit: BODY_LIMIT });
      });
      // What Fastify sets on a server it creates itself.
      http.keepAliveTimeout = KEEP_ALIVE_MS;
      http.requestTimeout = 0;
      http.setTimeout(0);
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
  server.addHook('onRoute', (route) => {
    if (route.url !== API_ROUTE) claimed.add(route.url);
  });
  // Every body arrives as bytes: SigV4 signs the exact bytes, and the protocol layer decodes them.
  server.removeAllContentTypeParsers();
  server.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  server.get('/health', async () => ({ status: 'ok' }));

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
    });
    reply.code(res.status).headers(res.headers);
    return reply.send(res.body);
  });
  return server;
}
