// IAM wildcard matching (iam.md §2.1): `*` any run (possibly empty), `?` exactly one UTF-16 unit,
// every other character literal. Two pointers with backtracking to the last `*`: O(n·m) worst
// case, never catastrophic, and no RegExp built from untrusted text.

export const LITERAL = 0;
export const STAR = 1;
export const ONE = 2;

/**
 * A wildcard mask says, per pattern character, whether it is a literal or a wildcard. Patterns
 * that went through variable substitution carry one (a substituted `*` is literal, §3.7);
 * plain patterns have none and `*`/`?` are wildcards.
 */
export type WildMask = Uint8Array | null;

function wildAt(pat: string, mask: WildMask, i: number): number {
  if (mask !== null) return mask[i] ?? LITERAL;
  const c = pat.charCodeAt(i);
  return c === 42 ? STAR : c === 63 ? ONE : LITERAL;
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
  let p = pStart;
  let s = vStart;
  let starP = -1;
  let starS = 0;
  while (s < vEnd) {
    if (p < pEnd) {
      const w = wildAt(pat, mask, p);
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
  while (p < pEnd && wildAt(pat, mask, p) === STAR) p++;
  return p === pEnd;
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
 * exact, `*`, `prefix*`, `*suffix`. Case-insensitive matchers expect a lower-cased value.
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
  return (v) => globMatchRange(pat, 0, pat.length, null, v, 0, v.length);
}
