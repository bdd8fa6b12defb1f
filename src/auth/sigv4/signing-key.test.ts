import { describe, expect, it } from 'vitest';
import { deriveSigningKey, SigningKeyCache } from './signing-key.js';

describe('SigningKeyCache', () => {
  it('derives once per (secret, date, region, service) and evicts the least recently used', () => {
    const cache = new SigningKeyCache(2);
    const a = cache.get('s', '20261128', 'us-east-1', 'ses');
    expect(cache.get('s', '20261128', 'us-east-1', 'ses')).toBe(a);
    expect(a.equals(deriveSigningKey('s', '20261128', 'us-east-1', 'ses'))).toBe(true);
    const b = cache.get('s', '20261128', 'us-east-1', 'iam');
    cache.get('s', '20261128', 'us-east-1', 'ses'); // a is now the most recent
    cache.get('s', '20261129', 'us-east-1', 'ses'); // evicts b
    expect(cache.size).toBe(2);
    expect(cache.get('s', '20261128', 'us-east-1', 'ses')).toBe(a);
    expect(cache.get('s', '20261128', 'us-east-1', 'iam')).not.toBe(b);
  });

  it('keys by the secret: a rotated secret never meets the old key', () => {
    const cache = new SigningKeyCache();
    expect(
      cache
        .get('old', '20261128', 'us-east-1', 'ses')
        .equals(cache.get('new', '20261128', 'us-east-1', 'ses')),
    ).toBe(false);
  });
});
