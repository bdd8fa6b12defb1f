// Email receiving: the MX-facing listener, the capture loop and the workers that run receipt
// actions. The receipt API (rule sets, rules, filters) is src/ses/receiving/.
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { notify } from '../delivery/notify.js';
import { publishTargets } from '../delivery/publishing/index.js';
import { s3AccessFor } from '../s3/index.js';
import { bucketAllowed } from '../s3/bucket-access.js';
import type { Store } from '../store/database.js';
import { loadOrCreateTlsCertificate, type TlsCertificate } from '../smtp/tls-certificate.js';
import type { ActionEnv } from './actions.js';
import { REQUEST_RESPONSE_TIMEOUT_MS } from './lambda.js';
import { startInboundListener } from './listener.js';
import type { ReceiveDeps } from './receive.js';
import { verdictResolver, type DnsResolve } from './verdicts.js';
import { startInboundWorker, type InboundWorkerTuning } from './worker.js';

export { withLoopbackReceiving } from './loopback.js';
export { receiveMessage, inboundMessageId, type ReceiveDeps, type Received } from './receive.js';
export { inboundTimeline, type InboundTimeline } from './timeline.js';
export { INBOUND_REPLIES } from './listener.js';

/** What receiving a message needs: the store, the listener's region, the resolver, the scanners. */
export function receiveDepsFor(config: Config, store: Store, resolve?: DnsResolve): ReceiveDeps {
  return {
    store,
    region: config.region,
    resolve: resolve ?? verdictResolver(config.dnsServers),
    scanners: config.receiving,
    now: () => new Date(),
  };
}

export interface InboundOptions {
  config: Config;
  store: Store;
  log: Logger;
  receive: ReceiveDeps;
  signingKey: Buffer;
  /** The certificate of STARTTLS: the node's (loadOrCreateTlsCertificate); generated when absent. */
  tls?: TlsCertificate;
  /** The MX listener's port: the configured one, 0 = none; tests pass 'ephemeral' (a free port). */
  listen: number | 'ephemeral';
  /** Messages whose actions run at once; 0: this node runs none (another node does). */
  concurrency: number;
  tuning?: Partial<InboundWorkerTuning>;
}

export interface RunningInbound {
  port?: number;
  stop(): Promise<void>;
}

export async function startInbound(o: InboundOptions): Promise<RunningInbound> {
  const env: ActionEnv = {
    ...(o.config.s3 ? { s3: s3AccessFor(o.config.s3, o.config.region)! } : {}),
    subscribers: publishTargets(o.config).sns,
    functions: new Map(o.config.receiving.lambdaFunctions.map((f) => [f.functionArn, f.url])),
    signingKey: o.signingKey,
    lambdaTimeoutMs: REQUEST_RESPONSE_TIMEOUT_MS,
    wakeDelivery: () => notify('outbox'),
    mayUseBucket: (accountId, bucket) => bucketAllowed(o.config, accountId, bucket),
  };
  const worker =
    o.concurrency > 0
      ? startInboundWorker({
          store: o.store,
          env,
          log: o.log,
          concurrency: o.concurrency,
          ...(o.tuning ? { tuning: o.tuning } : {}),
        })
      : undefined;
  const port = o.listen === 'ephemeral' ? 0 : o.listen;
  if (o.listen !== 'ephemeral' && o.listen === 0) return { stop: async () => worker?.stop() };
  try {
    const listener = await startInboundListener({
      deps: o.receive,
      host: o.config.receiving.inboundSmtpHost,
      port,
      maxConnections: o.config.receiving.inboundMaxConnections,
      maxConnectionsPerIp: o.config.receiving.inboundMaxConnectionsPerIp,
      tls: o.tls ?? (await loadOrCreateTlsCertificate(o.config.dataDir, o.config.smtpHost)),
      log: o.log,
    });
    return {
      port: listener.port,
      stop: async () => {
        await listener.stop();
        await worker?.stop();
      },
    };
  } catch (e) {
    await worker?.stop();
    throw e;
  }
}
