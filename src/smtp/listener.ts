// Sesame's SMTP interface (docs/spec/ses.md §6): smtp-server listeners with STARTTLS (2587-style) and
// implicit TLS (2465-style), SES credentials, and SES's reply texts. The protocol is smtp-server's;
// this file only wires its hooks to authenticate.ts, session-to-send.ts and replies.ts.
import { randomBytes, randomUUID } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import type { Caller } from '../api/operation.js';
import type { VpcEndpoint } from '../api/vpc-endpoint.js';
import type { Config } from '../config/config.js';
import { isAwsError } from '../errors/aws-error.js';
import type { Store } from '../store/database.js';
import { authenticateSmtp, type ResolveKey } from './authenticate.js';
import { REPLIES, invalidMailFrom, replyError, rewriteLibraryReply, unknownRcptTo } from './replies.js';
import {
  MAX_MESSAGE_BYTES,
  readDataStream,
  submitMessage,
  pipelineAccept,
  type AcceptSend,
} from './session-to-send.js';
import { loadOrCreateTlsCertificate, type TlsCertificate } from './tls-certificate.js';
import { sessionLimits } from './session-limits.js';
import { addressSyntaxError } from '../ses/send/address.js';
import { recordAuditEvent } from '../audit/audit-log.js';
import { countSmtpMessage, countSmtpSession } from '../metrics/counters.js';

export interface SmtpListenerDeps {
  /** smtpHost, smtpPort (STARTTLS), smtpsPort (implicit TLS), region, dataDir, smtpAllowInsecureAuth. */
  config: Config;
  store: Store;
  resolveKey: ResolveKey;
  log: Logger;
  /** Commits a normalized send; the send pipeline (`acceptSend`) unless a test injects a fake. */
  accept?: AcceptSend;
  /** The operator's certificate; otherwise `${dataDir}/smtp-tls.{key,crt}`, generated once. */
  tls?: TlsCertificate;
  /** More listeners beside smtpPort/smtpsPort (e.g. 587 and 465, or a VPC endpoint's). */
  extraListeners?: { port: number; implicitTls: boolean; endpoint?: VpcEndpoint }[];
  /** Which of the two configured listeners to start (both by default). */
  enable?: { starttls?: boolean; implicit?: boolean };
  /** Host name in the greeting and EHLO reply. */
  serverName?: string;
  /** Grace given to open sessions by stop() before they are cut (ms). */
  closeGraceMs?: number;
  clock?: () => Date;
}

export interface SmtpListeners {
  /** Actual ports (a configured 0 picks a free one). */
  ports: { starttls?: number; implicit?: number; extra: number[] };
  stop(): Promise<void>;
}

/** What a successful AUTH leaves on the session. */
interface SessionUser {
  accessKeyId: string;
  caller: Caller;
}

const userOf = (session: SMTPServerSession): SessionUser | undefined =>
  session.user as SessionUser | undefined;

export function isLoopback(address: string): boolean {
  try {
    return ipaddr.process(address).range() === 'loopback';
  } catch {
    return false;
  }
}

export async function startSmtpListeners(deps: SmtpListenerDeps): Promise<SmtpListeners> {
  const { config, log } = deps;
  const region = config.region;
  const clock = deps.clock ?? (() => new Date());
  const baseAccept = deps.accept ?? pipelineAccept;
  // Anything but an AwsError is answered 451 without detail; the operator gets it in the log.
  const accept: AcceptSend = async (ctx, req) => {
    try {
      return await baseAccept(ctx, req);
    } catch (e) {
      if (!isAwsError(e)) log.error({ err: e, requestId: ctx.requestId }, 'SMTP message failed');
      throw e;
    }
  };
  const tls = deps.tls ?? (await loadOrCreateTlsCertificate(config.dataDir, config.smtpHost));
  const hostId = randomBytes(6).toString('hex');
  const serverName = deps.serverName ?? 'email-smtp.amazonaws.com';

  /** Open sessions' "closed" callbacks (the open-sessions gauge). */
  const open = new Map<string, () => void>();

  // Plain-text AUTH only where configured, and only for loopback peers (tests, local tools).
  const insecureAuthAllowed = (session: SMTPServerSession) =>
    config.smtpAllowInsecureAuth && isLoopback(session.remoteAddress);
  // Shared by every listener: sessions per address and the time to authenticate (session-limits.ts).
  const limits = sessionLimits({
    perPeer: config.smtpMaxConnectionsPerIp,
    max: config.smtpMaxConnections,
    authTimeoutMs: config.smtpAuthTimeoutMs,
  });

  const createServer = (implicitTls: boolean, endpoint?: VpcEndpoint): SMTPServer => {
    const options: SMTPServerOptions = {
      secure: implicitTls,
      key: tls.key,
      cert: tls.cert,
      name: serverName,
      banner: `SimpleEmailService-sesame-${hostId}`,
      heloResponse: '%s',
      size: MAX_MESSAGE_BYTES,
      authMethods: ['PLAIN', 'LOGIN'],
      // The library refuses AUTH before STARTTLS itself unless this is set; with it set, onAuth
      // refuses non-loopback peers (the reply rewrite below words the refusal as SES does).
      allowInsecureAuth: config.smtpAllowInsecureAuth,
      authRequiredMessage: REPLIES.authRequired.message,
      maxRecipients: 50,
      disableReverseLookup: true,
      closeTimeout: deps.closeGraceMs ?? 5000,
      maxClients: config.smtpMaxConnections,
      socketTimeout: config.smtpIdleTimeoutMs,
      logger: false,
      onConnect(session, callback) {
        const refused = limits.connect(server, session);
        if (refused) return callback(replyError(refused));
        open.set(session.id, countSmtpSession());
        rewriteReplies(server, session, insecureAuthAllowed(session));
        callback();
      },
      onClose(session) {
        limits.closed(session);
        open.get(session.id)?.();
        open.delete(session.id);
      },
      onAuth(auth, session, callback) {
        if (!session.secure && !insecureAuthAllowed(session))
          return callback(replyError(REPLIES.mustStartTls));
        const username = auth.username ?? '';
        const now = clock();
        authenticateSmtp(deps.resolveKey, { username, password: auth.password ?? '' }, region, now).then(
          async (outcome) => {
            if (outcome.kind === 'refused') {
              log.info(
                { accessKeyId: username, peer: session.remoteAddress, reply: outcome.reply.code },
                'SMTP authentication refused',
              );
              // A refused sign-in is on the record too (guessing keys or passwords shows there).
              await recordAuditEvent(deps.store, {
                time: now,
                region,
                accessKeyId: username.slice(0, 128),
                sourceIp: session.remoteAddress,
                eventSource: 'smtp',
                eventName: 'AUTH',
                actions: [],
                resources: [],
                decision: 'Unauthenticated',
                errorCode: String(outcome.reply.code),
                errorMessage: outcome.reply.message,
                requestId: randomUUID(),
              }).catch((e: unknown) => log.error({ err: e }, 'audit record failed'));
              return callback(replyError(outcome.reply));
            }
            const user: SessionUser = { accessKeyId: username, caller: outcome.caller };
            limits.authenticated(session);
            callback(null, { user });
          },
          (e: unknown) => {
            log.error({ err: e }, 'SMTP authentication failed');
            callback(replyError(REPLIES.authTemporaryFailure));
          },
        );
      },
      onMailFrom(address, session, callback) {
        if (!userOf(session)) return callback(replyError(REPLIES.authRequired));
        if (addressSyntaxError(address.address) !== undefined)
          return callback(replyError(invalidMailFrom(address.address)));
        callback();
      },
      onRcptTo(address, _session, callback) {
        if (addressSyntaxError(address.address) !== undefined)
          return callback(replyError(unknownRcptTo(address.address)));
        callback();
      },
      onData(stream, session, callback) {
        const user = userOf(session);
        if (!user) {
          stream.resume();
          return callback(replyError(REPLIES.authRequired));
        }
        readDataStream(stream)
          .then((data) =>
            submitMessage(
              accept,
              { config, store: deps.store, region, caller: user.caller, now: clock(), endpoint },
              session,
              data,
            ),
          )
          .then(
            (reply) => {
              countSmtpMessage(250);
              log.info(
                { accessKeyId: user.accessKeyId, peer: session.remoteAddress, reply },
                'SMTP message accepted',
              );
              callback(null, reply);
            },
            (e: Error & { responseCode?: number }) => {
              countSmtpMessage(e.responseCode ?? REPLIES.localError.code);
              // A connection lost mid-DATA has no one to answer; nothing was accepted.
              if (e.responseCode === undefined) return callback(replyError(REPLIES.localError));
              log.info(
                {
                  accessKeyId: user.accessKeyId,
                  peer: session.remoteAddress,
                  reply: `${e.responseCode} ${e.message}`,
                },
                'SMTP message refused',
              );
              callback(e);
            },
          );
      },
    };
    const server = new SMTPServer(options);
    server.on('error', (err) => log.warn({ err }, 'SMTP listener error'));
    return server;
  };

  const started: SMTPServer[] = [];
  const listen = async (port: number, implicitTls: boolean, endpoint?: VpcEndpoint): Promise<number> => {
    const server = createServer(implicitTls, endpoint);
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      server.server.once('error', onError);
      server.listen(port, config.smtpHost, () => {
        server.server.off('error', onError);
        resolve();
      });
    });
    started.push(server);
    const addr = server.server.address();
    return typeof addr === 'object' && addr ? addr.port : port;
  };

  const stop = async () => {
    await Promise.all(started.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  };

  try {
    const ports: SmtpListeners['ports'] = { extra: [] };
    if (deps.enable?.starttls !== false) ports.starttls = await listen(config.smtpPort, false);
    if (deps.enable?.implicit !== false) ports.implicit = await listen(config.smtpsPort, true);
    for (const l of deps.extraListeners ?? [])
      ports.extra.push(await listen(l.port, l.implicitTls, l.endpoint));
    log.info({ host: config.smtpHost, ...ports, region }, 'Sesame SMTP listening');
    return { ports, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Words smtp-server's own replies as SES does (replies.ts), and leaves AUTH out of the EHLO list
 * until TLS is up (docs/spec/ses.md §6.1) unless this peer may authenticate in plain text. smtp-server has no
 * hook for its built-in replies, so the session's connection gets a thin `send` wrapper.
 */
function rewriteReplies(server: SMTPServer, session: SMTPServerSession, insecureAuthAllowed: boolean): void {
  const connection = [...server.connections].find((c) => c.session === session);
  if (!connection) return;
  const send = connection.send.bind(connection);
  connection.send = (code, data, context) => {
    if (Array.isArray(data)) {
      const hideAuth = code === 250 && !connection.secure && !insecureAuthAllowed;
      return send(code, hideAuth ? data.filter((line) => !line.startsWith('AUTH ')) : data, context);
    }
    const rewritten = typeof data === 'string' ? rewriteLibraryReply(code, data) : undefined;
    if (!rewritten) return send(code, data, context);
    send(rewritten.code, rewritten.message, context);
  };
}
