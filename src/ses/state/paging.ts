// Opaque NextTokens for keyset paging: the last key of the previous page, base64url-encoded JSON.
// A token that does not decode is the caller's error; each API words it its own way.

export function encodeNextToken(lastKey: string): string {
  return Buffer.from(JSON.stringify({ k: lastKey }), 'utf8').toString('base64url');
}

/** The key to continue after; undefined when the token is absent; null when it is malformed. */
export function decodeNextToken(token: string | undefined | null): string | undefined | null {
  if (token === undefined || token === null || token === '') return undefined;
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && typeof (v as { k?: unknown }).k === 'string')
      return (v as { k: string }).k;
  } catch {
    /* fall through: malformed */
  }
  return null;
}

/** Clamps a requested page size into [1, max]; absent or non-positive gives the default. */
export function pageSize(requested: number | undefined | null, fallback: number, max: number): number {
  if (requested === undefined || requested === null || !Number.isFinite(requested) || requested <= 0)
    return fallback;
  return Math.min(Math.floor(requested), max);
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** Cuts `rows` (fetched with limit size+1, ordered by key) into a page and its NextToken. */
export function toPage<T>(rows: T[], size: number, keyOf: (t: T) => string): Page<T> {
  if (rows.length <= size) return { items: rows };
  const items = rows.slice(0, size);
  return { items, nextToken: encodeNextToken(keyOf(items[items.length - 1]!)) };
}
