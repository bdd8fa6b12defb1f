// Small helpers for the JSON text columns and 0/1 booleans of the store.

export function readJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export const bit = (b: boolean | undefined | null): number => (b ? 1 : 0);

export interface Tag {
  Key: string;
  Value: string;
}

/** v2 `Tags` lists keep only Key and Value (anything else the wire carried is dropped). */
export function normalizeTags(tags: readonly Tag[] | undefined | null): Tag[] {
  return (tags ?? []).map((t) => ({ Key: String(t.Key), Value: String(t.Value ?? '') }));
}
