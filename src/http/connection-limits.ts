// Connection limits of a listener: at most `max` open connections in all and `perPeer` from one
// address (a trusted proxy, which carries many clients, is exempt from the second). A connection
// over a limit is closed as soon as it is accepted, before a byte of it is read. Used by the HTTP
// and SMTP listeners (and any further listener sharing their handlers).
import type { Server, Socket } from 'node:net';
import { normalizeIp } from './client-address.js';

export interface ConnectionLimits {
  max: number;
  perPeer: number;
  /** Peers the per-address limit does not apply to (SESAME_TRUSTED_PROXIES). */
  exempt?: (ip: string) => boolean;
}

/** Counts connections per peer address; `admit` says whether one more may open. */
export function connectionCounter(limits: ConnectionLimits): {
  admit(socket: Socket): boolean;
  open(): number;
} {
  const byPeer = new Map<string, number>();
  let total = 0;
  return {
    admit(socket) {
      const ip = normalizeIp(socket.remoteAddress ?? '');
      const n = byPeer.get(ip) ?? 0;
      if (total >= limits.max || (n >= limits.perPeer && !limits.exempt?.(ip))) return false;
      total++;
      byPeer.set(ip, n + 1);
      socket.once('close', () => {
        total--;
        const left = (byPeer.get(ip) ?? 1) - 1;
        if (left > 0) byPeer.set(ip, left);
        else byPeer.delete(ip);
      });
      return true;
    },
    open: () => total,
  };
}

/** Applies the limits to a node:net (or node:http) server's accepted connections. */
export function limitConnections(server: Server, limits: ConnectionLimits): void {
  const counter = connectionCounter(limits);
  server.on('connection', (socket: Socket) => {
    if (!counter.admit(socket)) socket.destroy();
  });
}
