import { describe, expect, it } from 'vitest';
import { timeOrderedUuid } from './event-id.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedUuid', () => {
  it('is a version 7, RFC 9562 variant UUID carrying the time in its first 48 bits', () => {
    const id = timeOrderedUuid(Date.UTC(2026, 10, 28, 12, 0, 0, 123));
    expect(id).toMatch(V7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(Date.UTC(2026, 10, 28, 12, 0, 0, 123));
  });

  it('sorts by time across milliseconds, and ids of one millisecond differ', () => {
    const t = 1_800_000_000_000;
    const ids = [t + 2, t, t + 1, t + 1000].map(timeOrderedUuid);
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0], ids[3]]);
    const same = new Set(Array.from({ length: 5000 }, () => timeOrderedUuid(t)));
    expect(same.size).toBe(5000);
    for (const id of same) expect(id).toMatch(V7);
  });
});
