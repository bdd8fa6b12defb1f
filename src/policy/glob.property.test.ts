// Issue 14, finding 2 (policies): the segment matcher agrees with the two-pointer matcher it
// replaced on every small input, stays linear where it claims to, and under a decision's budget
// turns an adversarial pattern into a denial instead of seconds of CPU.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  globMatch,
  globMatchRange,
  LITERAL,
  MatchBudgetExceeded,
  ONE,
  STAR,
  withMatchBudget,
  type WildMask,
} from './glob.js';

/** The previous matcher (two pointers, backtracking to the last star), kept as the reference. */
function twoPointer(pat: string, mask: WildMask, val: string): boolean {
  const wild = (i: number) => {
    if (mask !== null) return mask[i] ?? LITERAL;
    const c = pat.charCodeAt(i);
    return c === 42 ? STAR : c === 63 ? ONE : LITERAL;
  };
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  while (s < val.length) {
    if (p < pat.length) {
      const w = wild(p);
      if (w === STAR) {
        starP = p++;
        starS = s;
        continue;
      }
      if (w === ONE || pat.charCodeAt(p) === val.charCodeAt(s)) {
        p++;
        s++;
        continue;
      }
    }
    if (starP >= 0) {
      p = starP + 1;
      s = ++starS;
      continue;
    }
    return false;
  }
  while (p < pat.length && wild(p) === STAR) p++;
  return p === pat.length;
}

const patternArb = fc.string({ unit: fc.constantFrom('a', 'b', '*', '?'), maxLength: 12 });
const valueArb = fc.string({ unit: fc.constantFrom('a', 'b', '*', '?'), maxLength: 14 });

describe('segment matcher = two-pointer matcher', () => {
  it('on every small pattern and value (plain patterns)', () => {
    fc.assert(
      fc.property(patternArb, valueArb, (p, v) => {
        expect(globMatch(p, null, v)).toBe(twoPointer(p, null, v));
      }),
      { numRuns: 20_000 },
    );
  });

  it('with a wildcard mask (substituted text is literal), and inside a decision budget', () => {
    const masked = fc
      .array(fc.record({ ch: fc.constantFrom('a', 'b', '*', '?'), literal: fc.boolean() }), { maxLength: 12 })
      .map((cs) => {
        const pat = cs.map((c) => c.ch).join('');
        const mask = new Uint8Array(cs.length);
        cs.forEach((c, i) => {
          mask[i] = c.literal ? LITERAL : c.ch === '*' ? STAR : c.ch === '?' ? ONE : LITERAL;
        });
        return { pat, mask };
      });
    fc.assert(
      fc.property(masked, valueArb, ({ pat, mask }, v) => {
        // Small inputs never reach the per-match allowance: the budget changes no answer.
        const got = withMatchBudget(1_000_000, () => globMatch(pat, mask, v));
        expect(got).toBe(twoPointer(pat, mask, v));
      }),
      { numRuns: 20_000 },
    );
  });

  it('on sub-ranges, as ARN segments are matched', () => {
    fc.assert(
      fc.property(patternArb, valueArb, fc.nat(3), fc.nat(3), (p, v, cutP, cutV) => {
        const ps = Math.min(cutP, p.length);
        const vs = Math.min(cutV, v.length);
        expect(globMatchRange(`xx${p}yy`, 2 + ps, 2 + p.length, null, `::${v}::`, 2 + vs, 2 + v.length)).toBe(
          twoPointer(p.slice(ps), null, v.slice(vs)),
        );
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('cost', () => {
  /** The finding's pattern: `*` + (63 a's and a ?) three times + `zz…` + `*`. */
  const hostile = `*${`${'a'.repeat(63)}?`.repeat(3)}${'z'.repeat(20)}*`;
  const longValue = `${'a'.repeat(300)}@example.com`;

  it('patterns without ? inside segments stay within one pass, even adversarial ones', () => {
    // Many stars, long runs of the same letter: the two-pointer matcher rescans; this one does not.
    const pat = `*${'a'.repeat(40)}*`.repeat(30) + 'b';
    const val = 'a'.repeat(20_000);
    expect(withMatchBudget(8 * (pat.length + val.length) + 64, () => globMatch(pat, null, val))).toBe(false);
  });

  it('an adversarial ? pattern exceeds its linear allowance at once: MatchBudgetExceeded inside a decision', () => {
    expect(() => withMatchBudget(10_000_000, () => globMatch(hostile, null, longValue))).toThrow(
      MatchBudgetExceeded,
    );
    // Outside a decision (lint, tools) it simply answers.
    expect(globMatch(hostile, null, longValue)).toBe(false);
  });

  it('the same shape that actually matches is found cheaply', () => {
    const value = `x${'a'.repeat(63)}1${'a'.repeat(63)}2${'a'.repeat(63)}3${'z'.repeat(20)}y`;
    expect(withMatchBudget(10_000_000, () => globMatch(hostile, null, value))).toBe(true);
  });
});
