import { describe, expect, it } from 'vitest';
import { idlePolling } from './notify.js';

describe('idlePolling', () => {
  it('doubles the wait while polls find nothing, up to the cap, and starts over when one finds work', () => {
    const p = idlePolling(100, 1000);
    expect([false, false, false, false, false, false].map((f) => p.after(f))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(p.after(true)).toBe(100);
    expect(p.after(false)).toBe(100);
    expect(p.after(false)).toBe(200);
  });

  it('never waits longer than the poll asked for when that is already past the cap', () => {
    const p = idlePolling(30_000, 1000);
    expect([false, false, true].map((f) => p.after(f))).toEqual([30_000, 30_000, 30_000]);
  });
});
