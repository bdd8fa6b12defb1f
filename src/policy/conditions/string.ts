// String operators (docs/spec/iam.md §3.3): equality (case-sensitive or case-folded) and StringLike globs.
// Policy values may hold variables under 2012-10-17; an unresolvable value matches nothing, so
// the negated operators match (§3.7 rule 3).

import { compileGlob, globMatch } from '../glob.js';
import { parseTemplate, resolveTemplate, resolveTemplateText, type Template } from '../variables.js';
import type { AnyValueTest, OperatorImpl } from './types.js';

/** Case folding used by the *IgnoreCase operators: upper then lower folds `ß`/`SS` alike. */
export function foldCase(s: string): string {
  return s.toUpperCase().toLowerCase();
}

function split(values: readonly string[], variables: boolean): { plain: string[]; templates: Template[] } {
  const plain: string[] = [];
  const templates: Template[] = [];
  for (const v of values) {
    const t = variables ? parseTemplate(v) : null;
    if (t) templates.push(t);
    else plain.push(v);
  }
  return { plain, templates };
}

function equalsTest(values: readonly string[], variables: boolean, fold: boolean): AnyValueTest {
  const { plain, templates } = split(values, variables);
  const norm = fold ? plain.map(foldCase) : plain;
  const set = norm.length > 4 ? new Set(norm) : null;
  const staticTest = set
    ? (r: string) => set.has(r)
    : norm.length === 1
      ? (
          (only: string) => (r: string) =>
            r === only
        )(norm[0]!)
      : (r: string) => norm.includes(r);
  if (templates.length === 0) {
    return fold ? (r) => staticTest(foldCase(r)) : (r) => staticTest(r);
  }
  return (r, ctx) => {
    const rr = fold ? foldCase(r) : r;
    if (staticTest(rr)) return true;
    for (const t of templates) {
      const text = resolveTemplateText(t, ctx);
      if (text !== null && (fold ? foldCase(text) : text) === rr) return true;
    }
    return false;
  };
}

function likeTest(values: readonly string[], variables: boolean): AnyValueTest {
  const { plain, templates } = split(values, variables);
  const matchers = plain.map((p) => compileGlob(p));
  return (r, ctx) => {
    for (const m of matchers) if (m(r)) return true;
    for (const t of templates) {
      const res = resolveTemplate(t, ctx);
      if (res !== null && globMatch(res.text, res.mask, r)) return true;
    }
    return false;
  };
}

const eq: OperatorImpl['compile'] = (v, vars) => equalsTest(v, vars, false);
const eqi: OperatorImpl['compile'] = (v, vars) => equalsTest(v, vars, true);

export const STRING_OPERATORS: Record<string, OperatorImpl> = {
  StringEquals: { negated: false, compile: eq },
  StringNotEquals: { negated: true, compile: eq },
  StringEqualsIgnoreCase: { negated: false, compile: eqi },
  StringNotEqualsIgnoreCase: { negated: true, compile: eqi },
  StringLike: { negated: false, compile: likeTest },
  StringNotLike: { negated: true, compile: likeTest },
};
