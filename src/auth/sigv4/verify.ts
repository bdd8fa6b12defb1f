// Server-side AWS Signature Version 4 verification: header form and presigned-URL form, the
// way IAM, STS and SES check a request (errors in their Query-protocol family; see errors.ts). What
// the signature claims is read and checked first (claim.ts); the key and the signature here.

import { timingSafeEqual, verify as verifyEcdsa } from 'node:crypto';
import type { AwsError } from '../../errors/aws-error.js';
import { headerValue, type IncomingHeaders } from './canonical-headers.js';
import { canonicalQuery, sentQuery } from './canonical-query.js';
import { canonicalRequest } from './canonical-request.js';
import { AUTHORIZATION_HEADER, CREDENTIAL_PARAM } from './constants.js';
import { credentialScope, splitCredential, type Credential } from './credential-scope.js';
import { ALGORITHM_V4A, sigv4aPublicKey } from './sigv4a-key.js';
import { expiredToken, invalidClientTokenId, signatureDoesNotMatch } from './errors.js';
import { declaredBodyHash, payloadHash } from './payload-hash.js';
import { queryValue, splitQuery } from './query-params.js';
import { SigningKeyCache } from './signing-key.js';
import { sign, stringToSign } from './string-to-sign.js';
import { isClaim, readClaim, REGION_SET_HEADER } from './claim.js';

export interface IncomingSignedRequest {
  method: string;
  /** Path as received, still percent-encoded, without the query: `/v2/email/identities/a%40b.com`. */
  rawPath: string;
  /** Query string as received, without '?'; '' if none. */
  rawQuery: string;
  /** Lower-case names. Pass Node's `req.headersDistinct` to keep repeated headers apart. */
  headers: IncomingHeaders;
  body: Buffer;
}

/** What the caller's key lookup returns for an access key id. */
export interface StoredKey {
  accessKeyId: string;
  secretAccessKey: string;
  status: 'Active' | 'Inactive';
  /** Temporary (ASIA…) credentials: the request must carry exactly this X-Amz-Security-Token. */
  sessionToken?: string;
  /** Temporary credentials: epoch ms after which they are expired. */
  expiresAt?: number;
}

export interface SignatureScope {
  date: string;
  region: string;
  service: string;
}

export type VerifyResult =
  | {
      ok: true;
      key: StoredKey;
      scope: SignatureScope;
      signedAt: Date;
      presigned: boolean;
      /** SigV4a: the regions the signature is valid in (X-Amz-Region-Set: names, `*` patterns). */
      regionSet?: string[];
    }
  | {
      ok: false;
      error: AwsError;
      /** On a signature mismatch: what the client should have signed (for logs, never secrets). */
      diagnostics?: { canonicalRequest: string; stringToSign: string };
    };

export interface VerifyOptions {
  now: Date;
  lookupKey: (accessKeyId: string) => Promise<StoredKey | undefined> | StoredKey | undefined;
  /** The service the router already chose; a credential scoped to another one is refused. */
  expectedService?: string;
  /** Regions this server answers for; any well-formed region by default (clients pick theirs). */
  isValidRegion?: (region: string) => boolean;
  /** Defaults to one cache shared by the process. */
  signingKeyCache?: SigningKeyCache;
  /**
   * Whether this request's endpoint takes SigV4a (asked only of a SigV4a header). Where it does
   * not, the header is an algorithm the endpoint does not know, as on AWS's SigV4-only endpoints.
   */
  acceptSigV4a?: () => boolean;
}

const sharedKeyCache = new SigningKeyCache();
const CREDENTIAL_IN_HEADER = /Credential=([^,\s]+)/;

/**
 * The access key id and scope a request claims, read without verifying anything: lets the router
 * choose the service (ses, iam, sts) by credential scope before the full check runs.
 */
export function parseCredentialScope(
  req: Pick<IncomingSignedRequest, 'headers' | 'rawQuery'>,
): Credential | undefined {
  const authz = headerValue(req.headers, AUTHORIZATION_HEADER);
  if (authz !== undefined) {
    const m = CREDENTIAL_IN_HEADER.exec(authz);
    if (m?.[1] === undefined) return undefined;
    const v4a = authz.startsWith(`${ALGORITHM_V4A} `);
    const credential = splitCredential(m[1], v4a);
    if (!credential || !v4a) return credential;
    return { ...credential, region: headerValue(req.headers, REGION_SET_HEADER)?.trim() || '*', v4a };
  }
  if (req.rawQuery === '') return undefined;
  const credential = queryValue(splitQuery(req.rawQuery), CREDENTIAL_PARAM);
  return credential === undefined ? undefined : splitCredential(credential);
}

/**
 * A request whose signature can be checked once the payload hash is known. Everything that does
 * not need the body (shape, scope, time, the key and its session token) has been checked.
 */
export type PreparedSignature =
  | { ok: false; error: AwsError }
  | {
      ok: true;
      /** The body's hash as the client declared it (header form only), when it is a SHA-256. */
      declaredBodyHash: string | undefined;
      /** Checks the signature with this payload hash (the body's, or the declared one to stream). */
      finish(payloadHash: string): VerifyResult;
    };

export async function verifySigV4(req: IncomingSignedRequest, opts: VerifyOptions): Promise<VerifyResult> {
  const prepared = await prepareSigV4(req, opts);
  return prepared.ok ? prepared.finish(payloadHash(req.body)) : prepared;
}

/** Checks all but the payload: lets a server refuse a request before reading its body. */
export async function prepareSigV4(
  req: Omit<IncomingSignedRequest, 'body'>,
  opts: VerifyOptions,
): Promise<PreparedSignature> {
  const query = splitQuery(req.rawQuery);
  const claim = readClaim(req, query, opts);
  if (!isClaim(claim)) return { ok: false, error: claim };
  const { credential } = claim;

  const key = await opts.lookupKey(credential.accessKeyId);
  if (key === undefined || key.status !== 'Active' || key.accessKeyId !== credential.accessKeyId) {
    return { ok: false, error: invalidClientTokenId() };
  }
  if (key.sessionToken !== undefined) {
    if (claim.securityToken === undefined || !constantTimeEqual(claim.securityToken, key.sessionToken)) {
      return { ok: false, error: invalidClientTokenId() };
    }
    if (key.expiresAt !== undefined && opts.now.getTime() >= key.expiresAt) {
      return { ok: false, error: expiredToken() };
    }
  } else if (claim.securityToken !== undefined) {
    // A long-term key sent with a session token: AWS rejects the token, not the signature.
    return { ok: false, error: invalidClientTokenId() };
  }

  const scope = claim.v4a
    ? `${credential.date}/${credential.service}/aws4_request`
    : credentialScope(credential.date, credential.region, credential.service);
  const matchesSignature = claim.v4a
    ? v4aMatcher(key, claim.signature)
    : hmacMatcher(
        (opts.signingKeyCache ?? sharedKeyCache).get(
          key.secretAccessKey,
          credential.date,
          credential.region,
          credential.service,
        ),
        claim.signature,
      );
  const finish = (hash: string): VerifyResult => {
    const attempt = (queryString: string): { canonical: string; toSign: string; matches: boolean } => {
      const canonical = canonicalRequest({
        method: req.method,
        rawPath: req.rawPath,
        canonicalQuery: queryString,
        headers: req.headers,
        signedHeaders: claim.signedHeaders,
        payloadHash: hash,
      });
      const toSign = stringToSign(claim.amzDate, scope, canonical, claim.v4a ? ALGORITHM_V4A : undefined);
      return { canonical, toSign, matches: matchesSignature(toSign) };
    };
    const canonicalQueryString = canonicalQuery(query, claim.presigned);
    const first = attempt(canonicalQueryString);
    if (!first.matches) {
      // botocore signs a hand-made URL's query as sent; try that spelling only when it differs.
      const asSent = sentQuery(query, claim.presigned);
      if (asSent === canonicalQueryString || !attempt(asSent).matches) {
        return {
          ok: false,
          error: signatureDoesNotMatch(),
          diagnostics: { canonicalRequest: first.canonical, stringToSign: first.toSign },
        };
      }
    }
    return {
      ok: true,
      key,
      scope: { date: credential.date, region: credential.region, service: credential.service },
      signedAt: claim.signedAt,
      presigned: claim.presigned,
      ...(claim.v4a ? { regionSet: credential.region.split(',') } : {}),
    };
  };
  return {
    ok: true,
    declaredBodyHash: claim.presigned ? undefined : declaredBodyHash(claim.declaredPayloadHash),
    finish,
  };
}

function hmacMatcher(signingKey: Buffer, signature: string): (toSign: string) => boolean {
  return (toSign) => constantTimeEqual(signature, sign(signingKey, toSign));
}

/** SigV4a: a DER-encoded ECDSA P-256 signature (hex) over SHA-256 of the string to sign. */
function v4aMatcher(key: StoredKey, signature: string): (toSign: string) => boolean {
  const publicKey = sigv4aPublicKey(key.accessKeyId, key.secretAccessKey);
  const der = /^[0-9a-f]+$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  return (toSign) => {
    try {
      return verifyEcdsa('sha256', Buffer.from(toSign, 'utf8'), { key: publicKey, dsaEncoding: 'der' }, der);
    } catch {
      return false;
    }
  };
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
