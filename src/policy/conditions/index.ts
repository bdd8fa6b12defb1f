// One condition clause = (operator, key, values). This file applies the rules shared by every
// operator (docs/spec/iam.md §3.4–§3.6): missing keys, IfExists, ForAllValues/ForAnyValue, multivalued keys
// without a qualifier (no match), negation as "matches none".

import type { ConditionClause } from '../types.js';
import type { RequestContext } from '../request.js';
import { parseTemplate } from '../variables.js';
import { chargeMatchWork } from '../glob.js';
import { ARN_OPERATORS } from './arn.js';
import { BINARY_OPERATORS } from './binary.js';
import { BOOL_OPERATORS } from './bool.js';
import { DATE_OPERATORS } from './date.js';
import { IP_OPERATORS } from './ip.js';
import { compileNull } from './null.js';
import { NUMERIC_OPERATORS } from './numeric.js';
import { STRING_OPERATORS } from './string.js';
import type { AnyValueTest, OperatorImpl } from './types.js';

export const OPERATORS: Readonly<Record<string, OperatorImpl>> = {
  ...STRING_OPERATORS,
  ...NUMERIC_OPERATORS,
  ...DATE_OPERATORS,
  ...BOOL_OPERATORS,
  ...BINARY_OPERATORS,
  ...IP_OPERATORS,
  ...ARN_OPERATORS,
};

/** Operators whose values may hold policy variables (§3.7). */
const VARIABLE_FAMILIES = /^(String|Arn|Bool)/;

export interface CompiledClause {
  clause: ConditionClause;
  /** Lower-cased key. */
  key: string;
  /** The key and the keys of variables in the values (lower-cased), for missing-key reports. */
  keys: string[];
  test(ctx: RequestContext): boolean;
}

export class UnknownOperatorError extends Error {}

export function compileClause(clause: ConditionClause, variables: boolean): CompiledClause {
  const key = clause.key.toLowerCase();
  const keys = [key];
  if (clause.base === 'Null') {
    const t = compileNull(clause.values);
    return { clause, key, keys, test: (ctx) => t(ctx[key]) };
  }
  const impl = Object.hasOwn(OPERATORS, clause.base) ? OPERATORS[clause.base] : undefined;
  // Deny on doubt: an operator we do not know must never be skipped (§8 item 18).
  if (!impl) throw new UnknownOperatorError(`Unknown condition operator: ${clause.operator}`);
  const vars = variables && VARIABLE_FAMILIES.test(clause.base);
  if (vars) for (const v of clause.values) for (const k of parseTemplate(v)?.keys ?? []) keys.push(k);
  const any: AnyValueTest = impl.compile(clause.values, vars);
  const one: AnyValueTest = impl.negated ? (r, ctx) => !any(r, ctx) : any;
  const ifExists = clause.ifExists;
  // Every request value may be compared with every policy value: that count is charged to the
  // decision's budget up front (glob.ts), so 2,500 recipients × 10,000 patterns cannot run unbounded.
  const pairs = clause.values.length;
  let test: (ctx: RequestContext) => boolean;
  if (clause.qualifier === 'ForAllValues') {
    test = (ctx) => {
      const v = ctx[key];
      if (v === undefined) return true;
      if (typeof v === 'string') return one(v, ctx);
      chargeMatchWork(v.length * pairs);
      for (const r of v) if (!one(r, ctx)) return false;
      return true;
    };
  } else if (clause.qualifier === 'ForAnyValue') {
    test = (ctx) => {
      const v = ctx[key];
      if (v === undefined) return ifExists;
      if (typeof v === 'string') return one(v, ctx);
      chargeMatchWork(v.length * pairs);
      for (const r of v) if (one(r, ctx)) return true;
      return false;
    };
  } else {
    const absent = ifExists || impl.negated;
    test = (ctx) => {
      const v = ctx[key];
      if (v === undefined) return absent;
      // A multivalued key without a set qualifier matches nothing (§3.4).
      if (typeof v !== 'string') return false;
      return one(v, ctx);
    };
  }
  return { clause, key, keys: [...new Set(keys)], test };
}
