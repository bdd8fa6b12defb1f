import type { AwsError } from '../../errors/aws-error.js';
import { ALGORITHM } from './constants.js';
import { ALGORITHM_V4A } from './sigv4a-key.js';
import { incompleteSignature } from './errors.js';

/** The three parameters of `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
export interface AuthorizationHeader {
  /** AWS4-HMAC-SHA256, or AWS4-ECDSA-P256-SHA256 (SigV4a: multi-region endpoints). */
  algorithm: string;
  credential: string;
  signedHeaders: string[];
  signature: string;
}

/**
 * Parses the Authorization header. Anything that is not AWS4-HMAC-SHA256 (Basic, SigV2
 * `AWS id:sig`, and SigV4a where the endpoint does not take it: `v4a` false) has none of the
 * parameters, and AWS then lists every missing one, each in its own sentence, followed by the
 * header as received.
 */
export function parseAuthorizationHeader(
  value: string,
  hasDateHeader: boolean,
  v4a = false,
): AuthorizationHeader | AwsError {
  const params = new Map<string, string>();
  const algorithm = v4a && value.startsWith(`${ALGORITHM_V4A} `) ? ALGORITHM_V4A : ALGORITHM;
  const prefix = algorithm + ' ';
  if (value.startsWith(prefix)) {
    // AWS splits the parameters on commas and on whitespace: `Credential= AKID/…` fails on `AKID/…`.
    for (const p of value.slice(prefix.length).split(/[\s,]+/)) {
      if (p === '') continue;
      const eq = p.indexOf('=');
      if (eq < 0) {
        return incompleteSignature(
          `'${p}' not a valid key=value pair (missing equal-sign) in Authorization header: '${value}'.`,
        );
      }
      const name = p.slice(0, eq);
      if (!params.has(name)) params.set(name, p.slice(eq + 1));
    }
  }
  const credential = params.get('Credential');
  const signature = params.get('Signature');
  const signedHeaders = params.get('SignedHeaders');
  const missing: string[] = [];
  if (credential === undefined) missing.push("Authorization header requires 'Credential' parameter.");
  if (signature === undefined) missing.push("Authorization header requires 'Signature' parameter.");
  if (signedHeaders === undefined) missing.push("Authorization header requires 'SignedHeaders' parameter.");
  if (!hasDateHeader) {
    missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (
    missing.length > 0 ||
    credential === undefined ||
    signature === undefined ||
    signedHeaders === undefined
  ) {
    return incompleteSignature(`${missing.join(' ')} Authorization=${value}`);
  }
  return { algorithm, credential, signature, signedHeaders: splitSignedHeaders(signedHeaders) };
}

/** `host;x-amz-date` → ['host', 'x-amz-date'] (names compared lower-case, as headers arrive from Node). */
export function splitSignedHeaders(value: string): string[] {
  return value === '' ? [] : value.split(';').map((h) => h.trim().toLowerCase());
}
