import { createHash } from 'node:crypto';
import { EMPTY_SHA256, UNSIGNED_PAYLOAD } from './constants.js';

/**
 * The payload hash that goes into the canonical request. A client may declare UNSIGNED-PAYLOAD; any
 * other declared value (x-amz-content-sha256) is not trusted: the hash of the body actually
 * received is used, so a declared hash that does not match the body fails the signature, and a
 * captured signature cannot carry a different body.
 */
export function payloadHash(body: Buffer, declared: string | undefined): string {
  if (declared === UNSIGNED_PAYLOAD) return UNSIGNED_PAYLOAD;
  if (body.length === 0) return EMPTY_SHA256;
  return createHash('sha256').update(body).digest('hex');
}
