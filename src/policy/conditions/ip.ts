// IpAddress / NotIpAddress (docs/spec/iam.md §3.3): IPv4 and IPv6 CIDRs, no prefix = /32 or /128, `::`
// compression, mixed-case hex, embedded dotted IPv4 tail. A small parser instead of a dependency:
// policy/ stays dependency-free. IPv4-mapped IPv6 request addresses also match IPv4 CIDRs.

import type { OperatorImpl } from './types.js';

export interface IpAddr {
  v6: boolean;
  bytes: Uint8Array;
}

export interface Cidr extends IpAddr {
  prefix: number;
}

function parseV4(s: string): Uint8Array | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function parseGroups(s: string): number[] | null {
  if (s === '') return [];
  const groups: number[] = [];
  const parts = s.split(':');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (i === parts.length - 1 && p.includes('.')) {
      const v4 = parseV4(p);
      if (!v4) return null;
      groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
    groups.push(parseInt(p, 16));
  }
  return groups;
}

function parseV6(s: string): Uint8Array | null {
  const dbl = s.indexOf('::');
  let groups: number[] | null;
  if (dbl >= 0) {
    if (s.indexOf('::', dbl + 1) >= 0) return null;
    const head = parseGroups(s.slice(0, dbl));
    const tail = parseGroups(s.slice(dbl + 2));
    if (!head || !tail || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    groups = parseGroups(s);
    if (!groups || groups.length !== 8) return null;
  }
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

export function parseIp(s: string): IpAddr | null {
  if (s.includes(':')) {
    const b = parseV6(s);
    return b && { v6: true, bytes: b };
  }
  const b = parseV4(s);
  return b && { v6: false, bytes: b };
}

export function parseCidr(s: string): Cidr | null {
  const slash = s.indexOf('/');
  const ip = parseIp((slash < 0 ? s : s.slice(0, slash)).trim());
  if (!ip) return null;
  const max = ip.v6 ? 128 : 32;
  if (slash < 0) return { ...ip, prefix: max };
  const p = s.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(p) || Number(p) > max) return null;
  return { ...ip, prefix: Number(p) };
}

function samePrefix(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  let i = 0;
  for (; bits >= 8; bits -= 8, i++) if (a[i] !== b[i]) return false;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return ((a[i]! ^ b[i]!) & mask) === 0;
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d), else null. */
function mappedV4(ip: IpAddr): Uint8Array | null {
  if (!ip.v6) return null;
  for (let i = 0; i < 10; i++) if (ip.bytes[i] !== 0) return null;
  return ip.bytes[10] === 0xff && ip.bytes[11] === 0xff ? ip.bytes.subarray(12) : null;
}

export function cidrContains(c: Cidr, ip: IpAddr): boolean {
  if (c.v6 === ip.v6) return samePrefix(c.bytes, ip.bytes, c.prefix);
  const v4 = c.v6 ? null : mappedV4(ip);
  return v4 !== null && samePrefix(c.bytes, v4, c.prefix);
}

// The request's source IP is the same string for every clause of a decision: remember the last one.
let lastText = '';
let lastIp: IpAddr | null = null;
function parseRequestIp(s: string): IpAddr | null {
  if (s !== lastText) {
    lastIp = parseIp(s.trim());
    lastText = s;
  }
  return lastIp;
}

const compileIp: OperatorImpl['compile'] = (values) => {
  const cidrs = values.map(parseCidr).filter((c): c is Cidr => c !== null);
  return (r) => {
    const ip = parseRequestIp(r);
    if (!ip) return false;
    for (const c of cidrs) if (cidrContains(c, ip)) return true;
    return false;
  };
};

export const IP_OPERATORS: Record<string, OperatorImpl> = {
  IpAddress: { negated: false, compile: compileIp },
  NotIpAddress: { negated: true, compile: compileIp },
};
