// Bool (docs/spec/iam.md §3.3): case-insensitive "true"/"false". Variables are substituted (the operator
// page allows them).

import { parseTemplate, resolveTemplateText, type Template } from '../variables.js';
import type { OperatorImpl } from './types.js';

export const BOOL_OPERATORS: Record<string, OperatorImpl> = {
  Bool: {
    negated: false,
    compile(values, variables) {
      const plain: string[] = [];
      const templates: Template[] = [];
      for (const v of values) {
        const t = variables ? parseTemplate(v) : null;
        if (t) templates.push(t);
        else plain.push(v.toLowerCase());
      }
      return (r, ctx) => {
        const rr = r.toLowerCase();
        if (rr !== 'true' && rr !== 'false') return false;
        if (plain.includes(rr)) return true;
        for (const t of templates) if (resolveTemplateText(t, ctx)?.toLowerCase() === rr) return true;
        return false;
      };
    },
  },
};
