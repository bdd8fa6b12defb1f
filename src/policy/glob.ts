// IAM wildcard matching (docs/spec/iam.md §2.1): `*` any run (possibly empty), `?` exactly one UTF-16 unit,
// every other character literal; no RegExp is ever built from policy text.
//
// A pattern is HEAD*S1*S2*…*TAIL. HEAD must match at the start, TAIL at the end, and each middle
// segment at its leftmost place after the previous one (greedy leftmost is optimal: the earliest
// end leaves the most room). A segment without `?` is found with indexOf, so a match without `?`
// inside segments is linear: the searches move forward only, |pattern| + |value| steps in all. A
// segment with `?` is found through its longest literal run and verified around it; an adversarial
// pattern can make that quadratic, which the cost budget below turns into a denial (deny on doubt).

export const LITERAL = 0;
export const STAR = 1;
export const ONE = 2;

/**
 * A wildcard mask says, per pattern character, whether it is a literal or a wildcard. Patterns
 * that went through variable substitution carry one (a substituted `*` is literal, §3.7);
 * plain patterns have none and `*`/`?` are wildcards.
 */
export type WildMask = Uint8Array | null;

/** Thrown inside a decision whose matching went past its budget; authorize() denies on it. */
export class MatchBudgetExceeded extends Error {}

/**
 * The matching budget of the decision in progress, counting down the characters matching may
 * still examine (policy evaluation is synchronous: one slot is enough). Infinity outside a
 * decision (lint, tools): no limit.
 */
let budgetLeft = Infinity;

/** Opens a decision's budget of `units`; returns what leaveMatchBudget must restore. */
export function enterMatchBudget(units: number): number {
  const outer = budgetLeft;
  budgetLeft = units;
  return outer;
}

export function leaveMatchBudget(outer: number): void {
  budgetLeft = outer;
}

/** Runs `decide` with `units` of matching work allowed; past it, MatchBudgetExceeded is thrown. */
export function withMatchBudget<T>(units: number, decide: () => T): T {
  const outer = enterMatchBudget(units);
  try {
    return decide();
  } finally {
    leaveMatchBudget(outer);
  }
}

/** Charges work to the decision in progress (condition loops charge their value × pattern pairs). */
export function chargeMatchWork(units: number): void {
  if ((budgetLeft -= units) < 0)
    throw new MatchBudgetExceeded('policy evaluation exceeded its matching budget');
}

/**
 * One match may examine at most PER_MATCH_FACTOR·(|pattern| + |value|) + PER_MATCH_SLACK characters.
 * The linear cases never need more than |pattern| + |value|; only repeated verification of `?`
 * segments (adversarial patterns such as `*a…a?a…a?zz*` against `aaaa…`) can.
 */
const PER_MATCH_FACTOR = 8;
const PER_MATCH_SLACK = 64;

/** Characters examined by the match in progress. */
let work = 0;

function wildAt(pat: string, mask: WildMask, i: number): number {
  if (mask !== null) return mask[i] ?? LITERAL;
  const c = pat.charCodeAt(i);
  return c === 42 ? STAR : c === 63 ? ONE : LITERAL;
}

/** pat[a,b) (no stars) against val at s, `?` matching any unit; the caller checks the room. */
function matchFixed(pat: string, mask: WildMask, a: number, b: number, val: string, s: number): boolean {
  for (let i = a; i < b; i++) {
    work++;
    if (wildAt(pat, mask, i) === ONE) continue;
    if (pat.charCodeAt(i) !== val.charCodeAt(s + i - a)) return false;
  }
  return true;
}

function nextStar(pat: string, mask: WildMask, from: number, end: number): number {
  for (let i = from; i < end; i++) if (wildAt(pat, mask, i) === STAR) return i;
  return -1;
}

/**
 * Leftmost s' in [from, limit - len] where the segment pat[a,b) matches; -1 if none. Found through
 * the segment's longest literal run with indexOf, then verified around it.
 */
function findSegment(
  pat: string,
  mask: WildMask,
  a: number,
  b: number,
  val: string,
  from: number,
  limit: number,
): number {
  const len = b - a;
  if (limit - from < len) return -1;
  let runStart = a;
  let bestStart = a;
  let bestLen = 0;
  for (let i = a; i <= b; i++) {
    if (i === b || wildAt(pat, mask, i) === ONE) {
      if (i - runStart > bestLen) {
        bestStart = runStart;
        bestLen = i - runStart;
      }
      runStart = i + 1;
    }
  }
  work += len;
  if (bestLen === 0) return from; // only `?`: any `len` units
  const anchor = pat.slice(bestStart, bestStart + bestLen);
  const offset = bestStart - a;
  for (let at = from + offset; ;) {
    const hit = val.indexOf(anchor, at);
    const start = hit - offset;
    if (hit < 0 || start + len > limit) {
      work += limit - at;
      return -1;
    }
    work += hit - at + bestLen;
    if (bestLen === len || matchFixed(pat, mask, a, b, val, start)) return start;
    at = hit + 1;
  }
}

/** Match pat[pStart,pEnd) against val[vStart,vEnd), anchored at both ends. */
export function globMatchRange(
  pat: string,
  pStart: number,
  pEnd: number,
  mask: WildMask,
  val: string,
  vStart: number,
  vEnd: number,
): boolean {
  work = 0;
  const matched = matchRange(pat, pStart, pEnd, mask, val, vStart, vEnd);
  // Short matches are within any allowance; they are counted as pairs by the condition loops.
  if (work > PER_MATCH_SLACK && budgetLeft !== Infinity) {
    if (work > PER_MATCH_FACTOR * (pEnd - pStart + vEnd - vStart) + PER_MATCH_SLACK)
      throw new MatchBudgetExceeded('a wildcard match exceeded its linear budget');
    chargeMatchWork(work);
  }
  return matched;
}

function matchRange(
  pat: string,
  pStart: number,
  pEnd: number,
  mask: WildMask,
  val: string,
  vStart: number,
  vEnd: number,
): boolean {
  // HEAD at the start, compared while looking for the first star (one pass for star-free ranges).
  let first = pStart;
  let s = vStart;
  for (; first < pEnd; first++, s++) {
    const w = wildAt(pat, mask, first);
    if (w === STAR) break;
    work++;
    if (s >= vEnd || (w !== ONE && pat.charCodeAt(first) !== val.charCodeAt(s))) return false;
  }
  if (first === pEnd) return s === vEnd;
  // TAIL (after the last star) at the end.
  let last = pEnd - 1;
  while (wildAt(pat, mask, last) !== STAR) last--;
  work += pEnd - last;
  const tailLen = pEnd - last - 1;
  const limit = vEnd - tailLen;
  if (limit < s || !matchFixed(pat, mask, last + 1, pEnd, val, limit)) return false;
  // Middle segments, each at its leftmost place.
  for (let p = first + 1; p < last;) {
    const next = nextStar(pat, mask, p, last + 1);
    work += next - p;
    if (next > p) {
      const at = findSegment(pat, mask, p, next, val, s, limit);
      if (at < 0) return false;
      s = at + (next - p);
    }
    p = next + 1;
  }
  return true;
}

export function globMatch(pat: string, mask: WildMask, val: string): boolean {
  return globMatchRange(pat, 0, pat.length, mask, val, 0, val.length);
}

export function hasWildcard(pat: string, mask: WildMask = null): boolean {
  for (let i = 0; i < pat.length; i++) if (wildAt(pat, mask, i) !== LITERAL) return true;
  return false;
}

/** Mask of a plain pattern, for concatenation with substituted (literal) text. */
export function maskOf(pat: string): Uint8Array {
  const m = new Uint8Array(pat.length);
  for (let i = 0; i < pat.length; i++) m[i] = wildAt(pat, null, i);
  return m;
}

export type StringMatcher = (value: string) => boolean;

/**
 * Compile a plain pattern (no mask) into a matcher, with fast paths for the common shapes:
 * exact, `*`, `prefix*`, `*suffix`, `*infix*`. Case-insensitive matchers expect a lower-cased value.
 */
export function compileGlob(pattern: string, ignoreCase = false): StringMatcher {
  const pat = ignoreCase ? pattern.toLowerCase() : pattern;
  let stars = 0;
  let ones = 0;
  for (let i = 0; i < pat.length; i++) {
    const c = pat.charCodeAt(i);
    if (c === 42) stars++;
    else if (c === 63) ones++;
  }
  if (stars === 0 && ones === 0) return (v) => v === pat;
  if (ones === 0 && stars === pat.length) return () => true;
  if (ones === 0 && stars === 1) {
    if (pat.endsWith('*')) {
      const prefix = pat.slice(0, -1);
      return (v) => v.startsWith(prefix);
    }
    if (pat.startsWith('*')) {
      const suffix = pat.slice(1);
      return (v) => v.endsWith(suffix);
    }
  }
  if (ones === 0 && stars === 2 && pat.startsWith('*') && pat.endsWith('*')) {
    const infix = pat.slice(1, -1);
    return (v) => v.includes(infix);
  }
  return (v) => globMatchRange(pat, 0, pat.length, null, v, 0, v.length);
}
