import { SIGNATURE_PARAM } from './constants.js';
import type { RawQueryParam } from './query-params.js';
import { canonicalizeEncoded, percentDecode } from './uri-encode.js';

type Pair = [string, string];

// Code-unit order equals byte order here: both forms are pure ASCII.
const byKeyThenValue = (a: Pair, b: Pair): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

function join(pairs: Pair[]): string {
  let out = '';
  for (const [k, v] of pairs.sort(byKeyThenValue)) out += (out === '' ? '' : '&') + k + '=' + v;
  return out;
}

function signedParams(params: readonly RawQueryParam[], presigned: boolean): readonly RawQueryParam[] {
  return presigned ? params.filter((p) => percentDecode(p.rawKey) !== SIGNATURE_PARAM) : params;
}

/**
 * The canonical query string as AWS computes it: every name and value URI-encoded in canonical
 * form, sorted by encoded name and then by encoded value (repeated names keep all their values),
 * `name=` for an empty value. A presigned request leaves out its own X-Amz-Signature.
 */
export function canonicalQuery(params: readonly RawQueryParam[], presigned: boolean): string {
  if (params.length === 0) return '';
  return join(
    signedParams(params, presigned).map((p): Pair => [
      canonicalizeEncoded(p.rawKey),
      canonicalizeEncoded(p.rawValue),
    ]),
  );
}

/**
 * The query as botocore signs a URL it was handed: the pairs exactly as sent, only sorted. It
 * equals canonicalQuery whenever the client encoded canonically (SDKs always do); it differs
 * only for hand-made URLs such as `?c=%7E`, which botocore then signs without re-encoding.
 */
export function sentQuery(params: readonly RawQueryParam[], presigned: boolean): string {
  if (params.length === 0) return '';
  return join(signedParams(params, presigned).map((p): Pair => [p.rawKey, p.rawValue]));
}
