// AWS API requests answered straight from node:http: the catch-all route needs none of Fastify's
// request pipeline (hooks, content-type parsing, reply serialization), which cost about a tenth of
// the server's time per SendEmail. Every path some other route claims still goes to Fastify: the
// paths are learned from Fastify's own route registrations, so a new route can never be shadowed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app.js';
import { handleApiRequest, type ApiRequest } from './dispatch.js';
import type { WireResponse } from './protocol-surface.js';
import { vpcEndpointOf } from './vpc-listener.js';

/** Paths of the routes registered beside the API catch-all (exact paths and wildcard prefixes). */
export class ClaimedPaths {
  readonly #exact = new Set<string>();
  readonly #prefixes: string[] = [];

  /** A Fastify route URL: `/health`, `/console/*`, `/x/:id`. */
  add(url: string): void {
    const open = url.search(/[*:]/);
    if (open < 0) this.#exact.add(url);
    else if (!this.#prefixes.includes(url.slice(0, open))) this.#prefixes.push(url.slice(0, open));
  }

  /** Whether a request for this URL (query included) belongs to another route. */
  claims(rawUrl: string): boolean {
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    if (this.#exact.has(path)) return true;
    for (const p of this.#prefixes) if (path.startsWith(p)) return true;
    return false;
  }
}

/** A body larger than this is refused before it is read. */
export interface DirectApiOptions {
  bodyLimit: number;
}

export function serveApiDirect(
  app: App,
  req: IncomingMessage,
  res: ServerResponse,
  opts: DirectApiOptions,
): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > opts.bodyLimit) return tooLarge(res);
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on('data', (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > opts.bodyLimit) {
      refused = true;
      chunks.length = 0; // what was read is never used: let it go now
      tooLarge(res);
      return;
    }
    chunks.push(chunk);
  });
  req.on('error', () => {
    refused = true; // the client went away mid-body: nothing to answer
  });
  req.on('end', () => {
    if (refused) return;
    const socket = req.socket as IncomingMessage['socket'] & { encrypted?: boolean };
    const apiRequest: ApiRequest = {
      method: req.method ?? 'GET',
      rawUrl: req.url ?? '/',
      // Repeated headers stay apart: SigV4 joins them with ',' where Node would use ', '.
      headers: req.headersDistinct,
      body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size),
      peerAddress: socket.remoteAddress,
      tls: socket.encrypted === true,
      endpoint: vpcEndpointOf(socket),
    };
    handleApiRequest(app, apiRequest)
      .then((r) => send(res, r))
      .catch((e: unknown) => {
        // handleApiRequest answers every failure itself; this is a bug's last line of defence
        // (also for a response that cannot be written).
        app.log.error({ err: e }, 'API request failed outside the dispatcher');
        try {
          if (!res.headersSent) send(res, { status: 500, headers: {}, body: 'Internal Server Error' });
          else res.destroy();
        } catch {
          res.destroy();
        }
      });
  });
}

function send(res: ServerResponse, r: WireResponse): void {
  if (res.destroyed) return;
  const body = typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : r.body;
  const headers: Record<string, string | number> = { ...r.headers, 'content-length': body.length };
  // As Fastify would have labelled a body without a declared type.
  if (!Object.keys(r.headers).some((h) => h.toLowerCase() === 'content-type') && body.length > 0)
    headers['content-type'] =
      typeof r.body === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream';
  res.writeHead(r.status, headers);
  res.end(body);
}

function tooLarge(res: ServerResponse): void {
  if (res.headersSent) return;
  // The rest of the upload is not read: the connection closes after the answer.
  res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  res.end('Request body is too large');
}
