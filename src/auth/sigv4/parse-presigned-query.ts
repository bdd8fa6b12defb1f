import type { AwsError } from '../../errors/aws-error.js';
import {
  ALGORITHM,
  ALGORITHM_PARAM,
  CREDENTIAL_PARAM,
  DATE_PARAM,
  EXPIRES_PARAM,
  MAX_PRESIGNED_EXPIRES_SECONDS,
  SECURITY_TOKEN_PARAM,
  SIGNATURE_PARAM,
  SIGNED_HEADERS_PARAM,
} from './constants.js';
import { incompleteSignature } from './errors.js';
import { splitSignedHeaders } from './parse-authorization-header.js';
import { queryValue, type RawQueryParam } from './query-params.js';

/** The X-Amz-* parameters of a presigned URL. */
export interface PresignedParams {
  credential: string;
  amzDate: string;
  /** Seconds; undefined when the URL does not say (then only the 15-minute skew applies). */
  expiresSeconds: number | undefined;
  signedHeaders: string[];
  signature: string;
  securityToken: string | undefined;
}

/** True when the query carries presigned-URL authentication at all. */
export function hasPresignedParams(params: readonly RawQueryParam[]): boolean {
  return (
    queryValue(params, ALGORITHM_PARAM) !== undefined ||
    queryValue(params, CREDENTIAL_PARAM) !== undefined ||
    queryValue(params, SIGNATURE_PARAM) !== undefined
  );
}

/**
 * Reads and checks the presigned parameters. Missing ones are listed in one IncompleteSignature
 * message, in the style AWS uses for the Authorization header.
 */
export function parsePresignedQuery(params: readonly RawQueryParam[]): PresignedParams | AwsError {
  const algorithm = queryValue(params, ALGORITHM_PARAM);
  const credential = queryValue(params, CREDENTIAL_PARAM);
  const amzDate = queryValue(params, DATE_PARAM);
  const signedHeaders = queryValue(params, SIGNED_HEADERS_PARAM);
  const signature = queryValue(params, SIGNATURE_PARAM);
  const expires = queryValue(params, EXPIRES_PARAM);
  const missing: string[] = [];
  for (const [name, v] of [
    [ALGORITHM_PARAM, algorithm],
    [CREDENTIAL_PARAM, credential],
    [SIGNATURE_PARAM, signature],
    [SIGNED_HEADERS_PARAM, signedHeaders],
    [DATE_PARAM, amzDate],
  ] as const) {
    if (v === undefined) missing.push(`AWS query-string parameters must include '${name}'.`);
  }
  if (
    missing.length > 0 ||
    credential === undefined ||
    amzDate === undefined ||
    signedHeaders === undefined ||
    signature === undefined
  ) {
    return incompleteSignature(`${missing.join(' ')} Re-examine the query-string parameters.`);
  }
  if (algorithm !== ALGORITHM) {
    return incompleteSignature(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
  }
  let expiresSeconds: number | undefined;
  if (expires !== undefined) {
    expiresSeconds = /^\d{1,7}$/.test(expires) ? Number(expires) : NaN;
    if (
      !Number.isInteger(expiresSeconds) ||
      expiresSeconds < 1 ||
      expiresSeconds > MAX_PRESIGNED_EXPIRES_SECONDS
    ) {
      return incompleteSignature(
        `X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_PRESIGNED_EXPIRES_SECONDS}, got '${expires}'.`,
      );
    }
  }
  return {
    credential,
    amzDate,
    expiresSeconds,
    signedHeaders: splitSignedHeaders(signedHeaders),
    signature,
    securityToken: queryValue(params, SECURITY_TOKEN_PARAM),
  };
}
