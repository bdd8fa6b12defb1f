/** Node's `req.headers` (or better `req.headersDistinct`, which keeps repeated headers apart). */
export type IncomingHeaders = Record<string, string | string[] | undefined>;

const WHITESPACE_RUN = /[ \t]+/g;

/** Trims a header value and collapses runs of spaces and tabs into one space. */
export function canonicalHeaderValue(value: string): string {
  return value.replace(WHITESPACE_RUN, ' ').trim();
}

/** The value of one header as signed: a repeated header's values trimmed and joined by ','. */
export function signedHeaderValue(headers: IncomingHeaders, name: string): string {
  const v = headers[name];
  if (v === undefined) return '';
  if (typeof v === 'string') return canonicalHeaderValue(v);
  return v.map(canonicalHeaderValue).join(',');
}

/** The canonical headers block: `name:value\n` for each signed header, in the order signed. */
export function canonicalHeaders(headers: IncomingHeaders, signedHeaders: readonly string[]): string {
  let out = '';
  for (const name of signedHeaders) out += name + ':' + signedHeaderValue(headers, name) + '\n';
  return out;
}

/** The first value of a header, untrimmed, or undefined when absent. */
export function headerValue(headers: IncomingHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
