import { describe, expect, it } from 'vitest';
import { isNegated, outcomeWhenAbsent } from './lint-keys.js';
import { splitConditionOperator } from './parse.js';
import type { ConditionClause } from './types.js';

const clause = (operator: string, key = 'ses:FromAddress', values = ['a@example.com']): ConditionClause => {
  const split = splitConditionOperator(operator);
  if (!split) throw new Error(`bad operator ${operator}`);
  return { operator, ...split, key, values };
};

describe('outcomeWhenAbsent (the evaluator asked with an empty request)', () => {
  it('gives the value of each operator form when the key is missing', () => {
    const table: [string, boolean][] = [
      ['StringEquals', false],
      ['StringNotEquals', true],
      ['StringEqualsIfExists', true],
      ['StringNotLikeIfExists', true],
      ['NotIpAddress', true],
      ['IpAddress', false],
      ['ArnNotLike', true],
      ['Bool', false],
      ['DateLessThan', false],
      ['ForAllValues:StringEquals', true],
      ['ForAllValues:StringNotEquals', true],
      ['ForAnyValue:StringEquals', false],
      ['ForAnyValue:StringNotEquals', false],
      ['ForAnyValue:StringLikeIfExists', true],
    ];
    expect(table.map(([op]) => [op, outcomeWhenAbsent(clause(op))])).toEqual(table);
  });
  it('Null holds on a missing key exactly when it asks for "true"', () => {
    expect(outcomeWhenAbsent(clause('Null', 'aws:SourceIp', ['true']))).toBe(true);
    expect(outcomeWhenAbsent(clause('Null', 'aws:SourceIp', ['TRUE']))).toBe(true);
    expect(outcomeWhenAbsent(clause('Null', 'aws:SourceIp', ['false']))).toBe(false);
  });
  it('keys named like Object members are absent too (no throw, no prototype read)', () => {
    expect(outcomeWhenAbsent(clause('StringEquals', '__proto__'))).toBe(false);
    expect(outcomeWhenAbsent(clause('ForAllValues:StringEquals', '__proto__'))).toBe(true);
    expect(outcomeWhenAbsent(clause('ForAnyValue:StringEquals', 'constructor'))).toBe(false);
    expect(outcomeWhenAbsent(clause('StringNotEquals', 'toString'))).toBe(true);
  });
});

describe('isNegated (the evaluator’s operator table)', () => {
  it('names the negated operators and nothing else', () => {
    expect(['StringNotEquals', 'NotIpAddress', 'ArnNotLike', 'DateNotEquals'].map(isNegated)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['StringEquals', 'IpAddress', 'Null', 'Bool', 'Nope', 'toString'].map(isNegated)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
