// AWS API requests answered straight from node:http: the catch-all route needs none of Fastify's
// request pipeline (hooks, content-type parsing, reply serialization), which cost about a tenth of
// the server's time per SendEmail. Every path some other route claims still goes to Fastify: the
// paths are learned from Fastify's own route registrations, so a new route can never be shadowed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app.js';
import { handleApiRequest, type ApiRequest } from './dispatch.js';
import type { WireResponse } from './protocol-surface.js';
import { vpcEndpointOf } from './vpc-listener.js';
import { prepareAuthentication, type Authenticated } from './authenticate.js';
import { readBody, type BodyOutcome, type ByteBudget } from './request-body.js';
import { parseCredentialScope } from '../auth/sigv4/verify.js';
import { payloadHash } from '../auth/sigv4/payload-hash.js';
import { signatureDoesNotMatch } from '../auth/sigv4/errors.js';
import { AwsError } from '../errors/aws-error.js';

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

export interface DirectApiOptions {
  /** A body larger than this is refused (413) as soon as it is seen to be. */
  bodyLimit: number;
  /** Time without a byte of body after which the request is given up. */
  bodyIdleMs: number;
  /** Bytes bodies may hold, all requests together, before their signature is checked. */
  unauthenticated: ByteBudget;
}

/**
 * The signature is checked as far as it can be before the body is read: a request that cannot
 * succeed (no or malformed signature, unknown key, wrong scope or time) is answered at once and
 * its body never read. A client that declared the body's hash (the AWS SDKs for JavaScript do) is
 * authenticated then, and its body hashed as it streams in; any other body is buffered against
 * the shared unauthenticated budget until the signature over it is checked.
 */
export function serveApiDirect(
  app: App,
  req: IncomingMessage,
  res: ServerResponse,
  opts: DirectApiOptions,
): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > opts.bodyLimit) return tooLarge(res);
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const head = {
    method: req.method ?? 'GET',
    rawPath: q < 0 ? rawUrl : rawUrl.slice(0, q),
    rawQuery: q < 0 ? '' : rawUrl.slice(q + 1),
    // Repeated headers stay apart: SigV4 joins them with ',' where Node would use ', '.
    headers: req.headersDistinct,
  };
  const limits = { limit: opts.bodyLimit, idleMs: opts.bodyIdleMs };
  const answer = (body: Buffer, auth?: Authenticated, close = false) =>
    dispatch(app, req, res, body, auth, close);
  const unauthenticated = async () => {
    const r = await readBody(req, { ...limits, budget: opts.unauthenticated });
    if (r.kind !== 'body') return refuse(app, req, res, r.kind);
    await answer(r.body).finally(r.release);
  };
  if (app.config.profile === 'emulator') return void unauthenticated().catch(lastDefence(app, res));
  const scope = parseCredentialScope({ rawQuery: head.rawQuery, headers: head.headers });
  prepareAuthentication(app, head, new Date(), scope?.service)
    .then(async (prepared) => {
      if (!prepared.ok) return answer(EMPTY, prepared, true); // the body is never read
      const declaredHash = prepared.declaredBodyHash;
      if (declaredHash === undefined) {
        const r = await readBody(req, { ...limits, budget: opts.unauthenticated });
        if (r.kind !== 'body') return refuse(app, req, res, r.kind);
        return answer(r.body, prepared.finish(payloadHash(r.body))).finally(r.release);
      }
      // Signed over the declared hash: authenticated now, the body must then match it.
      const authenticated = prepared.finish(declaredHash);
      if (!authenticated.ok) return answer(EMPTY, authenticated, true);
      const r = await readBody(req, { ...limits, hash: true });
      if (r.kind !== 'body') return refuse(app, req, res, r.kind);
      return answer(
        r.body,
        r.sha256 === declaredHash ? authenticated : { ok: false, error: signatureDoesNotMatch() },
      );
    })
    .catch(lastDefence(app, res));
}

const EMPTY = Buffer.alloc(0);

async function dispatch(
  app: App,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  auth: Authenticated | undefined,
  close: boolean,
): Promise<void> {
  const socket = req.socket as IncomingMessage['socket'] & { encrypted?: boolean };
  // A client gone before its answer: a call that waits (ListMessages `wait`) stops waiting. The
  // controller is made when the signal is first asked for (most calls never wait).
  let gone: AbortController | undefined;
  res.once('close', () => {
    if (!res.writableFinished) (gone ??= new AbortController()).abort();
  });
  const apiRequest: ApiRequest = {
    method: req.method ?? 'GET',
    rawUrl: req.url ?? '/',
    headers: req.headersDistinct,
    body,
    peerAddress: socket.remoteAddress,
    tls: socket.encrypted === true,
    endpoint: vpcEndpointOf(socket),
    get signal() {
      return (gone ??= new AbortController()).signal;
    },
  };
  const r = await handleApiRequest(app, apiRequest, auth);
  // A body left unread is not drained: the answer closes the connection.
  send(res, close ? { ...r, headers: { ...r.headers, connection: 'close' } } : r);
}

/** A body that could not be read whole: too large (413), over the budget (503), idle or gone. */
function refuse(
  app: App,
  req: IncomingMessage,
  res: ServerResponse,
  why: Exclude<BodyOutcome['kind'], 'body'>,
): void {
  if (why === 'too-large') return tooLarge(res);
  if (why === 'gone') return; // the client went away mid-body: nothing to answer
  if (why === 'idle') {
    if (!res.headersSent)
      res.writeHead(408, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
    res.end('Request body timed out');
    req.socket.destroySoon();
    return;
  }
  // The AWS SDKs retry a 503 with backoff: the budget frees as other bodies are checked.
  app.log.warn({ peer: req.socket.remoteAddress }, 'unauthenticated body budget exhausted');
  void dispatch(
    app,
    req,
    res,
    EMPTY,
    { ok: false, error: new AwsError('ServiceUnavailable', 'Service is unable to handle request.', 503) },
    true,
  ).catch(lastDefence(app, res));
}

/** handleApiRequest answers every failure itself; this is a bug's last line of defence. */
function lastDefence(app: App, res: ServerResponse): (e: unknown) => void {
  return (e) => {
    app.log.error({ err: e }, 'API request failed outside the dispatcher');
    try {
      if (!res.headersSent) send(res, { status: 500, headers: {}, body: 'Internal Server Error' });
      else res.destroy();
    } catch {
      res.destroy();
    }
  };
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
