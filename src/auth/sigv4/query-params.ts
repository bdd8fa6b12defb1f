import { percentDecode } from './uri-encode.js';

/** One `key=value` pair of a query string, exactly as it came over the wire (still encoded). */
export interface RawQueryParam {
  rawKey: string;
  rawValue: string;
}

/** Splits a raw query string (no leading '?') into its pairs; `a` alone is `a=`. */
export function splitQuery(rawQuery: string): RawQueryParam[] {
  if (rawQuery === '') return [];
  const params: RawQueryParam[] = [];
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    params.push(
      eq < 0
        ? { rawKey: piece, rawValue: '' }
        : { rawKey: piece.slice(0, eq), rawValue: piece.slice(eq + 1) },
    );
  }
  return params;
}

/** The decoded value of the first parameter named `name` (case-sensitive, as AWS reads X-Amz-*). */
export function queryValue(params: readonly RawQueryParam[], name: string): string | undefined {
  for (const p of params) {
    if (p.rawKey === name || percentDecode(p.rawKey) === name) return percentDecode(p.rawValue);
  }
  return undefined;
}
