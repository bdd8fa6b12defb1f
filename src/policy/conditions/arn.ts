// ArnEquals/ArnLike (identical) and their negations (docs/spec/iam.md §3.3): per-segment glob over the five
// fixed ARN segments plus the remainder. A request value that is not ARN-shaped never matches.

import { arnMatch, compileArnPattern } from '../arn.js';
import { parseTemplate, resolveTemplate, type Template } from '../variables.js';
import type { OperatorImpl } from './types.js';

const compileArn: OperatorImpl['compile'] = (values, variables) => {
  const matchers: ((v: string) => boolean)[] = [];
  const templates: Template[] = [];
  for (const v of values) {
    const t = variables ? parseTemplate(v) : null;
    if (t) templates.push(t);
    else matchers.push(compileArnPattern(v, false));
  }
  return (r, ctx) => {
    for (const m of matchers) if (m(r)) return true;
    for (const t of templates) {
      const res = resolveTemplate(t, ctx);
      if (res !== null && arnMatch(res.text, res.mask, r)) return true;
    }
    return false;
  };
};

export const ARN_OPERATORS: Record<string, OperatorImpl> = {
  ArnEquals: { negated: false, compile: compileArn },
  ArnLike: { negated: false, compile: compileArn },
  ArnNotEquals: { negated: true, compile: compileArn },
  ArnNotLike: { negated: true, compile: compileArn },
};
