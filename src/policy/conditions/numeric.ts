// Numeric operators (docs/spec/iam.md §3.3): "request value OP policy value". Strict lexical form: a
// non-numeric string never compares (no parseInt prefix reading). Variables are not allowed here.

import type { AnyValueTest, OperatorImpl } from './types.js';

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

export function parseNumeric(s: string): number | null {
  return NUMBER.test(s) ? Number(s) : null;
}

type Cmp = (r: number, p: number) => boolean;

function numericTest(cmp: Cmp): OperatorImpl['compile'] {
  return (values): AnyValueTest => {
    const nums = values.map(parseNumeric).filter((n): n is number => n !== null);
    return (r) => {
      const n = parseNumeric(r);
      if (n === null) return false;
      for (const p of nums) if (cmp(n, p)) return true;
      return false;
    };
  };
}

const eq = numericTest((r, p) => r === p);

export const NUMERIC_OPERATORS: Record<string, OperatorImpl> = {
  NumericEquals: { negated: false, compile: eq },
  NumericNotEquals: { negated: true, compile: eq },
  NumericLessThan: { negated: false, compile: numericTest((r, p) => r < p) },
  NumericLessThanEquals: { negated: false, compile: numericTest((r, p) => r <= p) },
  NumericGreaterThan: { negated: false, compile: numericTest((r, p) => r > p) },
  NumericGreaterThanEquals: { negated: false, compile: numericTest((r, p) => r >= p) },
};
