// Configuration is read once, here, validated, and passed down. Nothing else reads process.env.
// Each option is documented in README.md ("Configuration") with its default.
import { SES_REGIONS } from './regions.js';

export type VerificationMode = 'auto' | 'email' | 'dns';
export type Profile = 'aws' | 'emulator';
export type DeliveryTransportKind = 'capture' | 'relay' | 'mx';

/** One operator-mapped SNS subscription: events published to `topicArn` are POSTed to `url`. */
export interface SnsSubscription {
  topicArn: string;
  url: string;
}

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
  /** How long a delivery claim lasts unless renewed (workers renew every third of it). */
  deliveryLeaseMs: number;
}

const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

function regionList(env: Env): string[] {
  const raw = opt(env, 'SESAME_REGIONS');
  if (raw === undefined) return [...SES_REGIONS];
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0) throw new ConfigError(`SESAME_REGIONS must list at least one region, got "${raw}"`);
  for (const r of list)
    if (!REGION_NAME.test(r))
      throw new ConfigError(`SESAME_REGIONS: "${r}" is not a region name (like us-east-1)`);
  return [...new Set(list)];
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

export class ConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

function int(env: Env, name: string, fallback: number, min = 0, max = 65535): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function num(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || (n < 0 && n !== -1))
    throw new ConfigError(`${name} must be a number ≥ 0 (or -1 for unlimited), got "${raw}"`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw))
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function opt(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

function httpUrl(name: string, raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`${name}: "${raw}" is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new ConfigError(`${name}: "${raw}" must be an http:// or https:// URL`);
  return raw;
}

/** `arn:aws:sns:REGION:ACCOUNT:topic=URL,...` (a topic may appear more than once: several subscribers). */
function snsSubscriptions(env: Env): SnsSubscription[] {
  const raw = opt(env, 'SESAME_SNS_SUBSCRIPTIONS');
  if (raw === undefined) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const eq = entry.indexOf('=');
      const topicArn = eq < 0 ? entry : entry.slice(0, eq);
      if (eq < 0 || !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}$/.test(topicArn))
        throw new ConfigError(`SESAME_SNS_SUBSCRIPTIONS: expected TOPIC_ARN=URL, got "${entry}"`);
      return { topicArn, url: httpUrl('SESAME_SNS_SUBSCRIPTIONS', entry.slice(eq + 1)) };
    });
}

function relayUrl(env: Env, transport: DeliveryTransportKind): string | undefined {
  const raw = opt(env, 'SESAME_RELAY_URL');
  if (transport === 'relay' && raw === undefined)
    throw new ConfigError('SESAME_RELAY_URL is required when SESAME_DELIVERY_TRANSPORT is relay');
  if (raw === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`SESAME_RELAY_URL: "${raw}" is not a URL`);
  }
  if ((u.protocol !== 'smtp:' && u.protocol !== 'smtps:') || u.hostname === '')
    throw new ConfigError(
      `SESAME_RELAY_URL must be smtp://[user:pass@]host[:port] or smtps://…, got "${raw}"`,
    );
  return raw;
}

const MIB = 1024 * 1024;

function listenerLimits(env: Env) {
  const httpHeadersTimeoutMs = int(env, 'SESAME_HTTP_HEADERS_TIMEOUT_MS', 10_000, 1000, 3_600_000);
  const httpRequestTimeoutMs = int(env, 'SESAME_HTTP_REQUEST_TIMEOUT_MS', 300_000, 1000, 3_600_000);
  if (httpRequestTimeoutMs < httpHeadersTimeoutMs)
    throw new ConfigError(
      `SESAME_HTTP_REQUEST_TIMEOUT_MS (${httpRequestTimeoutMs}) must be at least SESAME_HTTP_HEADERS_TIMEOUT_MS (${httpHeadersTimeoutMs})`,
    );
  return {
    httpHeadersTimeoutMs,
    httpRequestTimeoutMs,
    httpIdleTimeoutMs: int(env, 'SESAME_HTTP_IDLE_TIMEOUT_MS', 20_000, 100, 3_600_000),
    httpMaxConnections: int(env, 'SESAME_HTTP_MAX_CONNECTIONS', 1024, 1, 1_000_000),
    httpMaxConnectionsPerIp: int(env, 'SESAME_HTTP_MAX_CONNECTIONS_PER_IP', 64, 1, 1_000_000),
    httpUnauthenticatedBodyBytes: int(
      env,
      'SESAME_HTTP_UNAUTHENTICATED_BODY_BYTES',
      128 * MIB,
      MIB,
      64 * 1024 * MIB,
    ),
    smtpMaxConnections: int(env, 'SESAME_SMTP_MAX_CONNECTIONS', 256, 1, 1_000_000),
    smtpMaxConnectionsPerIp: int(env, 'SESAME_SMTP_MAX_CONNECTIONS_PER_IP', 16, 1, 1_000_000),
    smtpAuthTimeoutMs: int(env, 'SESAME_SMTP_AUTH_TIMEOUT_MS', 30_000, 100, 3_600_000),
    smtpIdleTimeoutMs: int(env, 'SESAME_SMTP_IDLE_TIMEOUT_MS', 60_000, 100, 3_600_000),
  };
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
  return {
    httpHost: opt(env, 'SESAME_HTTP_HOST') ?? '127.0.0.1',
    httpPort: int(env, 'SESAME_HTTP_PORT', 8787),
    smtpHost: opt(env, 'SESAME_SMTP_HOST') ?? '127.0.0.1',
    smtpPort: int(env, 'SESAME_SMTP_PORT', 2587),
    smtpsPort: int(env, 'SESAME_SMTPS_PORT', 2465),
    dataDir: opt(env, 'SESAME_DATA_DIR') ?? './.sesame',
    databaseUrl: opt(env, 'SESAME_DATABASE_URL'),
    accountId,
    rootAccessKeyId,
    rootSecretAccessKey,
    masterKey: opt(env, 'SESAME_MASTER_KEY'),
    verification,
    profile,
    autoApproveProduction: bool(env, 'SESAME_AUTO_APPROVE_PRODUCTION', false),
    region,
    productionMaxSendRate: num(env, 'SESAME_PRODUCTION_MAX_SEND_RATE', 14),
    productionMax24HourSend: num(env, 'SESAME_PRODUCTION_MAX_24_HOUR_SEND', 50000),
    trustedProxies: (opt(env, 'SESAME_TRUSTED_PROXIES') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    smtpAllowInsecureAuth: bool(env, 'SESAME_SMTP_ALLOW_INSECURE_AUTH', false),
    logLevel: opt(env, 'SESAME_LOG_LEVEL') ?? 'info',
    deliveryTransport,
    deliveryConcurrency: int(env, 'SESAME_DELIVERY_CONCURRENCY', 8, 0, 1000),
    relayUrl: relay,
    snsSubscriptions: snsSubscriptions(env),
    eventBridgeWebhook: ((w) => (w === undefined ? undefined : httpUrl('SESAME_EVENTBRIDGE_WEBHOOK', w)))(
      opt(env, 'SESAME_EVENTBRIDGE_WEBHOOK'),
    ),
    operatorToken,
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
  };
}
