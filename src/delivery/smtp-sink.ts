// A loopback SMTP receiver for tests and the benchmark: records what it was sent, byte for byte,
// and can refuse recipients with a chosen reply. Listens on 127.0.0.1 only.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SinkMessage {
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
  secure: boolean;
  user?: string;
  /** The client's address (a dedicated sending address when delivery bound one). */
  remoteAddress: string;
}

export interface SinkOptions {
  /** Required credentials; AUTH is optional when unset. */
  auth?: { user: string; pass: string };
  /** A reply for a recipient (`550 5.1.1 …`, `451 4.3.0 …`), or undefined to accept it. */
  rcptReply?: (address: string) => string | undefined;
  /** Called for each message received. */
  onMessage?: (m: SinkMessage) => void;
  /** While true, a message's DATA is never answered (nor recorded): a receiver that hangs. */
  hold?: () => boolean;
}

export interface SmtpSink {
  port: number;
  messages: SinkMessage[];
  /** Messages whose DATA was held unanswered (`hold`). */
  held(): number;
  close(): Promise<void>;
}

export async function startSmtpSink(opts: SinkOptions = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  let held = 0;
  const server = new SMTPServer({
    logger: false,
    authOptional: !opts.auth,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass)
        cb(null, { user: auth.username });
      else cb(Object.assign(new Error('Authentication failed'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      const reply = opts.rcptReply?.(address.address);
      if (!reply) return cb();
      const code = Number(reply.slice(0, 3));
      cb(Object.assign(new Error(reply.slice(4)), { responseCode: code }));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (opts.hold?.()) {
          held++;
          return;
        }
        const m: SinkMessage = {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          secure: session.secure,
          remoteAddress: session.remoteAddress.replace(/^::ffff:/, ''),
          ...(typeof session.user === 'string' ? { user: session.user } : {}),
        };
        messages.push(m);
        opts.onMessage?.(m);
        cb(null, 'OK: queued as sink');
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A client that vanishes (a node killed mid-DATA resets its connections) is no error of the
  // sink's; without a listener the second such reset would be thrown in the test process.
  server.on('error', () => {});
  const port = (server as unknown as { server: { address(): AddressInfo } }).server.address().port;
  return {
    port,
    messages,
    held: () => held,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
