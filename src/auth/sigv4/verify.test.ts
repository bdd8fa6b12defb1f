import { describe, expect, it } from 'vitest';
import { Hash } from '@smithy/core/serde';
import { buildQueryString, HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest as SignedHttpRequest } from '@smithy/types';
import { createHash, createHmac } from 'node:crypto';
import { AwsError } from '../../errors/aws-error.js';
import { formatAmzDate } from './amz-date.js';
import { deriveSigningKey, SigningKeyCache } from './signing-key.js';
import { sign, stringToSign } from './string-to-sign.js';
import {
  verifySigV4,
  type IncomingSignedRequest,
  type StoredKey,
  type VerifyOptions,
  type VerifyResult,
} from './verify.js';

const AT = new Date('2026-11-28T10:00:00Z');
const USER: StoredKey = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  status: 'Active',
};
const TEMP: StoredKey = {
  accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  status: 'Active',
  sessionToken: 'FwoGZXIvYXdzEXAMPLE+token/value==',
  expiresAt: AT.getTime() + 3600_000,
};
const KEYS = new Map([USER, TEMP].map((k) => [k.accessKeyId, k]));
const HOST = 'email.us-east-1.amazonaws.com';

interface SignSpec {
  method?: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
  key?: StoredKey;
  region?: string;
  service?: string;
  at?: Date;
}

function signer(s: SignSpec): SignatureV4 {
  const key = s.key ?? USER;
  return new SignatureV4({
    credentials: {
      accessKeyId: key.accessKeyId,
      secretAccessKey: key.secretAccessKey,
      sessionToken: key.sessionToken,
    },
    region: s.region ?? 'us-east-1',
    service: s.service ?? 'ses',
    sha256: Hash.bind(null, 'sha256'),
  });
}

function httpRequest(s: SignSpec): HttpRequest {
  return new HttpRequest({
    method: s.method ?? 'POST',
    protocol: 'https:',
    hostname: HOST,
    path: s.path ?? '/',
    query: s.query ?? {},
    headers: { host: HOST, ...s.headers },
    body: s.body ?? '',
  });
}

function wire(r: SignedHttpRequest, body: string): IncomingSignedRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
  return {
    method: r.method,
    rawPath: r.path,
    rawQuery: buildQueryString(r.query ?? {}),
    headers,
    body: Buffer.from(body),
  };
}

/** A request signed by the SDK's own SignatureV4 (header form). */
async function signed(s: SignSpec = {}): Promise<IncomingSignedRequest> {
  return wire(await signer(s).sign(httpRequest(s), { signingDate: s.at ?? AT }), s.body ?? '');
}

function verify(req: IncomingSignedRequest, opts: Partial<VerifyOptions> = {}): Promise<VerifyResult> {
  return verifySigV4(req, { now: AT, lookupKey: (id) => KEYS.get(id), ...opts });
}

/** Asserts a refusal with AWS's exact code, status and message. */
function expectError(r: VerifyResult, code: string, status: number, message: string): void {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.error).toBeInstanceOf(AwsError);
  expect({
    code: r.error.code,
    status: r.error.httpStatus,
    type: r.error.type,
    message: r.error.message,
  }).toEqual({
    code,
    status,
    type: 'Sender',
    message,
  });
}

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';

function withHeader(
  req: IncomingSignedRequest,
  name: string,
  value: string | undefined,
): IncomingSignedRequest {
  const headers = { ...req.headers };
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return { ...req, headers };
}

function authorization(req: IncomingSignedRequest): string {
  return req.headers.authorization as string;
}

describe('verifySigV4: accepted requests', () => {
  it('accepts a Query-protocol POST and reports key, scope, time and form', async () => {
    const body = 'Action=SendEmail&Version=2010-12-01&Source=a%40example.com';
    const r = await verify(
      await signed({ body, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } }),
    );
    expect(r).toEqual({
      ok: true,
      key: USER,
      scope: { date: '20261128', region: 'us-east-1', service: 'ses' },
      signedAt: AT,
      presigned: false,
    });
  });

  it('accepts exactly 15 minutes of skew either way', async () => {
    const req = await signed();
    expect((await verify(req, { now: new Date(AT.getTime() + 15 * 60_000) })).ok).toBe(true);
    expect((await verify(req, { now: new Date(AT.getTime() - 15 * 60_000) })).ok).toBe(true);
  });

  it('refuses UNSIGNED-PAYLOAD (no IAM, STS or SES operation takes an unsigned payload); accepts a declared hash that matches the body', async () => {
    const unsigned = await signed({
      body: 'signed body',
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    const r = await verify(unsigned);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('SignatureDoesNotMatch');
    expect((await verify({ ...unsigned, body: Buffer.from('any other body') })).ok).toBe(false);
    const hash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    expect((await verify(await signed({ body: '', headers: { 'x-amz-content-sha256': hash } }))).ok).toBe(
      true,
    );
  });

  it('accepts temporary credentials with their session token', async () => {
    const r = await verify(await signed({ key: TEMP }));
    expect(r.ok && r.key).toBe(TEMP);
  });

  it('accepts a Date header in place of x-amz-date, signed in its ISO basic form', async () => {
    const date = 'Sat, 28 Nov 2026 10:00:00 GMT';
    const canonical = `GET\n/\n\ndate:${date}\nhost:${HOST}\n\ndate;host\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`;
    const toSign = stringToSign('20261128T100000Z', '20261128/us-east-1/ses/aws4_request', canonical);
    const signature = sign(deriveSigningKey(USER.secretAccessKey, '20261128', 'us-east-1', 'ses'), toSign);
    const r = await verify({
      method: 'GET',
      rawPath: '/',
      rawQuery: '',
      headers: {
        host: HOST,
        date,
        authorization: `AWS4-HMAC-SHA256 Credential=${USER.accessKeyId}/20261128/us-east-1/ses/aws4_request, SignedHeaders=date;host, Signature=${signature}`,
      },
      body: Buffer.alloc(0),
    });
    expect(r.ok && r.signedAt).toEqual(AT);
  });
});

describe('verifySigV4: refusals', () => {
  it('MissingAuthenticationToken without any authentication', async () => {
    const req = withHeader(await signed(), 'authorization', undefined);
    expectError(
      await verify(req),
      'MissingAuthenticationToken',
      403,
      'Request is missing Authentication Token',
    );
  });

  it('IncompleteSignature listing every missing parameter, then the header as received', async () => {
    const req = withHeader(await signed(), 'authorization', 'Basic dXNlcjpwYXNz');
    expectError(
      await verify(req),
      'IncompleteSignature',
      400,
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization=Basic dXNlcjpwYXNz",
    );
    const noDate = withHeader(
      withHeader(req, 'x-amz-date', undefined),
      'authorization',
      'AWS4-HMAC-SHA256 Credential=AKID/20261128/us-east-1/ses/aws4_request',
    );
    expectError(
      await verify(noDate),
      'IncompleteSignature',
      400,
      "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        'Authorization=AWS4-HMAC-SHA256 Credential=AKID/20261128/us-east-1/ses/aws4_request',
    );
  });

  it('IncompleteSignature for a parameter without an equal sign (a space pasted into the key id)', async () => {
    const req = await signed();
    const bad = authorization(req).replace(
      `Credential=${USER.accessKeyId}/`,
      `Credential=${USER.accessKeyId} /`,
    );
    expectError(
      await verify(withHeader(req, 'authorization', bad)),
      'IncompleteSignature',
      400,
      `'/20261128/us-east-1/ses/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: '${bad}'.`,
    );
  });

  it('IncompleteSignature for a credential that is not five elements', async () => {
    const req = await signed();
    const bad = authorization(req).replace('/ses/aws4_request', '/aws4_request');
    expectError(
      await verify(withHeader(req, 'authorization', bad)),
      'IncompleteSignature',
      400,
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${USER.accessKeyId}/20261128/us-east-1/aws4_request'`,
    );
  });

  it('SignatureDoesNotMatch for a wrong terminator, region, service or scope date', async () => {
    const req = await signed();
    const a = authorization(req);
    const withAuth = (v: string) => withHeader(req, 'authorization', v);
    expectError(
      await verify(withAuth(a.replace('/aws4_request', '/aws5_request'))),
      'SignatureDoesNotMatch',
      403,
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'.",
    );
    expectError(
      await verify(req, { isValidRegion: (r) => r === 'eu-west-1' }),
      'SignatureDoesNotMatch',
      403,
      "Credential should be scoped to a valid region, not 'us-east-1'.",
    );
    expectError(
      await verify(req, { expectedService: 'iam' }),
      'SignatureDoesNotMatch',
      403,
      "Credential should be scoped to correct service: 'iam'.",
    );
    expectError(
      await verify(withAuth(a.replace('/20261128/', '/20261127/'))),
      'SignatureDoesNotMatch',
      403,
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261127' != '20261128', from '20261128T100000Z'.",
    );
  });

  it('IncompleteSignature when host is not signed, and for a malformed x-amz-date', async () => {
    const req = await signed();
    const noHost = authorization(req).replace(/SignedHeaders=([^,]*)host;/, 'SignedHeaders=$1');
    expect(noHost).not.toBe(authorization(req));
    expectError(
      await verify(withHeader(req, 'authorization', noHost)),
      'IncompleteSignature',
      400,
      "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    );
    expectError(
      await verify(withHeader(req, 'x-amz-date', '2026-11-28T10:00:00Z')),
      'IncompleteSignature',
      400,
      "Date must be in ISO-8601 'basic format'. Got '2026-11-28T10:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
    );
  });

  it('InvalidClientTokenId for an unknown or an inactive key', async () => {
    const req = await signed();
    expectError(
      await verify(req, { lookupKey: () => undefined }),
      'InvalidClientTokenId',
      403,
      INVALID_TOKEN,
    );
    expectError(
      await verify(req, { lookupKey: () => ({ ...USER, status: 'Inactive' }) }),
      'InvalidClientTokenId',
      403,
      INVALID_TOKEN,
    );
  });

  it('InvalidClientTokenId for temporary credentials without, or with the wrong, session token', async () => {
    const req = await signed({ key: TEMP });
    expectError(
      await verify(withHeader(req, 'x-amz-security-token', undefined)),
      'InvalidClientTokenId',
      403,
      INVALID_TOKEN,
    );
    expectError(
      await verify(withHeader(req, 'x-amz-security-token', TEMP.sessionToken + 'x')),
      'InvalidClientTokenId',
      403,
      INVALID_TOKEN,
    );
    const noToken = await signed({ key: { ...TEMP, sessionToken: undefined } });
    expectError(await verify(noToken), 'InvalidClientTokenId', 403, INVALID_TOKEN);
  });

  it('InvalidClientTokenId for a long-term key sent with a session token', async () => {
    const req = await signed({ key: { ...USER, sessionToken: 'stale-token' } });
    expectError(await verify(req), 'InvalidClientTokenId', 403, INVALID_TOKEN);
  });

  it('ExpiredToken for expired temporary credentials', async () => {
    const req = await signed({ key: TEMP });
    expectError(
      await verify(req, { lookupKey: () => ({ ...TEMP, expiresAt: AT.getTime() }) }),
      'ExpiredToken',
      403,
      'The security token included in the request is expired',
    );
  });

  it('SignatureDoesNotMatch for a tampered body, header, path, query or method, with diagnostics', async () => {
    const req = await signed({
      method: 'POST',
      path: '/v2/email/identities/user%40example.com/policies/p',
      query: { a: '1' },
      body: '{"Policy":"{}"}',
      headers: { 'content-type': 'application/json', 'x-amz-user-agent': 'test' },
    });
    expect((await verify(req)).ok).toBe(true);
    const variants: IncomingSignedRequest[] = [
      { ...req, body: Buffer.from('{"Policy":"{ }"}') },
      withHeader(req, 'content-type', 'application/x-amz-json-1.0'),
      { ...req, rawPath: '/v2/email/identities/other%40example.com/policies/p' },
      { ...req, rawQuery: 'a=2' },
      { ...req, method: 'PUT' },
    ];
    for (const v of variants) {
      const r = await verify(v);
      expectError(r, 'SignatureDoesNotMatch', 403, MISMATCH);
      expect(!r.ok && r.diagnostics?.canonicalRequest).toMatch(/^(POST|PUT)\n\/v2\/email\/identities\//);
    }
  });

  it('SignatureDoesNotMatch for a header added unsigned is not raised (only signed headers count)', async () => {
    const req = withHeader(await signed(), 'x-forwarded-for', '10.0.0.1');
    expect((await verify(req)).ok).toBe(true);
  });

  it('SignatureDoesNotMatch when the scope names another region than the key was derived for', async () => {
    const req = await signed({ region: 'us-west-2' });
    const moved = withHeader(req, 'authorization', authorization(req).replace('/us-west-2/', '/us-east-1/'));
    expectError(await verify(moved), 'SignatureDoesNotMatch', 403, MISMATCH);
  });

  it('SignatureDoesNotMatch for a declared payload hash that is not the body', async () => {
    const other = 'a'.repeat(64);
    const req = await signed({ body: 'real body', headers: { 'x-amz-content-sha256': other } });
    expectError(await verify(req), 'SignatureDoesNotMatch', 403, MISMATCH);
  });

  it('SignatureDoesNotMatch for another secret and for an upper-case signature', async () => {
    expectError(
      await verify(await signed({ key: { ...USER, secretAccessKey: 'x' + USER.secretAccessKey.slice(1) } })),
      'SignatureDoesNotMatch',
      403,
      MISMATCH,
    );
    const req = await signed();
    const upper = authorization(req).replace(
      /Signature=([0-9a-f]+)/,
      (_, s: string) => `Signature=${s.toUpperCase()}`,
    );
    expectError(
      await verify(withHeader(req, 'authorization', upper)),
      'SignatureDoesNotMatch',
      403,
      MISMATCH,
    );
  });

  it('Signature expired 16 minutes late, not yet current 16 minutes early (AWS: SignatureDoesNotMatch)', async () => {
    const req = await signed();
    expectError(
      await verify(req, { now: new Date(AT.getTime() + 16 * 60_000) }),
      'SignatureDoesNotMatch',
      403,
      'Signature expired: 20261128T100000Z is now earlier than 20261128T100100Z (20261128T101600Z - 15 min.)',
    );
    expectError(
      await verify(req, { now: new Date(AT.getTime() - 16 * 60_000) }),
      'SignatureDoesNotMatch',
      403,
      'Signature not yet current: 20261128T100000Z is still later than 20261128T095900Z (20261128T094400Z + 15 min.)',
    );
  });

  it('propagates a failing key lookup instead of answering (the caller turns it into InternalFailure)', async () => {
    const req = await signed();
    await expect(verify(req, { lookupKey: () => Promise.reject(new Error('db down')) })).rejects.toThrow(
      'db down',
    );
  });
});

describe('speed', () => {
  // The machine is shared, so the bound is relative: the crypto a verification cannot avoid (hash
  // the body, hash the canonical request, one HMAC) measured in the same moment, times a margin.
  it('costs a small multiple of its unavoidable crypto once the signing key is cached', async () => {
    const body = 'Action=ListIdentities&Version=2010-12-01';
    const req = await signed({ body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const cache = new SigningKeyCache();
    const opts: VerifyOptions = { now: AT, lookupKey: (id) => KEYS.get(id), signingKeyCache: cache };
    const key = Buffer.alloc(32, 1);
    const canonical = 'x'.repeat(300);
    const time = async (f: () => unknown, n: number): Promise<number> => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) await f();
      return Number(process.hrtime.bigint() - t0) / 1000 / n;
    };
    const crypto = () => {
      createHash('sha256').update(body).digest('hex');
      createHash('sha256').update(canonical).digest('hex');
      createHmac('sha256', key).update(canonical).digest('hex');
    };
    const verifyOnce = () => verifySigV4(req, opts);
    // Interleaved rounds, best of each: other processes' bursts hit both sides alike.
    let verifyUs = Infinity;
    let cryptoUs = Infinity;
    for (let round = 0; round < 12; round++) {
      verifyUs = Math.min(verifyUs, await time(verifyOnce, 250));
      cryptoUs = Math.min(cryptoUs, await time(crypto, 250));
    }
    expect(cache.size).toBe(1);
    expect(verifyUs).toBeLessThan(6 * cryptoUs + 30);
  });
});

it('formats amz dates at second precision', () => {
  expect(formatAmzDate(new Date('2026-11-28T10:00:00.999Z'))).toBe('20261128T100000Z');
});
