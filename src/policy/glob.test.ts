import { describe, expect, it } from 'vitest';
import { compileGlob, globMatch, maskOf, LITERAL } from './glob.js';

describe('glob', () => {
  const cases: [string, string, boolean][] = [
    ['a*', 'a', true],
    ['a*', 'abc', true],
    ['a?', 'a', false],
    ['a?', 'ab', true],
    ['a?', 'abc', false],
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['*x*y', 'axbxcy', true],
    ['*x*y', 'axbxc', false],
    ['a.b', 'aXb', false],
    ['a.b', 'a.b', true],
    ['a+b(c)[d]$^\\', 'a+b(c)[d]$^\\', true],
    ['a**b', 'ab', true],
    ['?*?', 'a', false],
    ['?*?', 'ab', true],
    ['*suffix', 'my-suffix', true],
    ['*suffix', 'my-suffixx', false],
    ['pre*', 'prefix', true],
    ['pre*', 'xpre', false],
  ];
  for (const [p, v, want] of cases) {
    it(`${JSON.stringify(p)} vs ${JSON.stringify(v)} -> ${want}`, () => {
      expect(compileGlob(p)(v)).toBe(want);
      expect(globMatch(p, null, v)).toBe(want);
    });
  }

  it('is case-sensitive unless asked (ignoreCase expects a lower-cased value)', () => {
    expect(compileGlob('Send*')('sendemail')).toBe(false);
    expect(compileGlob('Send*', true)('sendemail')).toBe(true);
  });

  it('honours a mask: a substituted * is literal', () => {
    const mask = maskOf('a*');
    mask[1] = LITERAL;
    expect(globMatch('a*', mask, 'a*')).toBe(true);
    expect(globMatch('a*', mask, 'abc')).toBe(false);
  });

  it('runs in linear-ish time on adversarial patterns (no catastrophic backtracking)', () => {
    const pat = '*a'.repeat(30) + 'b';
    const val = 'a'.repeat(5000);
    const t0 = performance.now();
    expect(compileGlob(pat)(val)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(200);
  });
});
