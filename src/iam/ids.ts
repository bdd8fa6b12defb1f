// Identifiers shaped like AWS's (docs/spec/iam.md §5.2): unique ids are a 4-letter prefix + 17 base32
// characters (21 in all, e.g. AIDA…); access key ids are a prefix + 16 (20 in all, as AWS issues).
import { randomBytes, randomInt } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export type UniqueIdPrefix = 'AIDA' | 'AGPA' | 'AROA' | 'ANPA';
export type AccessKeyPrefix = 'AKIA' | 'ASIA';

function base32(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += BASE32[randomInt(32)];
  return s;
}

export function newUniqueId(prefix: UniqueIdPrefix): string {
  return prefix + base32(17);
}

export function newAccessKeyId(prefix: AccessKeyPrefix = 'AKIA'): string {
  return prefix + base32(16);
}

/** 40 characters of [A-Za-z0-9+/], like AWS secret access keys. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

/** A 12-digit account id that does not start with 0 (the default account is 000000000000). */
export function newAccountId(): string {
  let s = String(randomInt(1, 10));
  for (let i = 0; i < 11; i++) s += String(randomInt(10));
  return s;
}
