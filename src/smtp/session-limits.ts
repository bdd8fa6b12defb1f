// Limits of SMTP sessions before anyone is authenticated: at most SESAME_SMTP_MAX_CONNECTIONS_PER_IP
// sessions from one address and SESAME_SMTP_MAX_CONNECTIONS in all, every listener sharing one count
// (smtp-server's maxClients is per listener), and SESAME_SMTP_AUTH_TIMEOUT_MS to authenticate. The
// idle timeout alone let 20 sessions dripping a byte every 20 s live for ever.
// The MX receiver (src/inbound/listener.ts) shares the per-address count but has no deadline: no AUTH.
import type { SMTPServer, SMTPServerSession } from 'smtp-server';
import { normalizeIp } from '../http/client-address.js';
import type { SmtpReply } from './replies.js';

export const TOO_MANY_FROM_PEER: SmtpReply = {
  code: 421,
  message: 'Too many connections from your address, try again later',
};
export const TOO_MANY_SESSIONS: SmtpReply = { code: 421, message: 'Too many connections, try again later' };
export const AUTH_TIMED_OUT: SmtpReply = { code: 421, message: 'Timeout waiting for authentication' };

export interface SessionLimits {
  /** A refusal for a session over the per-address limit, or undefined (then it is counted). */
  connect(server: SMTPServer, session: SMTPServerSession): SmtpReply | undefined;
  authenticated(session: SMTPServerSession): void;
  closed(session: SMTPServerSession): void;
}

/**
 * `max`: sessions in all, across the listeners sharing these limits (none by default). `authTimeoutMs`
 * undefined: sessions are only counted, never timed out for not authenticating.
 */
export function sessionLimits(opts: {
  perPeer: number;
  max?: number;
  authTimeoutMs?: number;
}): SessionLimits {
  const byPeer = new Map<string, number>();
  const pending = new Map<string, { timer?: NodeJS.Timeout; peer: string }>();
  return {
    connect(server, session) {
      const peer = normalizeIp(session.remoteAddress);
      const n = byPeer.get(peer) ?? 0;
      if (n >= opts.perPeer) return TOO_MANY_FROM_PEER;
      if (opts.max !== undefined && pending.size >= opts.max) return TOO_MANY_SESSIONS;
      byPeer.set(peer, n + 1);
      const timer =
        opts.authTimeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              const connection = [...server.connections].find((c) => c.session === session);
              if (!connection) return;
              connection.send(AUTH_TIMED_OUT.code, AUTH_TIMED_OUT.message);
              connection.close();
            }, opts.authTimeoutMs).unref();
      pending.set(session.id, { timer, peer });
      return undefined;
    },
    authenticated(session) {
      const p = pending.get(session.id);
      if (p) clearTimeout(p.timer);
    },
    closed(session) {
      const p = pending.get(session.id);
      if (!p) return; // refused at connect: never counted
      clearTimeout(p.timer);
      pending.delete(session.id);
      const left = (byPeer.get(p.peer) ?? 1) - 1;
      if (left > 0) byPeer.set(p.peer, left);
      else byPeer.delete(p.peer);
    },
  };
}
