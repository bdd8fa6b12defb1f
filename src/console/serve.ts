// Serves the built web console (src/console/app, built by `npm run build:console`) under /console.
// The console is only static files: every action it takes is a SigV4-signed call to Sesame's public
// APIs with the signed-in user's key, so IAM decides what it may do.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { App } from '../app.js';
import { registerOperatorSessionRoute } from './operator-session.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Same place relative to this file in src/ (tsx) and in dist/ (copied by scripts/copy-assets.mjs). */
export const CONSOLE_DIST = join(dirname(fileURLToPath(import.meta.url)), 'app', 'dist');

const NOT_BUILT =
  '<!doctype html><title>Sesame console</title><p>The console is not built. Run <code>npm run build:console</code>.</p>';

/**
 * What the built console needs and nothing more: its own scripts and styles, API calls to this
 * origin only. React sets styles through the DOM (CSSOM), which style-src does not govern, so no
 * inline style is allowed. The mailbox's HTML preview is a document of its own (GET
 * /sesame/mailbox/messages/ID/html, its own stricter policy, in a sandboxed frame): frames may load
 * only from this origin.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "child-src 'none'",
  "worker-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function sendFile(reply: FastifyReply, file: string, immutable: boolean): FastifyReply {
  return reply
    .code(200)
    .header('content-type', TYPES[extname(file)] ?? 'application/octet-stream')
    .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', CONSOLE_CSP)
    .send(readFileSync(file));
}

export function registerConsoleRoutes(app: App, server: FastifyInstance, root: string = CONSOLE_DIST): void {
  registerOperatorSessionRoute(app, server);
  const serve = async (path: string, reply: FastifyReply): Promise<FastifyReply> => {
    const index = join(root, 'index.html');
    if (!existsSync(index))
      return reply
        .code(503)
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', CONSOLE_CSP)
        .send(NOT_BUILT);
    let rel: string;
    try {
      rel = decodeURIComponent(path);
    } catch {
      rel = '';
    }
    const file = normalize(join(root, rel));
    // Never outside the build folder; anything not a file is a client-side route: index.html.
    if (rel && file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile())
      return sendFile(reply, file, rel.startsWith('assets/'));
    if (rel.startsWith('assets/'))
      return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('Not found');
    return sendFile(reply, index, false);
  };
  server.get('/console', async (_req, reply) => reply.redirect('/console/', 302));
  server.get('/console/', async (_req, reply) => serve('', reply));
  server.get<{ Params: { '*': string } }>('/console/*', async (req, reply) => serve(req.params['*'], reply));
}
