import { it, expect } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

const at = (ms: number) => new Date(1_000_000 + ms);

it('admits a multi-recipient send while budget remains, then refuses until it recovers', () => {
  const l = createRateLimiter();
  expect(l.tryTake('a', 1, 5, at(0))).toBe(true); // budget 1 -> -4
  expect(l.tryTake('a', 1, 1, at(1000))).toBe(false); // -3
  expect(l.tryTake('a', 1, 1, at(4000))).toBe(false); // 0
  expect(l.tryTake('a', 1, 1, at(5000))).toBe(true); // 1 -> 0
  expect(l.tryTake('a', 1, 1, at(5000))).toBe(false);
});

it('keeps buckets apart, honours unlimited (-1) and refuses at rate 0', () => {
  const l = createRateLimiter();
  expect(l.tryTake('a', 2, 2, at(0))).toBe(true);
  expect(l.tryTake('a', 2, 1, at(0))).toBe(false);
  expect(l.tryTake('b', 2, 1, at(0))).toBe(true);
  expect(l.tryTake('c', -1, 1000, at(0))).toBe(true);
  expect(l.tryTake('d', 0, 1, at(0))).toBe(false);
});
