// The HTTP listener's limits from the configuration: time for the headers and for the whole
// request (node:http enforces both), and connection counts in all and per peer address.
import type { Server } from 'node:http';
import type { Config } from '../config/config.js';
import type { TrustedProxies } from './client-address.js';
import { limitConnections } from './connection-limits.js';

export function applyHttpLimits(http: Server, config: Config, proxies: TrustedProxies): void {
  http.headersTimeout = config.httpHeadersTimeoutMs;
  http.requestTimeout = config.httpRequestTimeoutMs;
  limitConnections(http, {
    max: config.httpMaxConnections,
    perPeer: config.httpMaxConnectionsPerIp,
    exempt: (ip) => proxies.contains(ip),
  });
}
