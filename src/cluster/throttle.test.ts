import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttled } from './throttle.js';

describe('throttled', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires at once, then once per period for the calls in between, and at once again after a quiet period', () => {
    let fired = 0;
    const wake = throttled(() => fired++, 5);
    wake();
    expect(fired).toBe(1); // the first wake-up is not delayed
    wake();
    wake();
    wake();
    expect(fired).toBe(1);
    vi.advanceTimersByTime(5);
    expect(fired).toBe(2); // one trailing call covers the three
    vi.advanceTimersByTime(5);
    expect(fired).toBe(2); // nothing came meanwhile: nothing fires
    vi.advanceTimersByTime(50);
    wake();
    expect(fired).toBe(3);
    vi.advanceTimersByTime(4);
    wake();
    expect(fired).toBe(3);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(4);
  });
});
