// The HTTP listener: AWS APIs on every path, `GET /health` unauthenticated, the console later.
import Fastify, { type FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import { handleApiRequest } from './dispatch.js';

/** SES v2 takes raw messages up to 40 MB, base64 in JSON: ~54 MB of body. */
const BODY_LIMIT = 60 * 1024 * 1024;

export function createHttpServer(app: App): FastifyInstance {
  const server = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    trustProxy: false,
    keepAliveTimeout: 65_000,
  });
  // Every body arrives as bytes: SigV4 signs the exact bytes, and the protocol layer decodes them.
  server.removeAllContentTypeParsers();
  server.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  server.get('/health', async () => ({ status: 'ok' }));

  for (const extra of app.httpRoutes) extra(server);

  server.all('/*', async (request, reply) => {
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
