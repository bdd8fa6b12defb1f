// Marker/MaxItems paging as IAM does it: IsTruncated plus an opaque Marker when more remain.
import { invalidInput } from './errors.js';

export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

/** Pages a fully sorted list; the marker is the position of the next item, opaque to clients. */
export function page<T>(all: T[], marker: string | undefined, maxItems: number): Page<T> {
  let start = 0;
  if (marker !== undefined) {
    const decoded = Buffer.from(marker, 'base64url').toString('utf8');
    const m = /^p:(\d+)$/.exec(decoded);
    if (!m) throw invalidInput('Invalid Marker.');
    start = Number(m[1]);
  }
  const items = all.slice(start, start + maxItems);
  const next = start + items.length;
  if (next < all.length)
    return { items, IsTruncated: true, Marker: Buffer.from(`p:${next}`).toString('base64url') };
  return { items, IsTruncated: false };
}

/** Case-insensitive name order, then exact, as IAM lists entities. */
export const byName = <T extends { name: string }>(a: T, b: T): number => {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
};
