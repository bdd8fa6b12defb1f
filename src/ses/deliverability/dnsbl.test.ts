import { describe, expect, it } from 'vitest';
import { startTestDnsServer } from '../verification/test-dns-server.js';
import { dnsblListings, dnsblResolver, reversedName } from './dnsbl.js';

describe('DNSBL look-ups', () => {
  it('reverses IPv4 octets and IPv6 nibbles (RFC 5782)', () => {
    expect(reversedName('192.0.2.99', 'bl.example')).toBe('99.2.0.192.bl.example');
    expect(reversedName('2001:db8::1', 'bl.example')).toBe(
      '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.example',
    );
  });

  it('reports the zones whose A record lists the address, with their TXT reason', async () => {
    const dns = await startTestDnsServer({
      a: { '99.2.0.192.bl.example': ['127.0.0.2'], '99.2.0.192.odd.example': ['10.0.0.1'] },
      txt: { '99.2.0.192.bl.example': ['spam trap hit'] },
    });
    try {
      const at = new Date('2026-11-28T00:00:00Z');
      const r = dnsblResolver([dns.address]);
      expect(
        await dnsblListings(r, '192.0.2.99', ['bl.example', 'odd.example', 'clean.example'], at),
      ).toEqual([{ RblName: 'bl.example', ListingTime: at, Description: 'spam trap hit' }]);
      expect(await dnsblListings(r, '192.0.2.100', ['bl.example'], at)).toEqual([]);
    } finally {
      await dns.stop();
    }
  });
});
