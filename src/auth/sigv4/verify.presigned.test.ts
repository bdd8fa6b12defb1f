// Presigned-URL form (X-Amz-* query parameters), signed by the SDK's own SignatureV4.
import { describe, expect, it } from 'vitest';
import { Hash } from '@smithy/core/serde';
import { buildQueryString, HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest as SignedHttpRequest } from '@smithy/types';
import { AwsError } from '../../errors/aws-error.js';
import {
  parseCredentialScope,
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

/** A presigned request made by the SDK's own SignatureV4. */
async function presigned(s: SignSpec & { expiresIn?: number } = {}): Promise<IncomingSignedRequest> {
  const r = await signer(s).presign(httpRequest({ method: 'GET', ...s }), {
    signingDate: s.at ?? AT,
    expiresIn: s.expiresIn ?? 900,
  });
  return wire(r, '');
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

describe('verifySigV4: presigned URLs', () => {
  it('accepts a presigned URL and says so', async () => {
    const r = await verify(
      await presigned({ query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, service: 'sts' }),
    );
    expect(r).toEqual({
      ok: true,
      key: USER,
      scope: { date: '20261128', region: 'us-east-1', service: 'sts' },
      signedAt: AT,
      presigned: true,
    });
  });

  it('accepts a presigned URL of temporary credentials (token in the query)', async () => {
    const req = await presigned({ key: TEMP });
    expect(req.rawQuery).toContain('X-Amz-Security-Token=');
    expect((await verify(req)).ok).toBe(true);
  });

  it('accepts a presigned URL until X-Amz-Expires, even past 15 minutes', async () => {
    const req = await presigned({ expiresIn: 3600 });
    expect((await verify(req, { now: new Date(AT.getTime() + 3600_000) })).ok).toBe(true);
  });

  it('presigned: RequestExpired after X-Amz-Expires, not yet current when signed 16 minutes ahead', async () => {
    const req = await presigned({ expiresIn: 60 });
    expect((await verify(req, { now: new Date(AT.getTime() + 60_000) })).ok).toBe(true);
    expectError(
      await verify(req, { now: new Date(AT.getTime() + 61_000) }),
      'RequestExpired',
      400,
      'Request has expired.',
    );
    expectError(
      await verify(req, { now: new Date(AT.getTime() - 16 * 60_000) }),
      'SignatureDoesNotMatch',
      403,
      'Signature not yet current: 20261128T100000Z is still later than 20261128T095900Z (20261128T094400Z + 15 min.)',
    );
  });

  it('presigned: IncompleteSignature for missing parameters, a foreign algorithm, an X-Amz-Expires out of range', async () => {
    const req = await presigned();
    const without = (name: string) => ({
      ...req,
      rawQuery: req.rawQuery
        .split('&')
        .filter((p) => !p.startsWith(name + '='))
        .join('&'),
    });
    expectError(
      await verify(without('X-Amz-Credential')),
      'IncompleteSignature',
      400,
      "AWS query-string parameters must include 'X-Amz-Credential'. Re-examine the query-string parameters.",
    );
    expectError(
      await verify({
        ...without('X-Amz-Date'),
        rawQuery: without('X-Amz-Date').rawQuery.replace(/X-Amz-SignedHeaders=[^&]*&?/, ''),
      }),
      'IncompleteSignature',
      400,
      "AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.",
    );
    expectError(
      await verify({
        ...req,
        rawQuery: req.rawQuery.replace(
          'X-Amz-Algorithm=AWS4-HMAC-SHA256',
          'X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256',
        ),
      }),
      'IncompleteSignature',
      400,
      'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"',
    );
    expectError(
      await verify({ ...req, rawQuery: req.rawQuery.replace('X-Amz-Expires=900', 'X-Amz-Expires=604801') }),
      'IncompleteSignature',
      400,
      "X-Amz-Expires must be a whole number of seconds from 1 to 604800, got '604801'.",
    );
  });

  it('presigned: SignatureDoesNotMatch for a tampered parameter or a longer X-Amz-Expires', async () => {
    const req = await presigned({ query: { Action: 'GetCallerIdentity' } });
    expectError(
      await verify({ ...req, rawQuery: req.rawQuery.replace('GetCallerIdentity', 'GetSessionToken') }),
      'SignatureDoesNotMatch',
      403,
      MISMATCH,
    );
    expectError(
      await verify({ ...req, rawQuery: req.rawQuery.replace('X-Amz-Expires=900', 'X-Amz-Expires=901') }),
      'SignatureDoesNotMatch',
      403,
      MISMATCH,
    );
  });

  it('presigned: InvalidClientTokenId for temporary credentials without the token', async () => {
    const req = await presigned({ key: TEMP });
    const stripped = {
      ...req,
      rawQuery: req.rawQuery
        .split('&')
        .filter((p) => !p.startsWith('X-Amz-Security-Token='))
        .join('&'),
    };
    expectError(await verify(stripped), 'InvalidClientTokenId', 403, INVALID_TOKEN);
  });
});

describe('parseCredentialScope', () => {
  it('reads the scope from the Authorization header or the presigned query, without verifying', async () => {
    const expected = { accessKeyId: USER.accessKeyId, date: '20261128', region: 'eu-west-1', service: 'iam' };
    expect(parseCredentialScope(await signed({ region: 'eu-west-1', service: 'iam' }))).toEqual(expected);
    expect(parseCredentialScope(await presigned({ region: 'eu-west-1', service: 'iam' }))).toEqual(expected);
  });

  it('gives undefined for no authentication or a malformed credential', () => {
    expect(parseCredentialScope({ headers: {}, rawQuery: '' })).toBeUndefined();
    expect(parseCredentialScope({ headers: { authorization: 'Basic abc' }, rawQuery: '' })).toBeUndefined();
    expect(
      parseCredentialScope({
        headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20261128/ses/aws4_request' },
        rawQuery: '',
      }),
    ).toBeUndefined();
    expect(
      parseCredentialScope({
        headers: {},
        rawQuery: 'X-Amz-Credential=AKID%2F20261128%2Fus-east-1%2Fses%2Faws5_request',
      }),
    ).toBeUndefined();
  });
});
