import { createHash, createHmac } from 'node:crypto';
import { ALGORITHM } from './constants.js';

/** `AWS4-HMAC-SHA256\n<amz date>\n<scope>\n<hex sha256 of the canonical request>` (SigV4a names its own algorithm). */
export function stringToSign(
  amzDate: string,
  scope: string,
  canonicalRequest: string,
  algorithm = ALGORITHM,
): string {
  const hashed = createHash('sha256').update(canonicalRequest, 'utf8').digest('hex');
  return `${algorithm}\n${amzDate}\n${scope}\n${hashed}`;
}

/** The hex signature of a string to sign under a derived signing key. */
export function sign(signingKey: Buffer, toSign: string): string {
  return createHmac('sha256', signingKey).update(toSign, 'utf8').digest('hex');
}
