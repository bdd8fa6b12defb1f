// The MX-facing receiver (SESAME_INBOUND_SMTP_PORT): SMTP without AUTH, STARTTLS offered with the
// data folder's certificate. RCPT TO is refused unless some account's active rule set takes the
// recipient (IP filters first, block wins; then an enabled rule that applies; then its TLS policy);
// the reply to DATA is 250 only once the message is committed (receive.ts). smtp-server speaks the
// protocol; this file maps its hooks to SES's decisions and replies.
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { addressSyntaxError } from '../ses/send/address.js';
import { MAX_MESSAGE_BYTES, readDataStream } from '../smtp/session-to-send.js';
import { replyError, type SmtpReply } from '../smtp/replies.js';
import type { TlsCertificate } from '../smtp/tls-certificate.js';
import { sessionLimits } from '../smtp/session-limits.js';
import { directoryOf, routeRecipient, type Refusal } from './directory.js';
import { inboundHost, receiveMessage, type ReceiveDeps } from './receive.js';

/** SES's inbound replies [OBS for the unknown mailbox; the others are Sesame's wording]. */
export const INBOUND_REPLIES = {
  'no-rule': { code: 550, message: '5.1.1 Requested action not taken: mailbox unavailable' },
  blocked: {
    code: 554,
    message: '5.7.1 Access denied: the sending IP address is blocked by a receipt filter',
  },
  'tls-required': { code: 530, message: '5.7.0 Must issue a STARTTLS command first' },
  tooLong: { code: 552, message: '5.3.4 Message too big for system' },
  badSender: { code: 553, message: '5.1.7 Invalid sender address' },
  temporary: { code: 451, message: '4.3.0 Temporary service failure: try again later' },
} as const satisfies Record<Refusal | string, SmtpReply>;

export interface InboundListenerOptions {
  deps: ReceiveDeps;
  host: string;
  port: number;
  tls: TlsCertificate;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Open sessions in all and from one address (no authentication deadline: an MX has no AUTH). */
  maxConnections: number;
  maxConnectionsPerIp: number;
  /** Grace given to open sessions by stop() (ms). */
  closeGraceMs?: number;
}

export interface InboundListener {
  port: number;
  stop(): Promise<void>;
}

const peerOf = (s: SMTPServerSession) => ({ ip: s.remoteAddress, secure: s.secure });

export async function startInboundListener(o: InboundListenerOptions): Promise<InboundListener> {
  const { deps, log } = o;
  const limits = sessionLimits({ perPeer: o.maxConnectionsPerIp });
  const server = new SMTPServer({
    secure: false,
    key: o.tls.key,
    cert: o.tls.cert,
    name: inboundHost(deps.region),
    banner: 'Sesame inbound (Amazon SES receiving)',
    size: MAX_MESSAGE_BYTES,
    // An MX takes mail from anyone: no AUTH, so none is advertised.
    authOptional: true,
    disabledCommands: ['AUTH'],
    disableReverseLookup: true,
    maxRecipients: 100,
    closeTimeout: o.closeGraceMs ?? 5000,
    maxClients: o.maxConnections,
    logger: false,
    onConnect(session, callback) {
      const refused = limits.connect(server, session);
      callback(refused ? replyError(refused) : undefined);
    },
    onClose(session) {
      limits.closed(session);
    },
    onMailFrom(address, _session, callback) {
      if (address.address !== '' && addressSyntaxError(address.address) !== undefined)
        return callback(replyError(INBOUND_REPLIES.badSender));
      callback();
    },
    onRcptTo(address, session, callback) {
      directoryOf(deps.store, deps.region).then(
        (dir) => {
          const route = routeRecipient(dir, address.address, peerOf(session));
          if (route.accepted.length > 0) return callback();
          log.info(
            { recipient: address.address, peer: session.remoteAddress, refusal: route.refusal },
            'inbound recipient refused',
          );
          callback(replyError(INBOUND_REPLIES[route.refusal ?? 'no-rule']));
        },
        (err: unknown) => {
          log.error({ err }, 'inbound routing failed');
          callback(replyError(INBOUND_REPLIES.temporary));
        },
      );
    },
    onData(stream, session, callback) {
      readDataStream(stream)
        .then(async (data) => {
          if (data.kind === 'too-long') throw replyError(INBOUND_REPLIES.tooLong);
          const received = await receiveMessage(
            deps,
            {
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              recipients: session.envelope.rcptTo.map((r) => r.address),
              ip: session.remoteAddress,
              helo: session.hostNameAppearsAs || session.remoteAddress,
              secure: session.secure,
            },
            data.raw,
          );
          // The rules changed between RCPT and the end of DATA: nobody takes it any more.
          if (received.length === 0) throw replyError(INBOUND_REPLIES['no-rule']);
          return received;
        })
        .then(
          (received) => {
            log.info(
              { peer: session.remoteAddress, messages: received.map((r) => r.messageId) },
              'inbound message received',
            );
            callback(null, `OK ${received.map((r) => r.messageId).join(' ')}`);
          },
          (e: Error & { responseCode?: number }) => {
            if (e.responseCode !== undefined) return callback(e);
            log.error({ err: e, peer: session.remoteAddress }, 'inbound message not committed');
            callback(replyError(INBOUND_REPLIES.temporary));
          },
        );
    },
  });
  server.on('error', (err) => log.warn({ err }, 'inbound SMTP listener error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  log.info({ host: o.host, port, region: deps.region }, 'Sesame inbound SMTP (receiving) listening');
  return {
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
