// Settings of email receiving (the MX-facing receiver and the targets of receipt actions) and of
// the S3-compatible store that receipt S3 actions and import/export jobs use. Read by
// loadConfig (config.ts) once, validated here; documented in README.md ("Configuration").
import { ConfigError, httpUrl as url } from './env.js';

/** Where receipt S3 actions write: any S3 API (AWS, MinIO, a local emulator). */
export interface S3Settings {
  endpoint: string;
  /** Both or neither; without them the AWS SDK's default credential chain signs. */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Where export jobs that name no S3Url write (SESAME_S3_EXPORT_BUCKET: `bucket` or `bucket/prefix`). */
  exportLocation?: { bucket: string; prefix: string };
  /** SESAME_S3_BUCKET_ACCOUNTS: the accounts each listed bucket is used for (src/s3/bucket-access.ts). */
  bucketAccounts?: { bucket: string; accounts: string[] }[];
}

/** A Lambda function of receipt Lambda actions, invoked by POSTing its event to `url`. */
export interface LambdaFunctionMapping {
  functionArn: string;
  url: string;
}

export interface HostPort {
  host: string;
  port: number;
}

export interface ReceivingSettings {
  /** The MX-facing SMTP receiver; 0 disables it. */
  inboundSmtpPort: number;
  inboundSmtpHost: string;
  /** Open sessions in all, and from one address (then 421), as the submission listener caps them. */
  inboundMaxConnections: number;
  inboundMaxConnectionsPerIp: number;
  lambdaFunctions: LambdaFunctionMapping[];
  /** SpamAssassin's spamd, for the spam verdict of rules with ScanEnabled. */
  spamd?: HostPort;
  /** ClamAV's clamd, for the virus verdict of rules with ScanEnabled. */
  clamd?: HostPort;
}

type Env = Readonly<Record<string, string | undefined>>;

const opt = (env: Env, name: string): string | undefined => {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
};

function port(env: Env, name: string, fallback: number): number {
  const raw = opt(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535)
    throw new ConfigError(`${name} must be a port number (0-65535), got "${raw}"`);
  return Number(raw);
}

function count(env: Env, name: string, fallback: number): number {
  const raw = opt(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 1_000_000)
    throw new ConfigError(`${name} must be a whole number from 1 to 1000000, got "${raw}"`);
  return Number(raw);
}

function hostPort(env: Env, name: string): HostPort | undefined {
  const raw = opt(env, name);
  if (raw === undefined) return undefined;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/.exec(raw);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535)
    throw new ConfigError(`${name} must be HOST:PORT, got "${raw}"`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

const LAMBDA_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$/;

/** `FUNCTION_ARN=URL,…`, in the style of SESAME_SNS_SUBSCRIPTIONS (one URL per function). */
function lambdaFunctions(env: Env): LambdaFunctionMapping[] {
  const raw = opt(env, 'SESAME_LAMBDA_FUNCTIONS');
  if (raw === undefined) return [];
  const out: LambdaFunctionMapping[] = [];
  for (const entry of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf('=');
    const functionArn = eq < 0 ? entry : entry.slice(0, eq);
    if (eq < 0 || !LAMBDA_ARN.test(functionArn))
      throw new ConfigError(`SESAME_LAMBDA_FUNCTIONS: expected FUNCTION_ARN=URL, got "${entry}"`);
    if (out.some((f) => f.functionArn === functionArn))
      throw new ConfigError(`SESAME_LAMBDA_FUNCTIONS: ${functionArn} is mapped twice`);
    out.push({ functionArn, url: url('SESAME_LAMBDA_FUNCTIONS', entry.slice(eq + 1)) });
  }
  return out;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `bucket` or `bucket/prefix`: the prefix ends with `/` (files are named `<prefix><job id>.<ext>`). */
function exportLocation(env: Env): S3Settings['exportLocation'] {
  const raw = opt(env, 'SESAME_S3_EXPORT_BUCKET');
  if (raw === undefined) return undefined;
  const slash = raw.indexOf('/');
  const bucket = slash < 0 ? raw : raw.slice(0, slash);
  const prefix = slash < 0 ? '' : raw.slice(slash + 1).replace(/\/*$/, '/');
  if (!BUCKET.test(bucket))
    throw new ConfigError(`SESAME_S3_EXPORT_BUCKET must be BUCKET or BUCKET/PREFIX, got "${raw}"`);
  return { bucket, prefix: prefix === '/' ? '' : prefix };
}

/** `BUCKET=ACCOUNT,…` (a bucket may be listed once per account it is granted to). */
function bucketAccounts(env: Env): S3Settings['bucketAccounts'] {
  const raw = opt(env, 'SESAME_S3_BUCKET_ACCOUNTS');
  if (raw === undefined) return undefined;
  const out: { bucket: string; accounts: string[] }[] = [];
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const m = /^([^=]+)=(\d{12})$/.exec(entry);
    if (!m || !BUCKET.test(m[1]!))
      throw new ConfigError(`SESAME_S3_BUCKET_ACCOUNTS entries must be BUCKET=ACCOUNT_ID, got "${entry}"`);
    const found = out.find((b) => b.bucket === m[1]);
    if (found) found.accounts.push(m[2]!);
    else out.push({ bucket: m[1]!, accounts: [m[2]!] });
  }
  return out;
}

export function s3Settings(env: Env): S3Settings | undefined {
  const endpoint = opt(env, 'SESAME_S3_ENDPOINT');
  const exports = exportLocation(env);
  const grants = bucketAccounts(env);
  const accessKeyId = opt(env, 'SESAME_S3_ACCESS_KEY_ID');
  const secretAccessKey = opt(env, 'SESAME_S3_SECRET_ACCESS_KEY');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined))
    throw new ConfigError('SESAME_S3_ACCESS_KEY_ID and SESAME_S3_SECRET_ACCESS_KEY must be set together');
  if (endpoint === undefined) {
    if (accessKeyId !== undefined)
      throw new ConfigError('SESAME_S3_ACCESS_KEY_ID is set but SESAME_S3_ENDPOINT is not');
    if (exports !== undefined)
      throw new ConfigError('SESAME_S3_EXPORT_BUCKET is set but SESAME_S3_ENDPOINT is not');
    if (grants !== undefined)
      throw new ConfigError('SESAME_S3_BUCKET_ACCOUNTS is set but SESAME_S3_ENDPOINT is not');
    return undefined;
  }
  return {
    endpoint: url('SESAME_S3_ENDPOINT', endpoint),
    ...(accessKeyId !== undefined && secretAccessKey !== undefined ? { accessKeyId, secretAccessKey } : {}),
    ...(exports ? { exportLocation: exports } : {}),
    ...(grants ? { bucketAccounts: grants } : {}),
  };
}

export function receivingSettings(env: Env, smtpHost: string): ReceivingSettings {
  const spamd = hostPort(env, 'SESAME_SPAMD_ADDRESS');
  const clamd = hostPort(env, 'SESAME_CLAMD_ADDRESS');
  return {
    inboundSmtpPort: port(env, 'SESAME_INBOUND_SMTP_PORT', 2525),
    inboundSmtpHost: opt(env, 'SESAME_INBOUND_SMTP_HOST') ?? smtpHost,
    inboundMaxConnections: count(env, 'SESAME_INBOUND_SMTP_MAX_CONNECTIONS', 256),
    inboundMaxConnectionsPerIp: count(env, 'SESAME_INBOUND_SMTP_MAX_CONNECTIONS_PER_IP', 16),
    lambdaFunctions: lambdaFunctions(env),
    ...(spamd ? { spamd } : {}),
    ...(clamd ? { clamd } : {}),
  };
}
