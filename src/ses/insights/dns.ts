// DNS lookups of the insights and recommendations: node's resolver on SESAME_DNS_SERVERS (the
// system's when unset), one per server list. A failed lookup (NXDOMAIN, no data, timeout) is "none".
import { Resolver } from 'node:dns/promises';
import type { Config } from '../../config/config.js';

export interface MailDns {
  resolveTxt(name: string): Promise<string[][]>;
  resolveMx(name: string): Promise<{ exchange: string; priority: number }[]>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
}

const resolvers = new Map<string, MailDns>();

export function mailDns(config: Pick<Config, 'dnsServers'>): MailDns {
  const key = config.dnsServers.join(',');
  let r = resolvers.get(key);
  if (!r) {
    const resolver = new Resolver({ timeout: 2000, tries: 2 });
    if (config.dnsServers.length > 0) resolver.setServers(config.dnsServers);
    resolvers.set(key, (r = resolver));
  }
  return r;
}

export async function orNone<T>(p: Promise<T[]>): Promise<T[]> {
  try {
    return await p;
  } catch {
    return [];
  }
}

/** The TXT records of `name` (each record's strings joined) that start with `prefix`, case-insensitively. */
export async function txtRecords(dns: MailDns, name: string, prefix: string): Promise<string[]> {
  const records = await orNone(dns.resolveTxt(name));
  return records
    .map((chunks) => chunks.join(''))
    .filter((t) => t.toLowerCase().startsWith(prefix.toLowerCase()));
}
