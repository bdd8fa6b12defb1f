import { describe, expect, it } from 'vitest';
import { percentile, round } from './load-spec.js';

describe('percentile (nearest rank)', () => {
  const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  it('takes the nearest rank', () => {
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 90)).toBe(9);
    expect(percentile(xs, 99)).toBe(10);
    expect(percentile(xs, 100)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
  });
  it('is NaN for no samples', () => {
    expect(percentile([], 50)).toBeNaN();
  });
  it('p99 of 200 samples is the 198th', () => {
    const many = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(percentile(many, 99)).toBe(198);
  });
});

describe('round', () => {
  it('rounds to the given digits', () => {
    expect(round(1.23456, 2)).toBe(1.23);
    expect(round(1.235, 1)).toBe(1.2);
    expect(round(2.5, 0)).toBe(3);
  });
});
