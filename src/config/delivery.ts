// Where delivered mail and its events go: the relay, SNS subscribers, the node's dedicated sending
// addresses, and the DNS servers and DNSBL zones of the checks made about them.
import { isIP } from 'node:net';
import { ConfigError, hidePassword, httpUrl, list, opt, type Env } from './env.js';

export type DeliveryTransportKind = 'capture' | 'relay' | 'mx';

/** One operator-mapped SNS subscription: events published to `topicArn` are POSTed to `url`. */
export interface SnsSubscription {
  topicArn: string;
  url: string;
}

/** One `SESAME_DEDICATED_IPS` entry: `[ACCOUNT[/REGION]=]ADDRESS`. */
export interface DedicatedIpDeclaration {
  ip: string;
  accountId: string;
  region: string;
}

/** `arn:aws:sns:REGION:ACCOUNT:topic=URL,...` (a topic may appear more than once: several subscribers). */
export function snsSubscriptions(env: Env): SnsSubscription[] {
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

export function relayUrl(env: Env, transport: DeliveryTransportKind): string | undefined {
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

/** `127.0.0.2,111122223333=127.0.0.3,111122223333/eu-west-1=::2`: the default account and region when omitted. */
export function dedicatedIps(env: Env, accountId: string, region: string): DedicatedIpDeclaration[] {
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

export function dnsblZones(env: Env): string[] {
  return list(env, 'SESAME_DNSBL_ZONES').map((z) => {
    if (!/^(?!-)[A-Za-z0-9-]{1,63}(\.(?!-)[A-Za-z0-9-]{1,63})+\.?$/.test(z))
      throw new ConfigError(`SESAME_DNSBL_ZONES: "${z}" is not a DNS zone name (e.g. zen.spamhaus.org)`);
    return z.replace(/\.$/, '').toLowerCase();
  });
}

export function dnsServers(env: Env): string[] {
  return list(env, 'SESAME_DNS_SERVERS').map((s) => {
    // ADDRESS, IPv4:PORT, [IPv6] or [IPv6]:PORT; a bare IPv6 address has no port.
    const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d{1,5}))?$/.exec(s);
    const host = isIP(s) === 6 ? s : (m?.[1] ?? m?.[2] ?? '');
    const port = isIP(s) === 6 ? undefined : m?.[3];
    if (!isIP(host) || (port !== undefined && (Number(port) < 1 || Number(port) > 65535)))
      throw new ConfigError(`SESAME_DNS_SERVERS: "${s}" is not ADDRESS or ADDRESS:PORT (IPv6 in brackets)`);
    return s;
  });
}
