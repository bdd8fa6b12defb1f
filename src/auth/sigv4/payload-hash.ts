import { createHash } from 'node:crypto';
import { EMPTY_SHA256 } from './constants.js';

/**
 * The payload hash that goes into the canonical request: always the hash of the body actually
 * received. IAM, STS and SES have no operation whose payload may go unsigned (S3's
 * UNSIGNED-PAYLOAD is an S3 feature), so a declared x-amz-content-sha256 is never trusted in its
 * place: a value that differs from the body (UNSIGNED-PAYLOAD included) fails the signature.
 */
export function payloadHash(body: Buffer): string {
  if (body.length === 0) return EMPTY_SHA256;
  return createHash('sha256').update(body).digest('hex');
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * A declared x-amz-content-sha256 that could be the body's hash (64 lower-case hex digits): the
 * signature can then be checked before the body arrives, and the body checked against it as it
 * streams in. Anything else (UNSIGNED-PAYLOAD, STREAMING-…) is no such promise.
 */
export function declaredBodyHash(declared: string | undefined): string | undefined {
  return declared !== undefined && SHA256_HEX.test(declared) ? declared : undefined;
}
