// The ceiling as a process of its own: node:http reading the body and answering 200 with a tiny JSON
// body, no routing, no auth, no storage. Prints its port on stdout once listening.
//
//   node --import tsx bench/support/bare-server.ts
import type { AddressInfo } from 'node:net';
import { bareServer } from './bare-target.js';

const server = bareServer();
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
