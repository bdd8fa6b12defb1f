// What a request's signature claims (header form or presigned URL), parsed and checked for shape,
// scope and time before any key is looked up: the first half of verify.ts's check.
import { AwsError } from '../../errors/aws-error.js';
import { formatAmzDate, parseAmzDate, parseHttpDate } from './amz-date.js';
import { headerValue } from './canonical-headers.js';
import {
  AMZ_DATE_HEADER,
  AUTHORIZATION_HEADER,
  CONTENT_SHA256_HEADER,
  CONTENT_SHA256_PARAM,
  DATE_HEADER,
  HOST_HEADER,
  MAX_CLOCK_SKEW_MS,
  SECURITY_TOKEN_HEADER,
} from './constants.js';
import { parseCredential, parseCredentialV4a, type Credential } from './credential-scope.js';
import {
  incompleteSignature,
  missingAuthenticationToken,
  requestExpired,
  signatureDoesNotMatch,
  signatureExpired,
  signatureNotYetCurrent,
} from './errors.js';
import { parseAuthorizationHeader } from './parse-authorization-header.js';
import { hasPresignedParams, parsePresignedQuery } from './parse-presigned-query.js';
import { queryValue, type RawQueryParam } from './query-params.js';
import { ALGORITHM_V4A } from './sigv4a-key.js';
import type { IncomingSignedRequest, VerifyOptions } from './verify.js';

const anyRegion = (): boolean => true;
export const REGION_SET_HEADER = 'x-amz-region-set';

/** What either form of signature claims, once parsed and checked for shape and time. */
export interface Claim {
  credential: Credential;
  amzDate: string;
  signedAt: Date;
  signedHeaders: string[];
  signature: string;
  securityToken: string | undefined;
  declaredPayloadHash: string | undefined;
  presigned: boolean;
  /** SigV4a: the signature is ECDSA over the key pair's derived P-256 key, the scope has no region. */
  v4a?: boolean;
}

export function isClaim(c: Claim | AwsError): c is Claim {
  return !(c instanceof AwsError);
}

export function readClaim(
  req: Omit<IncomingSignedRequest, 'body'>,
  query: readonly RawQueryParam[],
  opts: VerifyOptions,
): Claim | AwsError {
  const authorization = headerValue(req.headers, AUTHORIZATION_HEADER);
  if (authorization !== undefined) return readHeaderClaim(req, authorization, opts);
  if (hasPresignedParams(query)) return readPresignedClaim(req, query, opts);
  return missingAuthenticationToken();
}

function readHeaderClaim(
  req: Omit<IncomingSignedRequest, 'body'>,
  authorization: string,
  opts: VerifyOptions,
): Claim | AwsError {
  const amzDateHeader = headerValue(req.headers, AMZ_DATE_HEADER);
  const dateHeader = headerValue(req.headers, DATE_HEADER);
  const parsed = parseAuthorizationHeader(
    authorization,
    amzDateHeader !== undefined || dateHeader !== undefined,
    authorization.startsWith(`${ALGORITHM_V4A} `) && opts.acceptSigV4a?.() === true,
  );
  if (parsed instanceof AwsError) return parsed;
  const v4a = parsed.algorithm === ALGORITHM_V4A;
  const regionSet = headerValue(req.headers, REGION_SET_HEADER);
  if (v4a && (regionSet === undefined || !parsed.signedHeaders.includes(REGION_SET_HEADER)))
    return incompleteSignature(`'X-Amz-Region-Set' must be a 'SignedHeader' in the AWS Authorization.`);
  const credential = v4a
    ? parseCredentialV4a(parsed.credential, (regionSet ?? '').trim(), opts.isValidRegion)
    : parseCredential(parsed.credential, opts.isValidRegion ?? anyRegion);
  if (credential instanceof AwsError) return credential;

  // x-amz-date wins over Date; a Date header is signed in its ISO basic form.
  const signedAt =
    amzDateHeader !== undefined ? parseAmzDate(amzDateHeader.trim()) : parseHttpDate(dateHeader ?? '');
  if (signedAt === undefined) return badDate(amzDateHeader ?? dateHeader ?? '');
  const amzDate = amzDateHeader !== undefined ? amzDateHeader.trim() : formatAmzDate(signedAt);

  const problem =
    checkScope(credential, amzDate, parsed.signedHeaders, opts) ?? checkSkew(signedAt, opts.now);
  if (problem !== undefined) return problem;
  return {
    credential,
    amzDate,
    signedAt,
    signedHeaders: parsed.signedHeaders,
    signature: parsed.signature,
    securityToken: headerValue(req.headers, SECURITY_TOKEN_HEADER),
    declaredPayloadHash: headerValue(req.headers, CONTENT_SHA256_HEADER),
    presigned: false,
    ...(v4a ? { v4a } : {}),
  };
}

function readPresignedClaim(
  req: Omit<IncomingSignedRequest, 'body'>,
  query: readonly RawQueryParam[],
  opts: VerifyOptions,
): Claim | AwsError {
  const p = parsePresignedQuery(query);
  if (p instanceof AwsError) return p;
  const credential = parseCredential(p.credential, opts.isValidRegion ?? anyRegion);
  if (credential instanceof AwsError) return credential;
  const signedAt = parseAmzDate(p.amzDate);
  if (signedAt === undefined) return badDate(p.amzDate);

  const problem =
    checkScope(credential, p.amzDate, p.signedHeaders, opts) ??
    checkPresignedTime(signedAt, p.expiresSeconds, opts.now);
  if (problem !== undefined) return problem;
  return {
    credential,
    amzDate: p.amzDate,
    signedAt,
    signedHeaders: p.signedHeaders,
    signature: p.signature,
    securityToken: p.securityToken ?? headerValue(req.headers, SECURITY_TOKEN_HEADER),
    declaredPayloadHash:
      queryValue(query, CONTENT_SHA256_PARAM) ?? headerValue(req.headers, CONTENT_SHA256_HEADER),
    presigned: true,
  };
}

function badDate(value: string): AwsError {
  return incompleteSignature(
    `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`,
  );
}

function checkScope(
  credential: Credential,
  amzDate: string,
  signedHeaders: readonly string[],
  opts: VerifyOptions,
): AwsError | undefined {
  const day = amzDate.slice(0, 8);
  if (credential.date !== day) {
    return signatureDoesNotMatch(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
        `'${credential.date}' != '${day}', from '${amzDate}'.`,
    );
  }
  if (opts.expectedService !== undefined && credential.service !== opts.expectedService) {
    return signatureDoesNotMatch(
      `Credential should be scoped to correct service: '${opts.expectedService}'.`,
    );
  }
  if (!signedHeaders.includes(HOST_HEADER)) {
    return incompleteSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }
  return undefined;
}

function checkSkew(signedAt: Date, now: Date): AwsError | undefined {
  const t = signedAt.getTime();
  if (t < now.getTime() - MAX_CLOCK_SKEW_MS) return signatureExpired(signedAt, now, MAX_CLOCK_SKEW_MS);
  if (t > now.getTime() + MAX_CLOCK_SKEW_MS) return signatureNotYetCurrent(signedAt, now, MAX_CLOCK_SKEW_MS);
  return undefined;
}

/** A presigned URL lives X-Amz-Expires seconds; without it, the 15-minute window applies. */
function checkPresignedTime(
  signedAt: Date,
  expiresSeconds: number | undefined,
  now: Date,
): AwsError | undefined {
  if (expiresSeconds === undefined) return checkSkew(signedAt, now);
  if (signedAt.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
    return signatureNotYetCurrent(signedAt, now, MAX_CLOCK_SKEW_MS);
  }
  if (now.getTime() > signedAt.getTime() + expiresSeconds * 1000) return requestExpired();
  return undefined;
}
