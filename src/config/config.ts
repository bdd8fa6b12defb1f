// Configuration is read once, here, validated, and passed down. Nothing else reads process.env.
// Each option is documented in README.md ("Configuration") with its default.
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { parseMasterKey } from '../store/secret-box.js';

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
  /** DNS servers (`host[:port]`) for those look-ups; the system's when empty. */
  dnsServers: string[];
}

/** One `SESAME_DEDICATED_IPS` entry: `[ACCOUNT[/REGION]=]ADDRESS`. */
export interface DedicatedIpDeclaration {
  ip: string;
  accountId: string;
  region: string;
}

export type LogFormat = 'json' | 'pretty';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * A setting that cannot be used. `sesame` prints its message as one line and exits with code 2
 * (src/cli/startup-error.ts), so a message names the variable, the value (never a secret's) and
 * what is allowed.
 */
export class ConfigError extends Error {
  readonly exitCode = 2;
}

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

/** A URL's password, replaced: messages quote the value, never a secret. */
const hidePassword = (raw: string) => raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^/]*@/i, '$1***@');

function httpUrl(name: string, raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`${name}: "${hidePassword(raw)}" is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new ConfigError(`${name}: "${hidePassword(raw)}" must be an http:// or https:// URL`);
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
    throw new ConfigError(`SESAME_RELAY_URL: "${hidePassword(raw)}" is not a URL`);
  }
  if ((u.protocol !== 'smtp:' && u.protocol !== 'smtps:') || u.hostname === '')
    throw new ConfigError(
      `SESAME_RELAY_URL must be smtp://[user:pass@]host[:port] or smtps://…, got "${hidePassword(raw)}"`,
    );
  return raw;
}

/** `SESAME_VPC_*`: both ids, well formed, whenever a VPC listener is asked for; ports of their own. */
function vpcSettings(env: Env, ports: Pick<Config, 'httpPort' | 'smtpPort' | 'smtpsPort'>) {
  const { httpPort, smtpPort, smtpsPort } = ports;
  const vpcHttpPort = int(env, 'SESAME_VPC_HTTP_PORT', 0);
  const vpcSmtpPort = int(env, 'SESAME_VPC_SMTP_PORT', 0);
  const vpcEndpointId = opt(env, 'SESAME_VPC_ENDPOINT_ID');
  const vpcId = opt(env, 'SESAME_VPC_ID');
  // AWS's ids: a prefix and 8 or 17 lower-case hex digits.
  if (vpcEndpointId !== undefined && !/^vpce-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(vpcEndpointId))
    throw new ConfigError(
      `SESAME_VPC_ENDPOINT_ID must look like vpce-0123456789abcdef0, got "${vpcEndpointId}"`,
    );
  if (vpcId !== undefined && !/^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(vpcId))
    throw new ConfigError(`SESAME_VPC_ID must look like vpc-0123456789abcdef0, got "${vpcId}"`);
  if ((vpcHttpPort > 0 || vpcSmtpPort > 0) && (vpcEndpointId === undefined || vpcId === undefined))
    throw new ConfigError(
      'SESAME_VPC_HTTP_PORT and SESAME_VPC_SMTP_PORT need SESAME_VPC_ENDPOINT_ID and SESAME_VPC_ID',
    );
  if (vpcHttpPort > 0 && vpcHttpPort === httpPort)
    throw new ConfigError(`SESAME_VPC_HTTP_PORT must differ from SESAME_HTTP_PORT (${httpPort})`);
  if (vpcSmtpPort > 0 && (vpcSmtpPort === smtpPort || vpcSmtpPort === smtpsPort))
    throw new ConfigError('SESAME_VPC_SMTP_PORT must differ from SESAME_SMTP_PORT and SESAME_SMTPS_PORT');
  return { vpcHttpPort, vpcSmtpPort, vpcEndpointId, vpcId };
}

function databaseUrl(env: Env): string | undefined {
  const raw = opt(env, 'SESAME_DATABASE_URL');
  if (raw === undefined) return undefined;
  let protocol = '';
  try {
    protocol = new URL(raw).protocol;
  } catch {
    // not a URL: refused below
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:')
    throw new ConfigError(
      `SESAME_DATABASE_URL must be a postgres:// or postgresql:// URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE), got "${hidePassword(raw)}"`,
    );
  return raw;
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function listenHost(env: Env, name: string): string {
  const raw = opt(env, name) ?? '127.0.0.1';
  if (isIP(raw) === 0 && !HOST_NAME.test(raw))
    throw new ConfigError(`${name} must be an IP address or a host name, got "${raw}"`);
  return raw;
}

function cidrList(env: Env, name: string): string[] {
  const list = (opt(env, name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const c of list) {
    const ok = isIP(c) !== 0 || (isIP(c.split('/')[0] ?? '') !== 0 && ipaddr.isValidCIDR(c));
    if (!ok) throw new ConfigError(`${name} must be comma-separated IP addresses or CIDR ranges, got "${c}"`);
  }
  return list;
}

function masterKey(env: Env): string | undefined {
  const raw = opt(env, 'SESAME_MASTER_KEY');
  if (raw === undefined) return undefined;
  try {
    parseMasterKey(raw);
  } catch {
    throw new ConfigError('SESAME_MASTER_KEY must be 32 bytes, as 64 hex digits or base64 (value not shown)');
  }
  return raw;
}

function list(env: Env, name: string): string[] {
  return (opt(env, name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `127.0.0.2,111122223333=127.0.0.3,111122223333/eu-west-1=::2`: the default account and region when omitted. */
function dedicatedIps(env: Env, accountId: string, region: string): DedicatedIpDeclaration[] {
  const seen = new Set<string>();
  return list(env, 'SESAME_DEDICATED_IPS').map((entry) => {
    const m = /^(?:(\d{12})(?:\/([a-z]{2}(?:-[a-z]+)+-\d))?=)?(.+)$/.exec(entry);
    const ip = m?.[3] ?? '';
    if (!m || !isIP(ip))
      throw new ConfigError(
        `SESAME_DEDICATED_IPS: "${entry}" is not ADDRESS, ACCOUNT=ADDRESS or ACCOUNT/REGION=ADDRESS with an IPv4 or IPv6 address`,
      );
    if (seen.has(ip)) throw new ConfigError(`SESAME_DEDICATED_IPS: ${ip} is listed twice`);
    seen.add(ip);
    return { ip, accountId: m[1] ?? accountId, region: m[2] ?? region };
  });
}

function dnsblZones(env: Env): string[] {
  return list(env, 'SESAME_DNSBL_ZONES').map((z) => {
    if (!/^(?!-)[A-Za-z0-9-]{1,63}(\.(?!-)[A-Za-z0-9-]{1,63})+\.?$/.test(z))
      throw new ConfigError(`SESAME_DNSBL_ZONES: "${z}" is not a DNS zone name (e.g. zen.spamhaus.org)`);
    return z.replace(/\.$/, '').toLowerCase();
  });
}

function dnsServers(env: Env): string[] {
  return list(env, 'SESAME_DNS_SERVERS').map((s) => {
    const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d{1,5}))?$/.exec(s);
    const host = m?.[1] ?? m?.[2] ?? '';
    if (!m || !isIP(host) || (m[3] !== undefined && (Number(m[3]) < 1 || Number(m[3]) > 65535)))
      throw new ConfigError(`SESAME_DNS_SERVERS: "${s}" is not ADDRESS or ADDRESS:PORT (IPv6 in brackets)`);
    return s;
  });
}

export function loadConfig(env: Env = process.env): Config {
  const accountId = opt(env, 'SESAME_ACCOUNT_ID') ?? '000000000000';
  if (!/^\d{12}$/.test(accountId))
    throw new ConfigError(`SESAME_ACCOUNT_ID must be 12 digits, got "${accountId}"`);
  const region = opt(env, 'SESAME_REGION') ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new ConfigError(`SESAME_REGION is not a region name: "${region}"`);
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
    verification: oneOf(env, 'SESAME_VERIFICATION', ['auto', 'email', 'dns'] as const, 'auto'),
    profile: oneOf(env, 'SESAME_PROFILE', ['aws', 'emulator'] as const, 'aws'),
    autoApproveProduction: bool(env, 'SESAME_AUTO_APPROVE_PRODUCTION', false),
    region,
    productionMaxSendRate: num(env, 'SESAME_PRODUCTION_MAX_SEND_RATE', 14),
    productionMax24HourSend: num(env, 'SESAME_PRODUCTION_MAX_24_HOUR_SEND', 50000),
    trustedProxies: cidrList(env, 'SESAME_TRUSTED_PROXIES'),
    smtpAllowInsecureAuth: bool(env, 'SESAME_SMTP_ALLOW_INSECURE_AUTH', false),
    logLevel: oneOf(env, 'SESAME_LOG_LEVEL', LOG_LEVELS, 'info'),
    deliveryTransport,
    deliveryConcurrency: int(env, 'SESAME_DELIVERY_CONCURRENCY', 8, 0, 1000),
    relayUrl: relayUrl(env, deliveryTransport),
    snsSubscriptions: snsSubscriptions(env),
    eventBridgeWebhook: ((w) => (w === undefined ? undefined : httpUrl('SESAME_EVENTBRIDGE_WEBHOOK', w)))(
      opt(env, 'SESAME_EVENTBRIDGE_WEBHOOK'),
    ),
    operatorToken,
    logFormat: oneOf(env, 'SESAME_LOG_FORMAT', ['json', 'pretty'] as const, 'json'),
    databasePoolSize: int(env, 'SESAME_DATABASE_POOL_SIZE', 10, 1, 1000),
    databaseWaitMs: int(env, 'SESAME_DATABASE_WAIT', 30, 0, 3600) * 1000,
    databaseQueryTimeoutMs: int(env, 'SESAME_DATABASE_QUERY_TIMEOUT', 30, 1, 3600) * 1000,
    deliveryLeaseMs: int(env, 'SESAME_DELIVERY_LEASE_SECONDS', 300, 1, 86_400) * 1000,
    dedicatedIps: dedicatedIps(env, accountId, region),
    dnsblZones: dnsblZones(env),
    dnsServers: dnsServers(env),
  };
  return { ...config, ...vpcSettings(env, config) };
}
