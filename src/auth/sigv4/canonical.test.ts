import { describe, expect, it } from 'vitest';
import { parseAmzDate, parseHttpDate } from './amz-date.js';
import { canonicalHeaders, canonicalHeaderValue } from './canonical-headers.js';
import { canonicalPath } from './canonical-path.js';
import { canonicalQuery, sentQuery } from './canonical-query.js';
import { parseAuthorizationHeader } from './parse-authorization-header.js';
import { declaredBodyHash, payloadHash } from './payload-hash.js';
import { splitQuery } from './query-params.js';
import { canonicalizeEncoded, percentDecode, uriEncode } from './uri-encode.js';

describe('canonicalPath (every service but S3)', () => {
  it.each([
    ['/', '/'],
    ['', '/'],
    ['/v2/email/identities/user%40example.com', '/v2/email/identities/user%2540example.com'],
    [
      '/v2/email/identities/a%2Bb%20c%27d%40example.com',
      '/v2/email/identities/a%252Bb%2520c%2527d%2540example.com',
    ],
    ['/v2/email/identities/user@example.com', '/v2/email/identities/user%40example.com'],
    ['/a/./b/../c', '/a/c'],
    ['//a//b/', '/a/b/'],
    ['/a/..', '/'],
    ['/ሴ', '/%E1%88%B4'],
    ['/-._~AZaz09', '/-._~AZaz09'],
  ])('%s signs as %s', (raw, canonical) => {
    expect(canonicalPath(raw)).toBe(canonical);
  });
});

describe('canonicalQuery', () => {
  it('sorts by encoded name then value, keeps repeated names, writes name= for empty values', () => {
    expect(canonicalQuery(splitQuery('b=2&a=z&a=&a=1&flag'), false)).toBe('a=&a=1&a=z&b=2&flag=');
  });

  it('re-encodes into canonical spelling: upper-case hex, unreserved characters bare, %20 for space', () => {
    expect(canonicalQuery(splitQuery('c=%7e%2a&d=a%20b&e=%c3%bc&f=%2B'), false)).toBe(
      'c=~%2A&d=a%20b&e=%C3%BC&f=%2B',
    );
  });

  it('sorts by the encoded name, so upper-case names come before lower-case ones', () => {
    expect(canonicalQuery(splitQuery('a=1&B=2&_=3&~=4'), false)).toBe('B=2&_=3&a=1&~=4');
  });

  it('leaves out X-Amz-Signature only for a presigned request', () => {
    const q = splitQuery('X-Amz-Signature=abc&X-Amz-Date=1');
    expect(canonicalQuery(q, true)).toBe('X-Amz-Date=1');
    expect(canonicalQuery(q, false)).toBe('X-Amz-Date=1&X-Amz-Signature=abc');
  });

  it('sentQuery keeps the spelling as sent and only sorts (botocore on a hand-made URL)', () => {
    expect(sentQuery(splitQuery('c=%7e&a=1&flag'), false)).toBe('a=1&c=%7e&flag=');
  });
});

describe('canonical headers', () => {
  it('trims values and collapses inner runs of spaces and tabs', () => {
    expect(canonicalHeaderValue('  a \t  b   c  ')).toBe('a b c');
  });

  it('joins a repeated header with commas, in the order received, and writes absent ones empty', () => {
    const block = canonicalHeaders({ host: 'h', 'my-header': [' v2', 'v1 '], other: undefined }, [
      'host',
      'my-header',
      'other',
    ]);
    expect(block).toBe('host:h\nmy-header:v2,v1\nother:\n');
  });
});

describe('uri encoding', () => {
  it('encodes everything but RFC 3986 unreserved characters, by UTF-8 byte', () => {
    expect(uriEncode("a b/c+d=e!'()*~")).toBe('a%20b%2Fc%2Bd%3De%21%27%28%29%2A~');
    expect(uriEncode('ü')).toBe('%C3%BC');
    expect(uriEncode('%40')).toBe('%2540');
  });

  it('never throws on malformed escapes or invalid UTF-8', () => {
    expect(canonicalizeEncoded('%zz%4')).toBe('%25zz%254');
    expect(canonicalizeEncoded('%FF')).toBe('%FF');
    expect(percentDecode('a%20b+c')).toBe('a b+c');
  });
});

describe('dates', () => {
  it('parses ISO 8601 basic format and refuses anything else or an impossible date', () => {
    expect(parseAmzDate('20261128T100000Z')).toEqual(new Date('2026-11-28T10:00:00Z'));
    expect(parseAmzDate('2026-11-28T10:00:00Z')).toBeUndefined();
    expect(parseAmzDate('20261131T100000Z')).toBeUndefined();
    expect(parseAmzDate('20261128T100000')).toBeUndefined();
  });

  it('parses an HTTP date in GMT only', () => {
    expect(parseHttpDate('Sat, 28 Nov 2026 10:00:00 GMT')).toEqual(new Date('2026-11-28T10:00:00Z'));
    expect(parseHttpDate('Sat, 28 Nov 2026 10:00:00 +0100')).toBeUndefined();
    expect(parseHttpDate('yesterday GMT')).toBeUndefined();
  });
});

describe('parseAuthorizationHeader', () => {
  it('reads the three parameters with or without spaces after the commas', () => {
    expect(
      parseAuthorizationHeader(
        'AWS4-HMAC-SHA256 Credential=A/1/r/s/aws4_request,SignedHeaders=Host;X-Amz-Date,Signature=ab',
        true,
      ),
    ).toEqual({
      algorithm: 'AWS4-HMAC-SHA256',
      credential: 'A/1/r/s/aws4_request',
      signedHeaders: ['host', 'x-amz-date'],
      signature: 'ab',
    });
  });

  it('treats another algorithm as having no parameters at all', () => {
    const r = parseAuthorizationHeader(
      'AWS4-HMAC-SHA512 Credential=A/1/r/s/aws4_request, SignedHeaders=host, Signature=ab',
      true,
    );
    expect('code' in r && r.code).toBe('IncompleteSignature');
  });

  it('reads SigV4a (AWS4-ECDSA-P256-SHA256) where the endpoint takes it, and says so', () => {
    const v4a = 'AWS4-ECDSA-P256-SHA256 Credential=A/1/s/aws4_request, SignedHeaders=host, Signature=ab';
    const elsewhere = parseAuthorizationHeader(v4a, true);
    expect('code' in elsewhere && elsewhere.code).toBe('IncompleteSignature');
    expect(parseAuthorizationHeader(v4a, true, true)).toEqual({
      algorithm: 'AWS4-ECDSA-P256-SHA256',
      credential: 'A/1/s/aws4_request',
      signedHeaders: ['host'],
      signature: 'ab',
    });
  });
});

describe('payloadHash', () => {
  it('hashes the body received, whatever the client declared', () => {
    expect(payloadHash(Buffer.from(''))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(payloadHash(Buffer.from('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('takes a declared hash for streaming only when it is a SHA-256 in lower-case hex', () => {
    const h = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(declaredBodyHash(h)).toBe(h);
    expect(declaredBodyHash(h.toUpperCase())).toBeUndefined();
    expect(declaredBodyHash('UNSIGNED-PAYLOAD')).toBeUndefined();
    expect(declaredBodyHash('STREAMING-AWS4-HMAC-SHA256-PAYLOAD')).toBeUndefined();
    expect(declaredBodyHash(undefined)).toBeUndefined();
  });
});
