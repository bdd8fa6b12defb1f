// The composition root: configuration in, a running set of parts out. Owns every lifetime
// (store, caches, listeners) and closes them in reverse order.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config/config.js';
import type { OperationTable } from './api/operation.js';
import { openStore, type Store } from './store/database.js';
import { createSecretBox, type SecretBox } from './store/secret-box.js';
import { resolveMasterKey } from './store/master-key.js';
import { prepareDataFolder } from './store/data-folder.js';
import { availabilityLog } from './store/availability.js';
import { createLogger } from './logging/logger.js';
import { watchStore } from './metrics/store-gauges.js';
import { trustedProxies, type TrustedProxies } from './http/client-address.js';
import {
  createPrincipalResolver,
  EMULATOR_ACCOUNT_ID,
  type PrincipalResolver,
} from './http/principal-resolver.js';
import { ensureDefaultAccount, rootCredentialsFile } from './accounts/default-account.js';
import { accountExists, createAccount } from './accounts/accounts.js';
import { simulatorOperations } from './simulator/index.js';
import { syncGenerations } from './iam/generation.js';
import { registerEmulatorRoutes } from './emulator/routes.js';
import { auditOperations } from './audit/audit-api.js';
import { startAuditMaintenance } from './audit/maintenance.js';
import { registerVerificationRoutes } from './ses/verification/routes.js';
import { registerListRoutes } from './ses/lists/routes.js';
import { iamOperations } from './iam/operations/index.js';
import { refusingSessionTokenCredentials } from './iam/session-token-guard.js';
import { stsOperations } from './sts/index.js';
import { sesV1Operations } from './ses/v1/index.js';
import { sesV2Operations } from './ses/v2/index.js';
import { sesV1SendOperations, sesV2SendOperations } from './ses/send/index.js';
import { mailboxOperations, messagePartOperations } from './mailbox-api/index.js';
import { stopWaiting } from './delivery/mailbox-arrivals.js';
import { whatIfOperations } from './what-if/operation.js';
import { productionAccessOperations } from './accounts/production-access-api.js';
import { registerConsoleRoutes } from './console/serve.js';
import { declareDedicatedIps } from './ses/state/dedicated-ips.js';
import { archiveOperations } from './archive/operations.js';
import type { ProcessRole } from './cluster/role.js';

export interface OperationTables {
  sesV1: OperationTable;
  sesV2: OperationTable;
  iam: OperationTable;
  sts: OperationTable;
  /** Sesame's own API (SigV4 service `sesame`): the mailbox and the audit log. */
  sesame: OperationTable;
}

export interface App {
  config: Config;
  store: Store;
  box: SecretBox;
  log: Logger;
  proxies: TrustedProxies;
  principals: PrincipalResolver;
  operations: OperationTables;
  /** Extra HTTP routes (console, mailbox API, emulator endpoints) registered by other parts. */
  httpRoutes: ((server: FastifyInstance) => void)[];
  /** Set on first start when a root key was generated: shown once by `serve`. */
  generatedRootKey?: { accountId: string; accessKeyId: string; secretAccessKey: string };
  /** The data folder's root-credentials.json, when it exists (every start says where it is). */
  rootCredentialsFile?: string;
  close(): Promise<void>;
}

export interface AppOptions {
  logger?: Logger;
  /** Which process of the node this is (src/cluster/role.ts); default 'node': all of it. */
  process?: ProcessRole;
}

export async function createApp(config: Config, opts: AppOptions = {}): Promise<App> {
  const log = opts.logger ?? createLogger(config);
  const role = opts.process ?? 'node';
  prepareDataFolder(config.dataDir);
  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    onBackgroundError: (message) => log.warn({ message }, 'background WAL checkpoint failed'),
    poolSize: config.databasePoolSize,
    waitMs: config.databaseWaitMs,
    queryTimeoutMs: config.databaseQueryTimeoutMs,
    log,
    // Several workers write one SQLite file; the primary alone checkpoints it.
    sharedWriters: role === 'listeners' || role === 'background',
    checkpoints: role === 'node' || role === 'primary',
  });
  let box: SecretBox;
  let bootstrap: Awaited<ReturnType<typeof ensureDefaultAccount>>;
  try {
    // Before any secret is sealed or opened: a node holding another master key stops here.
    box = createSecretBox(await resolveMasterKey(store, config.dataDir, config.masterKey));
    bootstrap = await ensureDefaultAccount(store, box, config);
    if (config.profile === 'emulator' && !(await accountExists(store, EMULATOR_ACCOUNT_ID))) {
      await createAccount(store, box, { accountId: EMULATOR_ACCOUNT_ID });
    }
  } catch (e) {
    await store.close();
    throw e;
  }
  // The operator's dedicated sending addresses (SESAME_DEDICATED_IPS) join their accounts.
  await declareDedicatedIps(store, config.dedicatedIps, new Date());
  const principals = createPrincipalResolver(store, box);
  // Learn the writes of other processes (other nodes on one PostgreSQL; operator commands on the
  // same SQLite file) to IAM and SES state, which the principal and send-state caches depend on.
  const availability = availabilityLog(log, store.dialect);
  const generationSync = setInterval(
    () =>
      syncGenerations(store).then(
        () => availability.succeeded(),
        (e: unknown) => {
          if (!availability.failed(e)) log.warn({ err: e }, 'generation sync failed');
        },
      ),
    store.dialect === 'postgres' ? 2000 : 1000,
  );
  generationSync.unref();
  const stopWatching = watchStore(store);
  // Audit log bounds: summaries of unauthenticated failures, retention (SESAME_AUDIT_*).
  // Not in a cluster's primary: it serves no request (each worker flushes its own summaries).
  const auditMaintenance =
    role !== 'primary'
      ? startAuditMaintenance(store, {
          retentionDays: config.auditRetentionDays,
          unauthenticatedPerMinute: config.auditUnauthenticatedPerMinute,
          log,
        })
      : { stop: async () => {} };
  const app: App = {
    config,
    store,
    box,
    log,
    proxies: trustedProxies(config.trustedProxies),
    principals,
    operations: {
      sesV1: { ...sesV1Operations, ...sesV1SendOperations },
      sesV2: { ...sesV2Operations, ...sesV2SendOperations },
      iam: { ...iamOperations, ...refusingSessionTokenCredentials(simulatorOperations) },
      sts: stsOperations,
      sesame: {
        ...mailboxOperations,
        ...messagePartOperations,
        ...auditOperations,
        ...archiveOperations,
        ...whatIfOperations,
        ...productionAccessOperations,
      },
    },
    httpRoutes: [],
    generatedRootKey:
      bootstrap.created && bootstrap.generated
        ? {
            accountId: bootstrap.accountId,
            accessKeyId: bootstrap.credentials.AccessKeyId,
            secretAccessKey: bootstrap.credentials.SecretAccessKey,
          }
        : undefined,
    rootCredentialsFile: rootCredentialsFile(config.dataDir),
    close: async () => {
      clearInterval(generationSync);
      stopWatching();
      await auditMaintenance.stop();
      await store.close();
    },
  };
  if (config.profile === 'emulator') app.httpRoutes.push((server) => registerEmulatorRoutes(app, server));
  // GET /verify-email: the link of SESAME_VERIFICATION=email messages (the token is the proof).
  app.httpRoutes.push((server) => registerVerificationRoutes(app, server));
  // /unsubscribe/<token>: list management's preferences page and one-click unsubscribe (the token is the proof).
  app.httpRoutes.push((server) => registerListRoutes(app, server));
  app.httpRoutes.push((server) => registerConsoleRoutes(app, server));
  // A closing server answers the mailbox's pending waits at once instead of holding close().
  app.httpRoutes.push((server) => server.addHook('preClose', (done) => (stopWaiting(app.store), done())));
  return app;
}
