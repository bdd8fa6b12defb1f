// One endpoint in front of two servers, routing each request by its SigV4 credential scope's
// service, as AWS routes by host: `ses` to Sesame, every other service (s3, lambda, iam, …) to
// moto_server. `/moto-api/*` (moto's state reset) goes to both. Lets moto's own test suite run in
// server mode against Sesame while its S3 and Lambda calls reach a real moto.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

function forward(
  target: string,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const url = new URL(req.url ?? '/', target);
  return new Promise((resolve, reject) => {
    const out = request(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    out.on('error', reject);
    out.end(body);
  });
}

export function serviceOf(authorization: string | undefined): string | undefined {
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(authorization ?? '')?.[1];
}

export async function startServiceRouter(
  sesame: string,
  moto: string,
): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const both = (req.url ?? '').startsWith('/moto-api/');
      const target = serviceOf(req.headers.authorization) === 'ses' ? sesame : moto;
      const work = both
        ? Promise.all([forward(moto, req, body), forward(sesame, req, body)]).then(([m]) => m)
        : forward(target, req, body);
      work.then(
        (r) => {
          const { 'transfer-encoding': _te, connection: _c, ...headers } = r.headers;
          res.writeHead(r.status, { ...headers, 'content-length': String(r.body.length) });
          res.end(r.body);
        },
        (e: Error) => {
          res.writeHead(502);
          res.end(e.message);
        },
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
