// SigV4's URI encoding: RFC 3986 unreserved characters stay, every other byte becomes %XX
// (upper-case hex) of its UTF-8 encoding. Works on bytes so malformed input never throws.

const UNRESERVED_ONLY = /^[A-Za-z0-9\-._~]*$/;
const HEX = '0123456789ABCDEF';

function isUnreserved(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) || // A-Z
    (b >= 0x61 && b <= 0x7a) || // a-z
    (b >= 0x30 && b <= 0x39) || // 0-9
    b === 0x2d ||
    b === 0x2e ||
    b === 0x5f ||
    b === 0x7e // - . _ ~
  );
}

function encodeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    out += isUnreserved(b) ? String.fromCharCode(b) : '%' + HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}

/** Encodes a string as it is (a '%' becomes '%25'): the path rule, which encodes the wire path again. */
export function uriEncode(s: string): string {
  if (UNRESERVED_ONLY.test(s)) return s;
  return encodeBytes(Buffer.from(s, 'utf8'));
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** The bytes a percent-encoded string stands for; a '%' not followed by two hex digits stays literal. */
export function percentDecodeBytes(s: string): Buffer {
  const src = Buffer.from(s, 'utf8');
  if (!src.includes(0x25)) return src;
  const out = Buffer.allocUnsafe(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    if (b === 0x25 && i + 2 < src.length) {
      const hi = hexValue(src[i + 1]!);
      const lo = hexValue(src[i + 2]!);
      if (hi >= 0 && lo >= 0) {
        out[n++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
    }
    out[n++] = b;
  }
  return out.subarray(0, n);
}

/**
 * Re-encodes a query component taken from the wire into SigV4's canonical form: decode %XX, then
 * encode what is not unreserved. A client that encoded differently (lower-case hex, '~' as %7E)
 * still lands on the one canonical spelling, as AWS computes it.
 */
export function canonicalizeEncoded(s: string): string {
  if (UNRESERVED_ONLY.test(s)) return s;
  return encodeBytes(percentDecodeBytes(s));
}

/** Decodes a query component to text ('+' stays '+': SigV4 clients encode a space as %20). */
export function percentDecode(s: string): string {
  if (!s.includes('%')) return s;
  return percentDecodeBytes(s).toString('utf8');
}
