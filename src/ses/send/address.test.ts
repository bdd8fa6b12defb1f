import { describe, it, expect } from 'vitest';
import { addressSyntaxError, decodeEncodedWords, isSimulatorAddress, parseMailbox } from './address.js';

describe('parseMailbox', () => {
  it('splits display name and address', () => {
    expect(parseMailbox('John Doe <johndoe@example.com>')).toEqual({
      address: 'johndoe@example.com',
      name: 'John Doe',
      text: 'John Doe <johndoe@example.com>',
    });
    expect(parseMailbox('"Doe, John" <j@example.com>')).toMatchObject({
      address: 'j@example.com',
      name: 'Doe, John',
    });
  });
  it('has no name for a bare address and keeps the case', () => {
    const m = parseMailbox('Ann.Smith@Example.com');
    expect(m).toEqual({ address: 'Ann.Smith@Example.com', text: 'Ann.Smith@Example.com' });
    expect(m && 'name' in m).toBe(false);
  });
  it('decodes RFC 2047 display names', () => {
    expect(parseMailbox('=?UTF-8?B?SsO8cmdlbg==?= <j@x.com>')).toMatchObject({
      address: 'j@x.com',
      name: 'Jürgen',
    });
    expect(parseMailbox('=?ISO-8859-1?Q?Andr=E9_P?= <a@x.com>')).toMatchObject({ name: 'André P' });
  });
  it('keeps text without an address as the address, so validation refuses it', () => {
    expect(parseMailbox('alice')).toEqual({ address: 'alice', text: 'alice' });
    expect(parseMailbox('   ')).toBeUndefined();
  });
});

describe('decodeEncodedWords', () => {
  it('joins adjacent encoded words and leaves plain text alone', () => {
    expect(decodeEncodedWords('=?UTF-8?Q?a?= =?UTF-8?Q?b?=')).toBe('ab');
    expect(decodeEncodedWords('plain =?x')).toBe('plain =?x');
  });
});

describe('addressSyntaxError', () => {
  it.each([
    ['a@example.com', undefined],
    ['"a b"@example.com', undefined],
    ['example.com', "Missing final '@domain'"],
    ['@example.com', 'Missing local name'],
    ['a@', 'Missing domain'],
    ['a b@example.com', 'Local address contains control or whitespace'],
    ['"a\u0007b"@example.com', 'Local address contains control or whitespace'],
    ['"a\u007fb"@example.com', 'Local address contains control or whitespace'],
    ['a@exa\u0001mple.com', 'Domain contains control or whitespace'],
    ['.a@example.com', 'Local address starts with dot'],
    ['a.@example.com', 'Local address ends with dot'],
    ['a..b@example.com', 'Local address contains dot-dot'],
    ['jürgen@example.com', 'Local address contains illegal character'],
    ['a@exa mple.com', 'Domain contains control or whitespace'],
    ['a@exa!mple.com', 'Domain contains illegal character'],
    ['a@.example.com', 'Domain starts with dot'],
    ['a@example.com.', 'Domain ends with dot'],
    ['a@example..com', 'Domain contains dot-dot'],
  ])('%s -> %s', (address, expected) => {
    expect(addressSyntaxError(address)).toBe(expected);
  });
});

it('recognizes simulator addresses, labels included, case-insensitively', () => {
  expect(isSimulatorAddress('bounce+l1@simulator.amazonses.com')).toBe(true);
  expect(isSimulatorAddress('success@SIMULATOR.amazonses.com')).toBe(true);
  expect(isSimulatorAddress('success@amazonses.com')).toBe(false);
});
