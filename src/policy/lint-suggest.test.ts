import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from './lint-suggest.js';
import { createLocator, parseJsonPath } from './lint-locate.js';
import { formatJsonPath } from './json.js';

describe('closestName', () => {
  it('finds one- and two-edit typos, swaps count once, case ignored', () => {
    const names = ['ses:FromAddress', 'ses:FromDisplayName', 'ses:Recipients'];
    expect(closestName('ses:FromAdress', names)).toBe('ses:FromAddress');
    expect(closestName('SES:RECIPEINTS', names)).toBe('ses:Recipients');
    expect(editDistance('ab', 'ba', 3)).toBe(1);
  });
  it('no suggestion for a different name', () => {
    expect(closestName('ses:Banana', ['ses:FromAddress', 'ses:Recipients'])).toBeUndefined();
    expect(closestName('ab', ['xy'])).toBeUndefined();
  });
});

describe('positions', () => {
  it('paths round-trip through formatJsonPath', () => {
    const segs = ['Statement', 2, 'Condition', 'ForAllValues:StringLike', 'aws:RequestTag/a b', 0];
    expect(parseJsonPath(formatJsonPath(segs))).toEqual(segs);
  });
  it('finds keys and array values, falling back to the deepest existing node', () => {
    const loc = createLocator('{\n  "Statement": [\n    {"Action": ["a", "b"], "Resource": "*"}\n  ]\n}');
    expect(loc.find(['Statement', 0, 'Action', 1])).toEqual({ line: 3, column: 22 });
    expect(loc.find(['Statement', 0, 'Resource', 0])).toEqual({ line: 3, column: 40 });
    expect(loc.find(['Statement', 0, 'Resource'])).toEqual({ line: 3, column: 28 });
    expect(loc.find(['Statement', 5])).toEqual({ line: 2, column: 3 });
    expect(loc.isArray(['Statement'])).toBe(true);
    expect(loc.isArray(['Statement', 0, 'Resource'])).toBe(false);
  });
});

describe('positions of single values', () => {
  it('a string standing for a one-element list points at the value', () => {
    const loc = createLocator('{"Action": "ses:X", "Resource": ["*"]}');
    expect(loc.find(['Action', 0])).toEqual({ line: 1, column: 12 });
    expect(loc.find(['Action'])).toEqual({ line: 1, column: 2 });
    expect(loc.find(['Resource', 0])).toEqual({ line: 1, column: 34 });
  });
});
