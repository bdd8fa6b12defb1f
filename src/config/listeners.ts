// Where Sesame listens and how much it takes there: hosts, trusted proxies, the VPC endpoint's
// listeners, and the HTTP/SMTP timeouts and connection limits (SECURITY.md).
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ConfigError, int, opt, type Env } from './env.js';

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

export function listenHost(env: Env, name: string): string {
  const raw = opt(env, name) ?? '127.0.0.1';
  if (isIP(raw) === 0 && !HOST_NAME.test(raw))
    throw new ConfigError(`${name} must be an IP address or a host name, got "${raw}"`);
  return raw;
}

export function cidrList(env: Env, name: string): string[] {
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

/** `SESAME_VPC_*`: both ids, well formed, whenever a VPC listener is asked for; ports of their own. */
export function vpcSettings(env: Env, ports: { httpPort: number; smtpPort: number; smtpsPort: number }) {
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

const MIB = 1024 * 1024;

export function listenerLimits(env: Env) {
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
    httpMaxConnectionsPerIp: int(env, 'SESAME_HTTP_MAX_CONNECTIONS_PER_IP', 256, 1, 1_000_000),
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
