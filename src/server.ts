// A running Sesame: the app plus its listeners. Used by `sesame serve` and by the end-to-end tests
// (one server per test file, on free ports).
import { setFlagsFromString } from 'node:v8';
import type { FastifyInstance } from 'fastify';
import { createApp, type App, type AppOptions } from './app.js';
import type { Config } from './config/config.js';
import { createHttpServer } from './http/server.js';
import { startSmtpListeners, type SmtpListeners } from './smtp/listener.js';
import { loadOrCreateTlsCertificate } from './smtp/tls-certificate.js';
import { startDelivery } from './delivery/index.js';
import { transportFromConfig } from './delivery/transports/select.js';
import {
  hasTargets,
  resolveSigningKey,
  publishTargets,
  startPublisher,
} from './delivery/publishing/index.js';
import { startDnsVerifier } from './ses/verification/dns-check.js';
import { confirmPendingMailFrom } from './ses/state/mail-from.js';
import { listenVpcEndpoint, type VpcHttpListener } from './http/vpc-listener.js';
import { applyHttpLimits } from './http/limits.js';
import type { VpcEndpoint } from './api/vpc-endpoint.js';

/** The VPC interface endpoint the SESAME_VPC_* listeners stand for (both ids are set then). */
function vpcEndpointOfConfig(config: Config): VpcEndpoint | undefined {
  return config.vpcEndpointId && config.vpcId
    ? { endpointId: config.vpcEndpointId, vpcId: config.vpcId }
    : undefined;
}
import { receiveDepsFor, startInbound, withLoopbackReceiving, type RunningInbound } from './inbound/index.js';
import { closeS3Access } from './s3/index.js';
import { startJobs } from './ses/jobs/index.js';
import { runsBackground, servesListeners } from './cluster/role.js';

export interface RunningServer {
  app: App;
  http: FastifyInstance;
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  /** Actual SMTP ports (undefined when a listener is disabled). */
  smtp: { starttls?: number; implicit?: number };
  /** The VPC endpoint listeners (SESAME_VPC_*): `http://host:port` and the SMTP (STARTTLS) port. */
  vpc: { endpoint?: string; smtp?: number };
  /** The MX-facing receiver's port (undefined when it is off). */
  inboundSmtp?: number;

  stop(): Promise<void>;
}

export interface StartOptions extends AppOptions {
  quiet?: boolean;
  /** 'config': a port of 0 disables that listener (the operator's contract); 'ephemeral': 0 picks a free port (tests). */
  smtpPorts?: 'config' | 'ephemeral';
}

/**
 * Node's default young generation (16 MB semi-spaces) fills every few hundred requests on the send
 * path; 32 MB ones halve the scavenges: the API benchmark gained 10-20% and lost ~4 ms of p99.
 * An explicit `--max-semi-space-size` (node flag or NODE_OPTIONS) wins.
 */
function tuneYoungGeneration(): void {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('semi-space'));
  if (!given) setFlagsFromString('--max-semi-space-size=32');
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  tuneYoungGeneration();
  // A node's processes (src/cluster/role.ts): which parts run here.
  const listens = servesListeners(opts.process ?? 'node');
  const works = runsBackground(opts.process ?? 'node');
  const app = await createApp(config, opts);
  const http = createHttpServer(app);
  try {
    // With automatic verification, MAIL FROM domains kept Pending by migration 0081 are confirmed
    // before this process serves or delivers anything, so none of it reads (and caches) them pending.
    await confirmPendingMailFrom(app.store, config);
    if (listens) await http.listen({ host: config.httpHost, port: config.httpPort });
  } catch (e) {
    await app.close();
    throw e;
  }
  const addr = listens ? http.server.address() : null;
  const port = typeof addr === 'object' && addr ? addr.port : config.httpPort;
  const endpoint = `http://${config.httpHost.includes(':') ? `[${config.httpHost}]` : config.httpHost}:${port}`;
  const ephemeral = opts.smtpPorts === 'ephemeral';
  const enable = {
    starttls: listens && (ephemeral || config.smtpPort > 0),
    implicit: listens && (ephemeral || config.smtpsPort > 0),
  };
  let smtp: SmtpListeners | undefined;
  let vpcHttp: VpcHttpListener | undefined;
  const vpc = vpcEndpointOfConfig(config);
  const vpcSmtp =
    vpc && listens && config.vpcSmtpPort > 0
      ? [{ port: config.vpcSmtpPort, implicitTls: false, endpoint: vpc }]
      : [];
  // Delivery workers claim what the API and SMTP paths committed (capture transport by default).
  // Mail captured for a domain with an active receipt rule here is received too (src/inbound/loopback.ts).
  const receive = receiveDepsFor(config, app.store);
  const transport = withLoopbackReceiving(transportFromConfig(config, app.store), receive);
  const publishing = publishTargets(config);
  // SESAME_DELIVERY_CONCURRENCY=0: an accept-only node (the shared outbox is delivered elsewhere).
  const delivery =
    config.deliveryConcurrency > 0 && works
      ? startDelivery({
          store: app.store,
          config,
          log: app.log,
          secretBox: app.box,
          transport,
          publishing,
          concurrency: config.deliveryConcurrency,
          tuning: { leaseMs: config.deliveryLeaseMs },
        })
      : { stop: async () => {} };
  // Event publishing runs only when the operator mapped topics or an EventBridge webhook.
  // (and receipt rules' Event invocations of the mapped Lambda functions).
  const signingKey = await resolveSigningKey(app.store, app.box, config.dataDir);
  const publisher =
    works && (hasTargets(publishing) || config.receiving.lambdaFunctions.length > 0)
      ? startPublisher({ store: app.store, key: signingKey, log: app.log })
      : undefined;
  // SESAME_VERIFICATION=dns: re-checks pending identities' TXT/CNAME/MX records; email: the MX
  // records of MAIL FROM domains (idle with automatic verification).
  const dnsVerifier = works
    ? startDnsVerifier({ store: app.store, config, log: app.log, servers: config.dnsServers })
    : { stop: async () => {} };
  // SES v2 import and export jobs, run in the background from the jobs table.
  const jobs = works ? startJobs(config, app.store, app.log) : { stop: async () => {} };
  let inbound: RunningInbound | undefined;
  const smtpWanted = enable.starttls || enable.implicit || vpcSmtp.length > 0;
  // One certificate for every SMTP listener, shared by the nodes of one store.
  const tls =
    smtpWanted || (listens && (config.receiving.inboundSmtpPort > 0 || ephemeral))
      ? await loadOrCreateTlsCertificate(config.dataDir, config.smtpHost, { store: app.store, box: app.box })
      : undefined;
  try {
    // The MX-facing receiver and the workers of receipt actions (SESAME_INBOUND_SMTP_PORT).
    inbound = await startInbound({
      config,
      store: app.store,
      log: app.log,
      receive,
      signingKey,
      ...(tls ? { tls } : {}),
      listen: !listens ? 0 : ephemeral ? 'ephemeral' : config.receiving.inboundSmtpPort,
      concurrency: works ? config.deliveryConcurrency : 0,
    });
    if (smtpWanted) {
      smtp = await startSmtpListeners({
        config,
        store: app.store,
        log: app.log,
        ...(tls ? { tls } : {}),
        enable,
        extraListeners: vpcSmtp,
        resolveKey: (accessKeyId, now) => app.principals.resolve(accessKeyId, now),
      });
    }
    if (vpc && listens && config.vpcHttpPort > 0)
      vpcHttp = await listenVpcEndpoint(http, vpc, config.httpHost, config.vpcHttpPort, (server) =>
        applyHttpLimits(server, config, app.proxies),
      );
  } catch (e) {
    await smtp?.stop();
    await vpcHttp?.close();
    await inbound?.stop();
    await jobs.stop();
    await delivery.stop();
    await publisher?.stop();
    await transport.close?.();
    await dnsVerifier.stop();
    await http.close();
    closeS3Access(config.s3);
    await app.close();
    throw e;
  }
  if (!opts.quiet) {
    app.log.info(
      { endpoint, profile: config.profile, database: app.store.dialect },
      'Sesame HTTP API listening',
    );
  }
  return {
    app,
    http,
    endpoint,
    smtp: { starttls: smtp?.ports.starttls, implicit: smtp?.ports.implicit },
    vpc: {
      endpoint: vpcHttp ? endpoint.replace(/:\d+$/, `:${vpcHttp.port}`) : undefined,
      smtp: vpcSmtp.length > 0 ? smtp?.ports.extra[0] : undefined,
    },
    ...(inbound?.port !== undefined ? { inboundSmtp: inbound.port } : {}),
    stop: async () => {
      await smtp?.stop();
      await vpcHttp?.close();
      await inbound?.stop();
      await jobs.stop();
      if (listens) await http.close();
      await delivery.stop(); // finishes or releases claimed work
      await publisher?.stop();
      await transport.close?.();
      await dnsVerifier.stop();
      closeS3Access(config.s3);
      await app.close();
    },
  };
}
