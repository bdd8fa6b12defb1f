import { describe, expect, it } from 'vitest';
import { compileClause, UnknownOperatorError } from './index.js';
import type { ConditionClause, BaseConditionOperator } from '../types.js';
import type { RequestContext } from '../request.js';
import { splitConditionOperator } from '../parse.js';

function clause(operator: string, key: string, values: string[]): ConditionClause {
  const s = splitConditionOperator(operator);
  if (!s) throw new Error(`bad operator ${operator}`);
  const c: ConditionClause = {
    operator,
    base: s.base as BaseConditionOperator,
    ifExists: s.ifExists,
    key,
    values,
  };
  if (s.qualifier) c.qualifier = s.qualifier;
  return c;
}

function t(
  operator: string,
  values: string | string[],
  ctx: RequestContext,
  key = 'k',
  variables = true,
): boolean {
  return compileClause(clause(operator, key, Array.isArray(values) ? values : [values]), variables).test(ctx);
}

describe('string operators', () => {
  it('StringEquals is case-sensitive; several values OR', () => {
    expect(t('StringEquals', 'a', { k: 'a' })).toBe(true);
    expect(t('StringEquals', 'a', { k: 'A' })).toBe(false);
    expect(t('StringEquals', ['x', 'a'], { k: 'a' })).toBe(true);
    expect(t('StringEquals', ['x', 'y', 'z', 'w', 'v', 'a'], { k: 'a' })).toBe(true);
    expect(t('StringEquals', ['x', 'y', 'z', 'w', 'v', 'u'], { k: 'a' })).toBe(false);
  });
  it('StringNotEquals: must differ from all values; absent key matches', () => {
    expect(t('StringNotEquals', ['a', 'b'], { k: 'c' })).toBe(true);
    expect(t('StringNotEquals', ['a', 'b'], { k: 'b' })).toBe(false);
    expect(t('StringNotEquals', 'a', {})).toBe(true);
  });
  it('IgnoreCase variants fold case', () => {
    expect(t('StringEqualsIgnoreCase', 'Straße', { k: 'STRASSE' })).toBe(true);
    expect(t('StringNotEqualsIgnoreCase', 'abc', { k: 'ABC' })).toBe(false);
    expect(t('StringNotEqualsIgnoreCase', 'abc', { k: 'abd' })).toBe(true);
  });
  it('StringLike / StringNotLike', () => {
    expect(t('StringLike', '*@example.com', { k: 'a@example.com' })).toBe(true);
    expect(t('StringLike', '*@example.com', { k: 'a@example.org' })).toBe(false);
    expect(t('StringNotLike', '*@example.com', { k: 'a@example.org' })).toBe(true);
    expect(t('StringNotLike', '*@example.com', {})).toBe(true);
  });
});

describe('numeric operators (request OP policy)', () => {
  it('compares as numbers, rejecting non-numeric text', () => {
    expect(t('NumericEquals', '10', { k: '10.0' })).toBe(true);
    expect(t('NumericLessThan', '10', { k: '9' })).toBe(true);
    expect(t('NumericLessThan', '10', { k: '10' })).toBe(false);
    expect(t('NumericLessThanEquals', '10', { k: '10' })).toBe(true);
    expect(t('NumericGreaterThan', '10', { k: '11' })).toBe(true);
    expect(t('NumericGreaterThan', '10', { k: '9' })).toBe(false);
    expect(t('NumericGreaterThanEquals', '10', { k: '10' })).toBe(true);
    expect(t('NumericNotEquals', '10', { k: '11' })).toBe(true);
    expect(t('NumericNotEquals', '10', { k: '10' })).toBe(false);
    expect(t('NumericEquals', '10', { k: '10abc' })).toBe(false);
    expect(t('NumericLessThan', '10', { k: 'abc' })).toBe(false);
    expect(t('NumericEquals', '-1.5', { k: '-1.50' })).toBe(true);
  });
  it('does not substitute variables', () => {
    expect(t('NumericEquals', '${aws:x}', { k: '1', 'aws:x': '1' })).toBe(false);
  });
});

describe('date operators', () => {
  const now = { k: '2026-03-01T10:00:00Z' };
  it('compare instants across forms', () => {
    expect(t('DateGreaterThan', '2018-08-31T12:00Z', now)).toBe(true);
    expect(t('DateLessThan', '2018-08-31T12:00Z', now)).toBe(false);
    expect(t('DateLessThan', '1900000000', now)).toBe(true);
    expect(t('DateEquals', '2026-03-01T12:00:00+02:00', now)).toBe(true);
    expect(t('DateNotEquals', '2026-03-01T12:00:00+02:00', now)).toBe(false);
    expect(t('DateLessThanEquals', '2026-03-01T10:00:00Z', now)).toBe(true);
    expect(t('DateGreaterThanEquals', '2026-03-01T10:00:01Z', now)).toBe(false);
  });
  it('an unparsable request date never matches', () => {
    expect(t('DateLessThan', '2030', { k: 'not a date' })).toBe(false);
  });
  it('epoch seconds on the request side too (aws:EpochTime)', () => {
    expect(t('DateGreaterThan', '2026-01-01', { k: String(Date.parse('2026-02-01T00:00:00Z') / 1000) })).toBe(
      true,
    );
  });
});

describe('Bool, BinaryEquals, IP, ARN, Null', () => {
  it('Bool is case-insensitive', () => {
    expect(t('Bool', 'true', { k: 'TRUE' })).toBe(true);
    expect(t('Bool', 'true', { k: 'false' })).toBe(false);
    expect(t('Bool', 'false', { k: 'yes' })).toBe(false);
    expect(t('Bool', '${aws:flag}', { k: 'true', 'aws:flag': 'True' })).toBe(true);
  });
  it('BinaryEquals compares decoded bytes', () => {
    expect(t('BinaryEquals', 'QmluYXJ5', { k: 'QmluYXJ5' })).toBe(true);
    expect(t('BinaryEquals', 'QmluYXJ5', { k: 'QmluYXJ6' })).toBe(false);
    expect(t('BinaryEquals', 'QmluYXJ5', { k: 'not base64!' })).toBe(false);
  });
  it('IpAddress / NotIpAddress, absent key', () => {
    expect(t('IpAddress', ['10.0.0.0/8', '2001:db8::/32'], { k: '2001:db8::5' })).toBe(true);
    expect(t('IpAddress', '10.0.0.0/8', { k: '11.0.0.1' })).toBe(false);
    expect(t('NotIpAddress', '10.0.0.0/8', { k: '11.0.0.1' })).toBe(true);
    expect(t('IpAddress', '10.0.0.0/8', {})).toBe(false);
    expect(t('NotIpAddress', '10.0.0.0/8', {})).toBe(true);
    expect(t('IpAddress', '10.0.0.0/8', { k: 'garbage' })).toBe(false);
  });
  it('ArnEquals behaves like ArnLike; negations', () => {
    expect(t('ArnEquals', 'arn:aws:sns:*:1:t', { k: 'arn:aws:sns:us-east-1:1:t' })).toBe(true);
    expect(t('ArnLike', 'arn:aws:sns:*:1:t', { k: 'arn:aws:sns:us-east-1:2:t' })).toBe(false);
    expect(t('ArnNotLike', 'arn:aws:sns:*:1:t', { k: 'arn:aws:sns:us-east-1:2:t' })).toBe(true);
    expect(t('ArnNotEquals', 'arn:aws:sns:*:1:t', { k: 'arn:aws:sns:us-east-1:1:t' })).toBe(false);
    expect(
      t('ArnLike', 'arn:aws:iam::1:user/${aws:username}', {
        k: 'arn:aws:iam::1:user/bob',
        'aws:username': 'bob',
      }),
    ).toBe(true);
  });
  it('Null', () => {
    expect(t('Null', 'true', {})).toBe(true);
    expect(t('Null', 'false', {})).toBe(false);
    expect(t('Null', 'true', { k: 'v' })).toBe(false);
    expect(t('Null', 'false', { k: 'v' })).toBe(true);
    expect(t('Null', 'true', { k: [] })).toBe(true);
  });
});

describe('qualifiers, IfExists, multivalued keys', () => {
  it('ForAllValues: every value; vacuous on absent/empty', () => {
    expect(t('ForAllValues:StringLike', '*@x.com', { k: ['a@x.com', 'b@x.com'] })).toBe(true);
    expect(t('ForAllValues:StringLike', '*@x.com', { k: ['a@x.com', 'b@y.com'] })).toBe(false);
    expect(t('ForAllValues:StringLike', '*@x.com', {})).toBe(true);
    expect(t('ForAllValues:StringLike', '*@x.com', { k: [] })).toBe(true);
    expect(t('ForAllValues:StringEquals', 'a', { k: 'a' })).toBe(true); // single value wrapped
  });
  it('ForAnyValue: some value; false on absent/empty; IfExists makes absent true', () => {
    expect(t('ForAnyValue:StringEquals', 'a', { k: ['b', 'a'] })).toBe(true);
    expect(t('ForAnyValue:StringEquals', 'a', { k: ['b'] })).toBe(false);
    expect(t('ForAnyValue:StringEquals', 'a', {})).toBe(false);
    expect(t('ForAnyValue:StringEquals', 'a', { k: [] })).toBe(false);
    expect(t('ForAnyValue:StringEqualsIfExists', 'a', {})).toBe(true);
  });
  it('negated bases under qualifiers', () => {
    expect(t('ForAllValues:StringNotEquals', ['a', 'b'], { k: ['c', 'd'] })).toBe(true);
    expect(t('ForAllValues:StringNotEquals', ['a', 'b'], { k: ['c', 'a'] })).toBe(false);
    expect(t('ForAnyValue:StringNotEquals', ['a', 'b'], { k: ['a', 'c'] })).toBe(true);
    expect(t('ForAnyValue:StringNotEquals', ['a', 'b'], { k: ['a', 'b'] })).toBe(false);
    expect(t('ForAnyValue:StringNotEquals', ['a'], {})).toBe(false);
  });
  it('a multivalued key without qualifier matches nothing, positive or negated', () => {
    expect(t('StringEquals', 'a', { k: ['a'] })).toBe(false);
    expect(t('StringNotEquals', 'a', { k: ['b'] })).toBe(false);
    expect(t('StringEqualsIfExists', 'a', { k: ['a'] })).toBe(false);
  });
  it('IfExists: absent is true, present evaluates normally', () => {
    expect(t('StringEqualsIfExists', 'a', {})).toBe(true);
    expect(t('StringEqualsIfExists', 'a', { k: 'b' })).toBe(false);
    expect(t('NumericLessThanIfExists', '5', { k: '9' })).toBe(false);
  });
  it('unknown operators throw (deny on doubt), never evaluate as true', () => {
    const c: ConditionClause = {
      operator: 'StringSorta',
      base: 'StringSorta' as BaseConditionOperator,
      ifExists: false,
      key: 'k',
      values: ['a'],
    };
    expect(() => compileClause(c, true)).toThrow(UnknownOperatorError);
  });
});
