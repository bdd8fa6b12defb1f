import { describe, expect, it } from 'vitest';
import {
  coveringIdentities,
  isValidDomain,
  isValidEmailAddress,
  normalizeIdentity,
} from './identity-names.js';

describe('identity names', () => {
  it('validates addresses and domains', () => {
    expect(isValidEmailAddress('a@example.com')).toBe(true);
    expect(isValidEmailAddress('a b@example.com')).toBe(false);
    expect(isValidEmailAddress('example.com')).toBe(false);
    expect(isValidEmailAddress('a@')).toBe(false);
    expect(isValidDomain('mail.example.com')).toBe(true);
    expect(isValidDomain('localhost')).toBe(false);
    expect(isValidDomain('-bad.example.com')).toBe(false);
  });

  it('lower-cases the domain part only', () => {
    expect(normalizeIdentity('Ann@Example.COM')).toBe('Ann@example.com');
    expect(normalizeIdentity('Example.COM')).toBe('example.com');
  });

  it('lists covering identities from the most specific', () => {
    expect(coveringIdentities('a@mail.Example.com')).toEqual([
      'a@mail.example.com',
      'mail.example.com',
      'example.com',
    ]);
    expect(coveringIdentities('example.com')).toEqual(['example.com']);
  });
});
