import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseJson, formatJsonPath, MAX_JSON_DEPTH } from './json.js';

describe('parseJson: RFC 8259 values', () => {
  it('parses what JSON.parse parses, identically', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v, null, 1);
        const r = parseJson(text);
        expect(r.ok).toBe(true);
        if (r.ok) expect(JSON.stringify(r.value)).toBe(JSON.stringify(JSON.parse(text)));
      }),
    );
  });

  it('never throws and agrees with JSON.parse on acceptance for arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.json().map((j) => j.slice(0, -1)),
        ),
        (s) => {
          let native = true;
          try {
            JSON.parse(s);
          } catch {
            native = false;
          }
          // JSON.parse also accepts a leading BOM-less subset equal to RFC 8259, so acceptance must match.
          expect(parseJson(s).ok).toBe(native);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['{"a":1,}', 'trailing comma in object'],
    ['[1,]', 'trailing comma in array'],
    ['01', 'leading zero'],
    ['1.', 'fraction without digits'],
    ['.5', 'no integer part'],
    ['+1', 'plus sign'],
    ['"\\x"', 'bad escape'],
    ['"\\u12G4"', 'bad unicode escape'],
    ['"a\nb"', 'raw newline in string'],
    ["{'a':1}", 'single quotes'],
    ['{"a":1} x', 'trailing data'],
    ['// c\n{}', 'comment'],
    ['NaN', 'NaN'],
    ['\uFEFF{}', 'byte order mark'],
    ['', 'empty input'],
  ])('rejects %j (%s)', (text) => {
    expect(parseJson(text).ok).toBe(false);
  });

  it('accepts all whitespace kinds and escapes', () => {
    const r = parseJson(' \t\r\n{"a\\u0041\\n\\/":[true,false,null,-0.5e+3]}\r\n');
    expect(r).toMatchObject({ ok: true, value: { 'aA\n/': [true, false, null, -500] } });
  });

  it('reports where syntax errors are', () => {
    const r = parseJson('{\n  "a": 1,\n  "b": ?\n}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.position).toEqual({ line: 3, column: 8 });
  });

  it('refuses deep nesting instead of overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const r = parseJson(deep);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('JSON nested too deeply');
    expect(parseJson('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH)).ok).toBe(true);
  });

  it('keeps "__proto__" as a plain key', () => {
    const r = parseJson('{"__proto__":{"polluted":1}}');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(Object.keys(r.value as object)).toEqual(['__proto__']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });
});

describe('parseJson: duplicate keys', () => {
  it('reports each repeated key with the path of its object', () => {
    const r = parseJson(
      '{"Statement":[{"Effect":"Allow","Condition":{"StringEquals":{"a":"1"},"StringEquals":{"b":"2"}}}],"Version":"x","Version":"y"}',
    );
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(r.duplicates).toEqual([
        { path: 'Statement[0].Condition', key: 'StringEquals' },
        { path: '', key: 'Version' },
      ]);
  });

  it('reports none when keys are distinct (same key in sibling objects is fine)', () => {
    const r = parseJson('{"a":{"k":1},"b":{"k":2}}');
    expect(r.ok && r.duplicates).toEqual([]);
  });
});

describe('parseJson: statement ranges', () => {
  it('gives 1-based start/end (closing brace inclusive) of each statement in an array', () => {
    const text =
      '{\n  "Statement": [\n    {"Effect": "Allow"},\n    "x",\n    {\n      "Effect": "Deny"\n    }\n  ]\n}';
    const r = parseJson(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.statementRanges[0]).toEqual({ start: { line: 3, column: 5 }, end: { line: 3, column: 23 } });
    expect(r.statementRanges[1]).toBeUndefined();
    expect(r.statementRanges[2]).toEqual({ start: { line: 5, column: 5 }, end: { line: 7, column: 5 } });
  });

  it('gives the range of a single statement object, counting CRLF as one line break', () => {
    const r = parseJson('{"Version":"2012-10-17",\r\n"Statement":{"Effect":"Allow"}}');
    expect(r.ok && r.statementRanges).toEqual([
      { start: { line: 2, column: 13 }, end: { line: 2, column: 30 } },
    ]);
  });

  it('ignores objects named Statement below the top level', () => {
    const r = parseJson('{"x":{"Statement":{}}}');
    expect(r.ok && r.statementRanges).toEqual([]);
  });
});

describe('formatJsonPath', () => {
  it('quotes segments that are not plain names', () => {
    expect(formatJsonPath(['Statement', 0, 'Condition', 'a b'])).toBe('Statement[0].Condition["a b"]');
    expect(formatJsonPath([])).toBe('');
  });
});
