// aws:SourceIp and aws:SecureTransport for an HTTP request: the TCP peer, unless the peer is a
// configured trusted proxy, in which case the right-most untrusted X-Forwarded-For hop and
// X-Forwarded-Proto are believed.
import ipaddr from 'ipaddr.js';

export interface TrustedProxies {
  contains(ip: string): boolean;
}

export function trustedProxies(cidrs: readonly string[]): TrustedProxies {
  const ranges = cidrs.map((c) =>
    c.includes('/')
      ? ipaddr.parseCIDR(c)
      : ipaddr.parseCIDR(`${c}/${ipaddr.parse(c).kind() === 'ipv4' ? 32 : 128}`),
  );
  return {
    contains(ip) {
      if (ranges.length === 0 || !ipaddr.isValid(ip)) return false;
      let addr = ipaddr.parse(ip);
      if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress())
        addr = (addr as ipaddr.IPv6).toIPv4Address();
      return ranges.some(([net, bits]) => net.kind() === addr.kind() && addr.match([net, bits] as never));
    },
  };
}

// Clients come back on the same few addresses: parsing each one once saves a parse per request.
const normalized = new Map<string, string>();
const NORMALIZED_KEPT = 1024;

export function normalizeIp(ip: string): string {
  let out = normalized.get(ip);
  if (out === undefined) {
    out = parseAndNormalize(ip);
    if (normalized.size >= NORMALIZED_KEPT) normalized.clear();
    normalized.set(ip, out);
  }
  return out;
}

function parseAndNormalize(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress())
    return (addr as ipaddr.IPv6).toIPv4Address().toString();
  return addr.toString();
}

export function clientAddress(
  peer: string | undefined,
  headers: Record<string, string | string[] | undefined>,
  tlsSocket: boolean,
  proxies: TrustedProxies,
): { ip?: string; secureTransport: boolean } {
  const peerIp = peer ? normalizeIp(peer) : undefined;
  if (!peerIp || !proxies.contains(peerIp)) return { ip: peerIp, secureTransport: tlsSocket };
  const xff = ([] as string[]).concat(headers['x-forwarded-for'] ?? []).join(',');
  const hops = xff
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean)
    .map(normalizeIp);
  let ip = peerIp;
  for (let i = hops.length - 1; i >= 0; i--) {
    ip = hops[i] as string;
    if (!proxies.contains(ip)) break;
  }
  const proto = String(([] as string[]).concat(headers['x-forwarded-proto'] ?? [])[0] ?? '')
    .split(',')[0]
    ?.trim()
    .toLowerCase();
  return { ip, secureTransport: proto ? proto === 'https' : tlsSocket };
}
