import { describe, expect, it } from 'vitest';
import { clientAddress, normalizeIp, trustedProxies } from './client-address.js';

describe('normalizeIp', () => {
  it('writes IPv4-mapped IPv6 as IPv4 and IPv6 in its short lower-case form, every time', () => {
    for (let i = 0; i < 2; i++) {
      expect(normalizeIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
      expect(normalizeIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
      expect(normalizeIp('10.0.0.7')).toBe('10.0.0.7');
    }
  });

  it('leaves what is not an address as it is', () => {
    expect(normalizeIp('not-an-ip')).toBe('not-an-ip');
  });
});

describe('clientAddress', () => {
  const none = trustedProxies([]);
  const proxy = trustedProxies(['10.0.0.0/8', '192.0.2.1']);
  const xff = (v: string, proto?: string) => ({
    'x-forwarded-for': [v],
    ...(proto ? { 'x-forwarded-proto': [proto] } : {}),
  });

  it('believes no forwarding header from a peer that is not a trusted proxy', () => {
    expect(clientAddress('::ffff:198.51.100.9', xff('203.0.113.5', 'https'), false, none)).toEqual({
      ip: '198.51.100.9',
      secureTransport: false,
    });
    expect(clientAddress('198.51.100.9', xff('203.0.113.5', 'https'), false, proxy)).toEqual({
      ip: '198.51.100.9',
      secureTransport: false,
    });
  });

  it('takes the right-most untrusted hop and the forwarded protocol from a trusted proxy', () => {
    expect(
      clientAddress('10.1.2.3', xff('203.0.113.5, 198.51.100.7, 10.9.9.9', 'https'), false, proxy),
    ).toEqual({ ip: '198.51.100.7', secureTransport: true });
    expect(clientAddress('192.0.2.1', xff('203.0.113.5', 'http'), true, proxy)).toEqual({
      ip: '203.0.113.5',
      secureTransport: false,
    });
  });

  it('has no address without a peer', () => {
    expect(clientAddress(undefined, {}, false, none)).toEqual({ ip: undefined, secureTransport: false });
  });
});
