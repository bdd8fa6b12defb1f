import { describe, expect, it } from 'vitest';
import { smtpPasswordV2, smtpPasswordV4, verifySmtpPassword } from './smtp-password.js';

// Vectors of docs/spec/ses.md §6.3 (secret from AWS's documentation examples).
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const V4: [string, string][] = [
  ['us-east-1', 'BLBM/9hSUELfq8Gw+rU1YcBjkOxGbhT2XG763xVLGWL9'],
  ['us-east-2', 'BMPPgbAHoFVbze1Ud0oA5uNdXRwUXUZ+qOwphGJbl/cS'],
  ['us-west-2', 'BF2PynzbSCAjX08zhZZnP/kW+T9P5zs/1Er0pi5vTEmd'],
  ['eu-west-1', 'BMW5RDrXmmVs0lV7GpI4oLkHXpZ4stDsk6q91z1g38Pk'],
];
const V2 = 'An60U4ZD3sd4fg+FvXUjayOipTt8LO4rUUmhpdX6ctDy';

describe('smtpPasswordV4', () => {
  it.each(V4)('derives the documented password for %s', (region, password) => {
    expect(smtpPasswordV4(SECRET, region)).toBe(password);
  });
});

describe('smtpPasswordV2', () => {
  it('derives the documented legacy password', () => {
    expect(smtpPasswordV2(SECRET)).toBe(V2);
  });
});

describe('verifySmtpPassword', () => {
  it.each(V4)('accepts the v4 password of %s in that region', (region, password) => {
    expect(verifySmtpPassword(password, SECRET, region)).toBe(true);
  });

  it('refuses a v4 password derived for another region', () => {
    expect(verifySmtpPassword(V4[0]![1], SECRET, 'eu-west-1')).toBe(false);
    expect(verifySmtpPassword(V4[3]![1], SECRET, 'us-east-1')).toBe(false);
  });

  it('accepts the v2 password in any region', () => {
    expect(verifySmtpPassword(V2, SECRET, 'us-east-1')).toBe(true);
    expect(verifySmtpPassword(V2, SECRET, 'ap-south-1')).toBe(true);
  });

  it('refuses passwords of another secret', () => {
    const other = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEz';
    expect(verifySmtpPassword(smtpPasswordV4(other, 'us-east-1'), SECRET, 'us-east-1')).toBe(false);
    expect(verifySmtpPassword(smtpPasswordV2(other), SECRET, 'us-east-1')).toBe(false);
  });

  it('refuses the secret itself, a truncated password, an unknown version byte and non-base64 junk', () => {
    expect(verifySmtpPassword(SECRET, SECRET, 'us-east-1')).toBe(false);
    expect(verifySmtpPassword(V4[0]![1].slice(0, 40), SECRET, 'us-east-1')).toBe(false);
    const v3 = Buffer.from(V4[0]![1], 'base64');
    v3[0] = 0x03;
    expect(verifySmtpPassword(v3.toString('base64'), SECRET, 'us-east-1')).toBe(false);
    expect(verifySmtpPassword(V4[0]![1] + '!!', SECRET, 'us-east-1')).toBe(false);
    expect(verifySmtpPassword('', SECRET, 'us-east-1')).toBe(false);
  });

  it('refuses a password with one bit flipped', () => {
    const bytes = Buffer.from(V4[0]![1], 'base64');
    bytes[20] = bytes[20]! ^ 1;
    expect(verifySmtpPassword(bytes.toString('base64'), SECRET, 'us-east-1')).toBe(false);
  });
});
