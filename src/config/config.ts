// Configuration is read once, here, validated, and passed down. Nothing else reads process.env.
// Each option is documented in README.md ("Configuration") with its default; the readers of each
// concern live beside this file (listeners, store, delivery, receiving, regions).
import { bool, ConfigError, httpUrl, int, num, oneOf, opt, type Env } from './env.js';
import { cidrList, listenerLimits, listenHost, vpcSettings } from './listeners.js';
import { databaseUrl, masterKey } from './store.js';
import {
  dedicatedIps,
  dnsblZones,
  dnsServers,
  relayUrl,
  snsSubscriptions,
  type DedicatedIpDeclaration,
  type DeliveryTransportKind,
  type SnsSubscription,
} from './delivery.js';
import { receivingSettings, s3Settings, type ReceivingSettings, type S3Settings } from './receiving.js';
import { regionList } from './regions.js';
import { workerCount } from './workers.js';

export { ConfigError, httpUrl } from './env.js';
export type { DedicatedIpDeclaration, DeliveryTransportKind, SnsSubscription } from './delivery.js';

export type VerificationMode = 'auto' | 'email' | 'dns';
export type Profile = 'aws' | 'emulator';
export type LogFormat = 'json' | 'pretty';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface Config {
  httpHost: string;
  httpPort: number;
  smtpHost: string;
  /** STARTTLS listener; 0 disables it. */
  smtpPort: number;
  /** Implicit-TLS listener; 0 disables it. */
  smtpsPort: number;
  dataDir: string;
  /** PostgreSQL URL; undefined means the embedded SQLite database in dataDir. */
  databaseUrl?: string;
  accountId: string;
  rootAccessKeyId?: string;
  rootSecretAccessKey?: string;
  /** 32-byte key (base64 or hex) encrypting secrets at rest; generated into dataDir when unset. */
  masterKey?: string;
  verification: VerificationMode;
  profile: Profile;
  autoApproveProduction: boolean;
  /** Region of the SMTP listeners and the default region of tools. */
  region: string;
  productionMaxSendRate: number;
  productionMax24HourSend: number;
  /** Peers whose X-Forwarded-For / X-Forwarded-Proto are believed (CIDRs). */
  trustedProxies: string[];
  /** Allow AUTH without TLS on SMTP from loopback peers (tests, local tools). */
  smtpAllowInsecureAuth: boolean;
  logLevel: string;
  /** Where delivery hands mail: the local mailbox (capture), a smarthost (relay) or recipients' MX. */
  deliveryTransport: DeliveryTransportKind;
  /** Messages this node delivers at once; 0: this node only accepts (others on the same PostgreSQL deliver). */
  deliveryConcurrency: number;
  /** `smtp://user:pass@host:port` (STARTTLS required unless `?tls=off`) or `smtps://…`; relay only. */
  relayUrl?: string;
  /** SNS topic ARN -> HTTP(S) subscriber URL (event publishing and identity notifications). */
  snsSubscriptions: SnsSubscription[];
  /** Where EventBridge event destinations are POSTed. */
  eventBridgeWebhook?: string;
  /** Console operator token (POST /sesame/console/operator-session); generated into dataDir when unset. */
  operatorToken?: string;
  /** Listeners standing for VPC interface endpoint `vpcEndpointId` of `vpcId` (0: none). */
  vpcHttpPort: number;
  vpcSmtpPort: number;
  vpcEndpointId?: string;
  vpcId?: string;
  /** `json` (one object a line) or `pretty` (for people). */
  logFormat: LogFormat;
  /** PostgreSQL connections this node keeps at most. */
  databasePoolSize: number;
  /** How long start-up waits for an unreachable PostgreSQL before giving up (ms; 0: no wait). */
  databaseWaitMs: number;
  /** A PostgreSQL query not answered in this time fails (a dead connection never hangs a caller). */
  databaseQueryTimeoutMs: number;
  /** How long a delivery worker's claim on a message lasts before another node may take it over. */
  deliveryLeaseMs: number;
  /** The node's dedicated sending addresses and the account and region each is leased to. */
  dedicatedIps: DedicatedIpDeclaration[];
  /** DNSBL zones GetBlacklistReports looks dedicated addresses up in. */
  dnsblZones: string[];
  /** Base of links in mail (verification, unsubscribe): SESAME_PUBLIC_URL, else the HTTP listener. */
  publicUrl?: string;
  /** DNS servers (`host[:port]`) of DNS checks (verification, insights, recommendations, DNSBL); the system's when empty. */
  dnsServers: string[];
  /** S3-compatible store of receipt S3 actions (SESAME_S3_*); undefined: such actions cannot run. */
  s3?: S3Settings;
  /** The MX-facing receiver and the targets of receipt actions (config/receiving.ts). */
  receiving: ReceivingSettings;
  /** Threads rendering templates off the event loop. */
  renderWorkers: number;
  /** Time one template render may take before it is cut off (ms). */
  renderTimeoutMs: number;
  /** Bytes of subject, text and HTML one render may produce. */
  renderMaxOutputBytes: number;
  /** Regions this server answers for (SigV4 scopes, SMTP, the console); anything else is refused. */
  regions: string[];
  /** Identities (addresses and domains) one account may have in one region (SES: 10,000). */
  maxIdentitiesPerRegion: number;
  /** Operator's explicit consent to `auto` verification (or the emulator) with relay/mx delivery. */
  allowAutoVerificationWithRealDelivery: boolean;
  /** Audit records older than this many days are deleted; 0 keeps them forever. */
  auditRetentionDays: number;
  /** Unauthenticated failures recorded one by one per source address and minute; the rest summarized. */
  auditUnauthenticatedPerMinute: number;
  /** HTTP: time for a request's headers, and for the whole request, body included (ms). */
  httpHeadersTimeoutMs: number;
  httpRequestTimeoutMs: number;
  /** HTTP: time without a byte of body after which the request is given up (ms). */
  httpIdleTimeoutMs: number;
  /** HTTP: open connections in all, and from one address (trusted proxies exempt). */
  httpMaxConnections: number;
  httpMaxConnectionsPerIp: number;
  /** HTTP: bytes of request bodies held, all requests together, before their signature is checked. */
  httpUnauthenticatedBodyBytes: number;
  /** SMTP: open sessions in all, and from one address. */
  smtpMaxConnections: number;
  smtpMaxConnectionsPerIp: number;
  /** SMTP: time a session has to authenticate, and the idle time after which it is closed (ms). */
  smtpAuthTimeoutMs: number;
  smtpIdleTimeoutMs: number;
  /** Failed operator-token sign-ins from one address per minute before further ones are refused. */
  operatorSignInFailuresPerMinute: number;
  /** Processes serving the listeners (`sesame serve`; 1: one process does everything). */
  workers: number;
}

/**
 * `auto` verification (and the emulator profile) verify any address at once: with a transport that
 * reaches real mailboxes, any account could verify victim@gmail.com and mail it. Refused unless
 * the operator says so.
 */
function checkVerificationSafety(
  verification: VerificationMode,
  profile: Profile,
  transport: DeliveryTransportKind,
  allowed: boolean,
): void {
  if (transport === 'capture' || allowed) return;
  if (verification !== 'auto' && profile !== 'emulator') return;
  const why = profile === 'emulator' ? 'SESAME_PROFILE=emulator' : 'SESAME_VERIFICATION=auto';
  throw new ConfigError(
    `${why} verifies any address at once, and SESAME_DELIVERY_TRANSPORT=${transport} delivers to real ` +
      'mailboxes: use SESAME_VERIFICATION=email or dns, or set ' +
      'SESAME_ALLOW_AUTO_VERIFICATION_WITH_REAL_DELIVERY=true to accept that',
  );
}

export function loadConfig(env: Env = process.env): Config {
  const accountId = opt(env, 'SESAME_ACCOUNT_ID') ?? '000000000000';
  if (!/^\d{12}$/.test(accountId))
    throw new ConfigError(`SESAME_ACCOUNT_ID must be 12 digits, got "${accountId}"`);
  const region = opt(env, 'SESAME_REGION') ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new ConfigError(`SESAME_REGION is not a region name: "${region}"`);
  const regions = regionList(env);
  if (!regions.includes(region))
    throw new ConfigError(`SESAME_REGION "${region}" is not one of SESAME_REGIONS (${regions.join(', ')})`);
  const rootAccessKeyId = opt(env, 'SESAME_ROOT_ACCESS_KEY_ID');
  const rootSecretAccessKey = opt(env, 'SESAME_ROOT_SECRET_ACCESS_KEY');
  if ((rootAccessKeyId === undefined) !== (rootSecretAccessKey === undefined)) {
    throw new ConfigError('SESAME_ROOT_ACCESS_KEY_ID and SESAME_ROOT_SECRET_ACCESS_KEY must be set together');
  }
  if (rootAccessKeyId !== undefined && !/^[A-Z0-9]{16,128}$/.test(rootAccessKeyId)) {
    throw new ConfigError('SESAME_ROOT_ACCESS_KEY_ID must be 16-128 upper-case letters and digits');
  }
  const operatorToken = opt(env, 'SESAME_OPERATOR_TOKEN');
  // It stands for every account's root: a guessable token would be a master key.
  if (operatorToken !== undefined && (operatorToken.length < 16 || /\s/.test(operatorToken)))
    throw new ConfigError('SESAME_OPERATOR_TOKEN must be at least 16 characters without spaces');
  const deliveryTransport = oneOf(
    env,
    'SESAME_DELIVERY_TRANSPORT',
    ['capture', 'relay', 'mx'] as const,
    'capture',
  );
  const verification = oneOf(env, 'SESAME_VERIFICATION', ['auto', 'email', 'dns'] as const, 'auto');
  const profile = oneOf(env, 'SESAME_PROFILE', ['aws', 'emulator'] as const, 'aws');
  const allowAutoVerificationWithRealDelivery = bool(
    env,
    'SESAME_ALLOW_AUTO_VERIFICATION_WITH_REAL_DELIVERY',
    false,
  );
  const relay = relayUrl(env, deliveryTransport);
  checkVerificationSafety(verification, profile, deliveryTransport, allowAutoVerificationWithRealDelivery);
  const config = {
    httpHost: listenHost(env, 'SESAME_HTTP_HOST'),
    httpPort: int(env, 'SESAME_HTTP_PORT', 8787),
    smtpHost: listenHost(env, 'SESAME_SMTP_HOST'),
    smtpPort: int(env, 'SESAME_SMTP_PORT', 2587),
    smtpsPort: int(env, 'SESAME_SMTPS_PORT', 2465),
    dataDir: opt(env, 'SESAME_DATA_DIR') ?? './.sesame',
    databaseUrl: databaseUrl(env),
    accountId,
    rootAccessKeyId,
    rootSecretAccessKey,
    masterKey: masterKey(env),
    verification,
    profile,
    autoApproveProduction: bool(env, 'SESAME_AUTO_APPROVE_PRODUCTION', false),
    region,
    productionMaxSendRate: num(env, 'SESAME_PRODUCTION_MAX_SEND_RATE', 14),
    productionMax24HourSend: num(env, 'SESAME_PRODUCTION_MAX_24_HOUR_SEND', 50000),
    trustedProxies: cidrList(env, 'SESAME_TRUSTED_PROXIES'),
    smtpAllowInsecureAuth: bool(env, 'SESAME_SMTP_ALLOW_INSECURE_AUTH', false),
    logLevel: oneOf(env, 'SESAME_LOG_LEVEL', LOG_LEVELS, 'info'),
    deliveryTransport,
    deliveryConcurrency: int(env, 'SESAME_DELIVERY_CONCURRENCY', 8, 0, 1000),
    relayUrl: relay,
    snsSubscriptions: snsSubscriptions(env),
    eventBridgeWebhook: ((w) => (w === undefined ? undefined : httpUrl('SESAME_EVENTBRIDGE_WEBHOOK', w)))(
      opt(env, 'SESAME_EVENTBRIDGE_WEBHOOK'),
    ),
    operatorToken,
    logFormat: oneOf(env, 'SESAME_LOG_FORMAT', ['json', 'pretty'] as const, 'json'),
    databasePoolSize: int(env, 'SESAME_DATABASE_POOL_SIZE', 10, 1, 1000),
    databaseWaitMs: int(env, 'SESAME_DATABASE_WAIT', 30, 0, 3600) * 1000,
    databaseQueryTimeoutMs: int(env, 'SESAME_DATABASE_QUERY_TIMEOUT', 30, 1, 3600) * 1000,
    dedicatedIps: dedicatedIps(env, accountId, region),
    dnsblZones: dnsblZones(env),
    publicUrl: ((u) => (u === undefined ? undefined : httpUrl('SESAME_PUBLIC_URL', u)))(
      opt(env, 'SESAME_PUBLIC_URL'),
    ),
    dnsServers: dnsServers(env),
    ...((s3) => (s3 ? { s3 } : {}))(s3Settings(env)),
    receiving: receivingSettings(env, opt(env, 'SESAME_SMTP_HOST') ?? '127.0.0.1'),
    renderWorkers: int(env, 'SESAME_RENDER_WORKERS', 2, 1, 64),
    renderTimeoutMs: int(env, 'SESAME_RENDER_TIMEOUT_MS', 2000, 10, 600_000),
    renderMaxOutputBytes: int(env, 'SESAME_RENDER_MAX_OUTPUT_BYTES', 10_485_760, 1024, 1_073_741_824),
    regions,
    maxIdentitiesPerRegion: int(env, 'SESAME_MAX_IDENTITIES', 10_000, 1, 10_000_000),
    allowAutoVerificationWithRealDelivery,
    auditRetentionDays: int(env, 'SESAME_AUDIT_RETENTION_DAYS', 90, 0, 36_500),
    auditUnauthenticatedPerMinute: int(env, 'SESAME_AUDIT_UNAUTHENTICATED_PER_MINUTE', 20, 1, 1_000_000),
    ...listenerLimits(env),
    operatorSignInFailuresPerMinute: int(env, 'SESAME_OPERATOR_SIGNIN_FAILURES_PER_MINUTE', 10, 1, 1_000_000),
    deliveryLeaseMs: int(env, 'SESAME_DELIVERY_LEASE_SECONDS', 30, 1, 86_400) * 1000,
    workers: workerCount(env),
  };
  return { ...config, ...vpcSettings(env, config) };
}
