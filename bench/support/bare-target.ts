// The ceiling: node:http in this process (like Sesame), reading the body and answering 200 with a
// tiny JSON body. No routing, no auth, no storage.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Target } from './workload.js';

/** The bare handler's server, not yet listening (also run as a process of its own: bare-server.ts). */
export function bareServer(): Server {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = '{"MessageId":"bare"}';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

export async function startBareTarget(): Promise<Target> {
  const server = bareServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    name: 'bare',
    endpoint: `http://127.0.0.1:${port}`,
    notes: [],
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
