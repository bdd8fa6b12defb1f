import { describe, expect, it } from 'vitest';
import { cidrContains, parseCidr, parseIp } from './ip.js';

function inCidr(cidr: string, ip: string): boolean {
  const c = parseCidr(cidr);
  const a = parseIp(ip);
  if (!c || !a) throw new Error('unparsable');
  return cidrContains(c, a);
}

describe('IP parsing and CIDR containment', () => {
  it('IPv4 without a prefix is /32', () => {
    expect(inCidr('10.0.0.1', '10.0.0.1')).toBe(true);
    expect(inCidr('10.0.0.1', '10.0.0.2')).toBe(false);
  });
  it('IPv4 prefixes, including non-octet boundaries and host bits set', () => {
    expect(inCidr('192.0.2.0/24', '192.0.2.255')).toBe(true);
    expect(inCidr('192.0.2.0/24', '192.0.3.0')).toBe(false);
    expect(inCidr('10.0.0.0/12', '10.15.255.255')).toBe(true);
    expect(inCidr('10.0.0.0/12', '10.16.0.0')).toBe(false);
    expect(inCidr('10.1.2.3/8', '10.200.0.1')).toBe(true);
    expect(inCidr('0.0.0.0/0', '8.8.8.8')).toBe(true);
  });
  it('IPv6 with compression and mixed case', () => {
    expect(inCidr('2001:DB8:1234:5678::/64', '2001:db8:1234:5678::1')).toBe(true);
    expect(inCidr('2001:DB8:1234:5678::/64', '2001:db8:1234:5679::1')).toBe(false);
    expect(inCidr('::1', '0:0:0:0:0:0:0:1')).toBe(true);
    expect(inCidr('2001:db8::/32', '2001:0db8:ffff::')).toBe(true);
  });
  it('IPv4-mapped IPv6 request addresses match IPv4 CIDRs; v4 and v6 otherwise never mix', () => {
    expect(inCidr('192.0.2.0/24', '::ffff:192.0.2.7')).toBe(true);
    expect(inCidr('::/0', '192.0.2.7')).toBe(false);
  });
  it('rejects malformed addresses and prefixes', () => {
    for (const s of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '1::2::3', '12345::', 'g::1', 'abc', ''])
      expect(parseIp(s)).toBeNull();
    for (const s of ['10.0.0.0/33', '::/129', '10.0.0.0/x']) expect(parseCidr(s)).toBeNull();
  });
});
