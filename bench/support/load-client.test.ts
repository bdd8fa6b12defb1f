import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runLoad } from './load-client.js';
import type { LoadSpec } from './load-spec.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, body: string) => [number, string]): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const [status, text] = handler(req, body);
      res.writeHead(status, { 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/email/outbound-emails`;
}

const base = (url: string): LoadSpec => ({
  url,
  method: 'POST',
  body: '{"x":1}',
  headers: { 'content-type': 'application/json' },
  connections: 4,
  warmupMs: 0,
  durationMs: 300,
  requestTimeoutMs: 2000,
  expectStatus: 200,
});

describe('runLoad', () => {
  it('signs every request with SigV4 (credential scope ses, us-east-1) and counts 200s', async () => {
    const auths = new Set<string>();
    const dates = new Set<string>();
    let bad = 0;
    const url = await serve((req, body) => {
      const auth = String(req.headers.authorization ?? '');
      if (
        !auth.startsWith('AWS4-HMAC-SHA256 Credential=AKIATEST/') ||
        !auth.includes('/us-east-1/ses/aws4_request') ||
        body !== '{"x":1}'
      )
        bad++;
      auths.add(auth);
      dates.add(String(req.headers['x-amz-date']));
      return [200, '{"MessageId":"m"}'];
    });
    const r = await runLoad({
      ...base(url),
      sign: { accessKeyId: 'AKIATEST', secretAccessKey: 's', region: 'us-east-1', service: 'ses' },
    });
    expect(bad).toBe(0);
    expect(r.errors).toBe(0);
    expect(r.requests).toBeGreaterThan(0);
    expect(r.total_ok).toBeGreaterThanOrEqual(r.requests);
    expect(r.p50_ms).toBeLessThanOrEqual(r.p99_ms);
    expect(r.p99_ms).toBeLessThanOrEqual(r.max_ms);
    expect(dates.size).toBeGreaterThan(0);
  });

  it('counts other statuses as errors and keeps samples of them', async () => {
    const url = await serve(() => [403, 'nope']);
    const r = await runLoad(base(url));
    expect(r.requests).toBe(0);
    expect(r.total_ok).toBe(0);
    expect(r.errors).toBeGreaterThan(0);
    expect(r.error_samples[0]).toBe('HTTP 403: nope');
    expect(r.error_samples.length).toBeLessThanOrEqual(5);
  });

  it('uses exactly `connections` sockets', async () => {
    const sockets = new Set<string>();
    const url = await serve((req) => {
      sockets.add(`${req.socket.remotePort}`);
      return [200, 'ok'];
    });
    await runLoad({ ...base(url), connections: 3 });
    expect(sockets.size).toBe(3);
  });

  it('refuses any host other than 127.0.0.1', async () => {
    await expect(runLoad(base('http://localhost:1/x'))).rejects.toThrow('only talks to 127.0.0.1');
  });
});
