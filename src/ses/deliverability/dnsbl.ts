// DNSBL look-ups of dedicated addresses (GetBlacklistReports): an IPv4 address a.b.c.d is listed
// in zone Z when d.c.b.a.Z has an A record (127.0.0.x); the zone's TXT record there says why.
// IPv6 addresses are looked up nibble by nibble, reversed (RFC 5782).
import { Resolver } from 'node:dns/promises';
import { isIPv4 } from 'node:net';

export interface DnsblResolver {
  resolve4(name: string): Promise<string[]>;
  resolveTxt(name: string): Promise<string[][]>;
}

export function dnsblResolver(servers: readonly string[]): DnsblResolver {
  const r = new Resolver({ timeout: 2000, tries: 2 });
  if (servers.length > 0) r.setServers([...servers]);
  return r;
}

export function reversedName(ip: string, zone: string): string {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.${zone}`;
  const groups = ip.split('::');
  const head = groups[0] ? groups[0].split(':') : [];
  const tail = groups.length > 1 && groups[1] ? groups[1].split(':') : [];
  const full = [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail];
  const nibbles = full.map((g) => g.padStart(4, '0')).join('');
  return `${[...nibbles].reverse().join('.')}.${zone}`;
}

export interface Listing {
  RblName: string;
  ListingTime: Date;
  Description?: string;
}

const NOT_LISTED = new Set(['ENOTFOUND', 'ENODATA']);

/** The zones listing `ip`. A zone that cannot be asked (timeout, refused) is reported as an error. */
export async function dnsblListings(
  resolver: DnsblResolver,
  ip: string,
  zones: readonly string[],
  now: Date,
): Promise<Listing[]> {
  const out: Listing[] = [];
  for (const zone of zones) {
    const name = reversedName(ip, zone);
    let listed: string[];
    try {
      listed = await resolver.resolve4(name);
    } catch (e) {
      if (NOT_LISTED.has((e as { code?: string }).code ?? '')) continue;
      throw e;
    }
    if (!listed.some((a) => a.startsWith('127.'))) continue;
    const txt = await resolver.resolveTxt(name).catch(() => [] as string[][]);
    const description = txt.map((parts) => parts.join('')).join(' ');
    out.push({ RblName: zone, ListingTime: now, ...(description ? { Description: description } : {}) });
  }
  return out;
}
