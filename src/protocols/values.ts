// Scalar conversions shared by both protocols' serializers.

/** A timestamp as domain code may hand it over: Date, epoch seconds, or an ISO 8601 string. */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value * 1000);
  return new Date(String(value));
}

/** `2026-11-28T11:45:00Z`; milliseconds only when present. */
export function isoTimestamp(value: unknown): string {
  const iso = toDate(value).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** Blob bytes: Buffer or Uint8Array as is; a string is taken as UTF-8 text. */
export function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.from(String(value), 'utf8');
}

/** Doubles keep a decimal point (`200.0`) as AWS writes them; non-finite values by name. */
export function formatDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}
