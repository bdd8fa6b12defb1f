import { Agent, createServer, request, type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESv2Client, ListEmailIdentitiesCommand } from '@aws-sdk/client-sesv2';
import { ROOT_KEY, startTestServer, type TestServer } from '../../test/support/server.js';
import { ClaimedPaths, serveApiDirect } from './direct-api.js';

describe('ClaimedPaths', () => {
  const paths = new ClaimedPaths();
  for (const url of ['/health', '/console', '/console/*', '/moto-api/reset', '/things/:id']) paths.add(url);

  it('claims exact paths (query ignored) and wildcard or parameter prefixes', () => {
    expect(paths.claims('/health')).toBe(true);
    expect(paths.claims('/health?verbose=1')).toBe(true);
    expect(paths.claims('/console')).toBe(true);
    expect(paths.claims('/console/assets/app.js')).toBe(true);
    expect(paths.claims('/things/42')).toBe(true);
  });

  it('leaves every other path to the API', () => {
    expect(paths.claims('/')).toBe(false);
    expect(paths.claims('/v2/email/outbound-emails')).toBe(false);
    expect(paths.claims('/healthz')).toBe(false);
    expect(paths.claims('/consolex')).toBe(false);
    expect(paths.claims('/moto-api/reset-auth')).toBe(false);
  });
});

/** A claim that passes every check but the signature itself: the body is read (and checked last). */
function signatureClaim(): Record<string, string> {
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  return {
    'x-amz-date': amzDate,
    authorization:
      `AWS4-HMAC-SHA256 Credential=${ROOT_KEY.accessKeyId}/${amzDate.slice(0, 8)}/us-east-1/ses/aws4_request, ` +
      `SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
  };
}

/** A raw HTTP exchange (no SDK), to see exactly what the socket gets. */
function exchange(
  port: number,
  opts: { method: string; path: string; headers?: Record<string, string | number>; body?: Buffer | string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      method: opts.method,
      path: opts.path,
      headers: opts.headers,
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('the API served directly from node:http', () => {
  let server: TestServer;
  let port: number;
  beforeAll(async () => {
    server = await startTestServer();
    port = Number(new URL(server.endpoint).port);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers signed SDK calls, and every answer has a declared length (no chunked encoding)', async () => {
    const client = new SESv2Client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: server.credentials,
    });
    const out = await client.send(new ListEmailIdentitiesCommand({}));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.EmailIdentities).toEqual([]);
    const unsigned = await exchange(port, { method: 'GET', path: '/v2/email/identities' });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers['content-length']).toBe(String(Buffer.byteLength(unsigned.body)));
    expect(unsigned.headers['transfer-encoding']).toBeUndefined();
    expect(unsigned.headers['content-type']).toBe('application/json');
    expect(JSON.parse(unsigned.body)).toMatchObject({ message: 'Request is missing Authentication Token' });
  });

  it('still hands the paths of other routes to Fastify', async () => {
    const health = await exchange(port, { method: 'GET', path: '/health' });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    const console = await exchange(port, { method: 'GET', path: '/console' });
    expect(console.status).toBe(302);
    expect(console.headers.location).toBe('/console/');
  });

  it('refuses a body declared over the limit with 413 before reading it, and closes', async () => {
    const r = await exchange(port, {
      method: 'POST',
      path: '/v2/email/outbound-emails',
      headers: { 'content-length': 61 * 1024 * 1024, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(413);
    expect(r.body).toBe('Request body is too large');
    expect(r.headers.connection).toBe('close');
  });

  it('stops reading a chunked body at the limit: 413, nothing dispatched', async () => {
    const small = createServer((req, res) =>
      serveApiDirect(server.app, req, res, {
        bodyLimit: 1024,
        bodyIdleMs: 5000,
        unauthenticated: { limit: 1 << 20, used: 0 },
      }),
    );
    const claim = signatureClaim();
    await new Promise<void>((r) => small.listen(0, '127.0.0.1', r));
    try {
      const p = (small.address() as AddressInfo).port;
      const big = await exchange(p, {
        method: 'POST',
        path: '/v2/email/outbound-emails',
        headers: { 'transfer-encoding': 'chunked', 'content-type': 'application/json', ...claim },
        body: 'x'.repeat(4096),
      });
      expect([big.status, big.body]).toEqual([413, 'Request body is too large']);
      // Under the limit the same request reaches the signature check over its body.
      const fits = await exchange(p, {
        method: 'POST',
        path: '/v2/email/outbound-emails',
        headers: { 'content-type': 'application/json', ...claim },
        body: '{}',
      });
      expect(fits.status).toBe(403);
      expect(JSON.parse(fits.body)).toMatchObject({ __type: 'InvalidSignatureException' });
      // Without any signature it is refused before the body is read, and the connection closed.
      const unsigned = await exchange(p, {
        method: 'POST',
        path: '/v2/email/outbound-emails',
        headers: { 'transfer-encoding': 'chunked', 'content-type': 'application/json' },
        body: 'x'.repeat(4096),
      });
      expect(unsigned.status).toBe(403);
      expect(unsigned.headers.connection).toBe('close');
      expect(JSON.parse(unsigned.body)).toMatchObject({ message: 'Request is missing Authentication Token' });
    } finally {
      small.closeAllConnections();
      await new Promise((r) => small.close(r));
    }
  });
});

describe('shutdown with a keep-alive client still sending', () => {
  it('answers its next request 503 with Connection: close, and stop() finishes', async () => {
    const server = await startTestServer();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const url = new URL('/v2/email/identities', server.endpoint);
    type Seen = { status: number; connection: string | undefined };
    const send = (body?: (req: ClientRequest) => void) =>
      new Promise<Seen>((resolve, reject) => {
        const headers = { 'content-length': 4, ...signatureClaim() };
        const req = request(url, { agent, method: 'POST', headers }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
        });
        req.on('error', reject);
        if (body) body(req);
        else req.end('abcd');
      });
    // A request in flight (half its body sent) while shutdown begins: its connection is not idle.
    let finish!: () => void;
    const inFlight = send((req) => {
      req.write('ab');
      finish = () => req.end('cd');
    });
    await new Promise((r) => setTimeout(r, 50));
    let stopped = false;
    const stopping = server.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    finish();
    expect((await inFlight).status).toBe(403);
    // The client goes on sending on the same connection for up to 3 s.
    const seen: Seen[] = [];
    const until = Date.now() + 3000;
    while (!stopped && Date.now() < until) {
      try {
        seen.push(await send());
      } catch {
        break; // the server closed the connection
      }
      if (seen.at(-1)?.status === 503) break;
    }
    agent.destroy();
    await Promise.race([stopping, new Promise((r) => setTimeout(r, 2000))]);
    expect(stopped).toBe(true);
    expect(seen).toEqual([{ status: 503, connection: 'close' }]);
  }, 15_000);
});
