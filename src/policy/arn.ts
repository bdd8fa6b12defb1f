// ARN matching segment by segment (docs/spec/iam.md §2.3): `arn:partition:service:region:account:` are five
// fixed segments where a wildcard never crosses `:`; the remainder is one glob where `*` spans
// `/` and `:`. Case-sensitive throughout (resources are case-sensitive).

import { globMatchRange, hasWildcard, type StringMatcher, type WildMask } from './glob.js';

const FIXED_SEGMENTS = 5;

function countColons(s: string): number {
  let n = 0;
  for (let i = s.indexOf(':'); i >= 0; i = s.indexOf(':', i + 1)) n++;
  return n;
}

/** True when `value` has the five fixed segments of an ARN (at least five colons). */
export function isArnShaped(value: string): boolean {
  return countColons(value) >= FIXED_SEGMENTS;
}

/** Match an ARN pattern (plain or with a wildcard mask) against a value. `*` alone matches anything. */
export function arnMatch(pat: string, mask: WildMask, val: string): boolean {
  if (pat.length === 1 && pat === '*' && (mask === null || mask[0] !== 0)) return true;
  let ps = 0;
  let vs = 0;
  for (let seg = 0; seg < FIXED_SEGMENTS; seg++) {
    const pe = pat.indexOf(':', ps);
    const ve = val.indexOf(':', vs);
    if (pe < 0 || ve < 0) return false;
    if (!globMatchRange(pat, ps, pe, mask, val, vs, ve)) return false;
    ps = pe + 1;
    vs = ve + 1;
  }
  return globMatchRange(pat, ps, pat.length, mask, val, vs, val.length);
}

/**
 * Pad a short ARN pattern (`arn:aws:sqs`) with `*` segments, as identity-type policies are read;
 * returns null when the pattern is not ARN-like at all.
 */
export function padArnPattern(pattern: string): string | null {
  if (!pattern.startsWith('arn:')) return null;
  const colons = countColons(pattern);
  return colons >= FIXED_SEGMENTS ? pattern : pattern + ':*'.repeat(FIXED_SEGMENTS - colons);
}

const NEVER: StringMatcher = () => false;
const ALWAYS: StringMatcher = () => true;

/**
 * Compile a plain ARN pattern. `padShort`: pad patterns with fewer than six segments (identity-type
 * policies); otherwise such patterns match nothing.
 */
export function compileArnPattern(pattern: string, padShort: boolean): StringMatcher {
  if (pattern === '*') return ALWAYS;
  let pat = pattern;
  if (countColons(pat) < FIXED_SEGMENTS) {
    const padded = padShort ? padArnPattern(pat) : null;
    if (padded === null) return NEVER;
    pat = padded;
  }
  if (!hasWildcard(pat)) return (v) => v === pat;
  // Fixed segments without wildcards: a prefix test plus one glob over the remainder.
  let end = -1;
  for (let i = 0; i < FIXED_SEGMENTS; i++) end = pat.indexOf(':', end + 1);
  const prefix = pat.slice(0, end + 1);
  if (!hasWildcard(prefix)) {
    const rest = pat.slice(end + 1);
    const star = rest.indexOf('*');
    if (star === rest.length - 1 && !hasWildcard(rest.slice(0, -1))) {
      const head = pat.slice(0, -1);
      return (v) => v.startsWith(head);
    }
    const plen = prefix.length;
    const restStart = end + 1;
    return (v) => v.startsWith(prefix) && globMatchRange(pat, restStart, pat.length, null, v, plen, v.length);
  }
  return (v) => arnMatch(pat, null, v);
}
