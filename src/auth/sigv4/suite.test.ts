import { describe, expect, it } from 'vitest';
import { verifySigV4, type IncomingSignedRequest, type StoredKey } from './verify.js';

// AWS's published SigV4 test suite (aws-sig-v4-test-suite): AKIDEXAMPLE, 2015-08-30T12:36:00Z,
// us-east-1, service "service". Requests are given as they travel on the wire.
const KEY: StoredKey = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  status: 'Active',
};
const NOW = new Date('2015-08-30T12:36:00Z');
const SCOPE = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';
const STS_TOKEN =
  'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==';

interface Vector {
  name: string;
  method?: string;
  path?: string;
  query?: string;
  headers?: Record<string, string | string[]>;
  body?: string;
  signed: string;
  signature: string;
}

const VECTORS: Vector[] = [
  {
    name: 'get-vanilla',
    signed: 'host;x-amz-date',
    signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
  },
  {
    name: 'get-vanilla-query-order-key-case',
    query: 'Param2=value2&Param1=value1',
    signed: 'host;x-amz-date',
    signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
  },
  {
    name: 'get-vanilla-query-unreserved',
    query:
      '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    signed: 'host;x-amz-date',
    signature: '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197',
  },
  {
    name: 'get-vanilla-utf8-query',
    query: 'ሴ=bar',
    signed: 'host;x-amz-date',
    signature: '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04',
  },
  {
    name: 'get-vanilla-utf8-query (percent-encoded on the wire)',
    query: '%E1%88%B4=bar',
    signed: 'host;x-amz-date',
    signature: '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04',
  },
  {
    name: 'get-unreserved',
    path: '/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    signed: 'host;x-amz-date',
    signature: '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f',
  },
  {
    name: 'get-utf8',
    path: '/ሴ',
    signed: 'host;x-amz-date',
    signature: '8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85',
  },
  {
    name: 'get-header-key-duplicate',
    headers: { 'my-header1': ['value2', 'value2', 'value1'] },
    signed: 'host;my-header1;x-amz-date',
    signature: 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea',
  },
  {
    name: 'get-header-value-order',
    headers: { 'my-header1': ['value4', 'value1', 'value3', 'value2'] },
    signed: 'host;my-header1;x-amz-date',
    signature: '08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01',
  },
  {
    name: 'get-header-value-trim',
    headers: { 'my-header1': ' value1', 'my-header2': ' "a   b   c" ' },
    signed: 'host;my-header1;my-header2;x-amz-date',
    signature: 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736',
  },
  {
    name: 'post-vanilla',
    method: 'POST',
    signed: 'host;x-amz-date',
    signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
  },
  {
    name: 'post-vanilla-query',
    method: 'POST',
    query: 'Param1=value1',
    signed: 'host;x-amz-date',
    signature: '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11',
  },
  {
    name: 'post-vanilla-query-nonunreserved',
    method: 'POST',
    query: '%40%23%24%25%5E=&%2B=%2F%2C%3F%3E%3C%60%22%3B%3A%5C%7C%5D%5B%7B%7D',
    signed: 'host;x-amz-date',
    signature: '66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e',
  },
  {
    name: 'post-vanilla-query-nonunreserved (lower-case hex, unordered)',
    method: 'POST',
    query: '%2b=%2f%2c%3f%3e%3c%60%22%3b%3a%5c%7c%5d%5b%7b%7d&%40%23%24%25%5e',
    signed: 'host;x-amz-date',
    signature: '66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e',
  },
  {
    name: 'post-vanilla-query-space',
    method: 'POST',
    query: 'p=',
    signed: 'host;x-amz-date',
    signature: 'e71688addb58a26418614085fb730ba3faa623b461c17f48f2fbdb9361b94a9b',
  },
  {
    name: 'post-x-www-form-urlencoded',
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Param1=value1',
    signed: 'content-type;host;x-amz-date',
    signature: 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
  },
  {
    name: 'post-x-www-form-urlencoded-parameters',
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf8' },
    body: 'Param1=value1',
    signed: 'content-type;host;x-amz-date',
    signature: '1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe',
  },
];

function request(v: Vector, token?: string): IncomingSignedRequest {
  return {
    method: v.method ?? 'GET',
    rawPath: v.path ?? '/',
    rawQuery: v.query ?? '',
    headers: {
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      ...(token === undefined ? {} : { 'x-amz-security-token': token }),
      ...v.headers,
      authorization: `${SCOPE}, SignedHeaders=${v.signed}, Signature=${v.signature}`,
    },
    body: Buffer.from(v.body ?? ''),
  };
}

describe('AWS SigV4 test suite', () => {
  it.each(VECTORS)('verifies $name', async (v) => {
    const r = await verifySigV4(request(v), { now: NOW, lookupKey: () => KEY, expectedService: 'service' });
    expect(r).toEqual({
      ok: true,
      key: KEY,
      scope: { date: '20150830', region: 'us-east-1', service: 'service' },
      signedAt: NOW,
      presigned: false,
    });
  });

  it.each(VECTORS)('refuses $name with its last signature digit changed', async (v) => {
    const last = v.signature.endsWith('0') ? '1' : '0';
    const r = await verifySigV4(request({ ...v, signature: v.signature.slice(0, -1) + last }), {
      now: NOW,
      lookupKey: () => KEY,
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('SignatureDoesNotMatch');
  });

  it('verifies post-sts-header-before with the session token of temporary credentials', async () => {
    const v: Vector = {
      name: 'post-sts-header-before',
      method: 'POST',
      signed: 'host;x-amz-date;x-amz-security-token',
      signature: '85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead',
    };
    const temporary: StoredKey = { ...KEY, sessionToken: STS_TOKEN, expiresAt: NOW.getTime() + 3600_000 };
    const r = await verifySigV4(request(v, STS_TOKEN), { now: NOW, lookupKey: () => temporary });
    expect(r.ok).toBe(true);
  });

  it('derives the signing key of the documented example (iam, 20150830)', async () => {
    const { deriveSigningKey } = await import('./signing-key.js');
    expect(
      deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'iam').toString(
        'hex',
      ),
    ).toBe('c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
  });
});
