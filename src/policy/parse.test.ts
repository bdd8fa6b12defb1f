import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  parsePolicy,
  policyToJson,
  isKnownConditionOperator,
  readPolicy,
  splitConditionOperator,
} from './parse.js';
import type { Policy, Statement } from './types.js';

const ok = (input: unknown): Policy => {
  const r = parsePolicy(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.policy;
};
const errs = (input: unknown) => {
  const r = parsePolicy(input);
  return r.ok ? [] : r.errors;
};
const st = (s: object, extra: object = {}) => ({ Version: '2012-10-17', Statement: s, ...extra });

describe('parsePolicy: grammar forms', () => {
  it('reads a full SES sending-authorization policy', () => {
    const p = ok({
      Id: 'ExampleAuthorizationPolicy',
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AuthorizeAccount',
          Effect: 'Allow',
          Resource: 'arn:aws:ses:us-east-1:888888888888:identity/example.com',
          Principal: { AWS: ['123456789012'] },
          Action: ['ses:SendEmail', 'ses:SendRawEmail'],
          Condition: { StringLike: { 'ses:FromAddress': 'invoicing*@example.com' } },
        },
      ],
    });
    expect(p).toEqual({
      version: '2012-10-17',
      id: 'ExampleAuthorizationPolicy',
      statements: [
        {
          index: 0,
          sid: 'AuthorizeAccount',
          effect: 'Allow',
          resource: ['arn:aws:ses:us-east-1:888888888888:identity/example.com'],
          principal: {
            wildcard: false,
            aws: ['123456789012'],
            service: [],
            federated: [],
            canonicalUser: [],
          },
          action: ['ses:SendEmail', 'ses:SendRawEmail'],
          conditions: [
            {
              operator: 'StringLike',
              base: 'StringLike',
              ifExists: false,
              key: 'ses:FromAddress',
              values: ['invoicing*@example.com'],
            },
          ],
        },
      ],
    });
  });

  it('accepts Version 2008-10-17 and no Version (with a warning)', () => {
    expect(ok(st({ Effect: 'Allow', Action: '*' }, { Version: '2008-10-17' })).version).toBe('2008-10-17');
    const r = parsePolicy({ Statement: { Effect: 'Allow', Action: '*' } });
    expect(r.ok && r.policy.version).toBeUndefined();
    expect(r.ok && r.warnings).toEqual(['No Version: policy variables are not expanded (use "2012-10-17")']);
  });

  it('treats a single statement object as a one-element array', () => {
    expect(ok(st({ Effect: 'Deny', NotAction: 'ses:*', NotResource: '*' })).statements).toEqual([
      { index: 0, effect: 'Deny', notAction: ['ses:*'], notResource: ['*'], conditions: [] },
    ]);
  });

  it('reads every principal form; "*" and {"AWS":"*"} are the same', () => {
    const star = { wildcard: true, aws: [], service: [], federated: [], canonicalUser: [] };
    expect(ok(st({ Effect: 'Allow', Principal: '*', Action: '*' })).statements[0]?.principal).toEqual(star);
    expect(
      ok(st({ Effect: 'Allow', Principal: { AWS: '*' }, Action: '*' })).statements[0]?.principal,
    ).toEqual(star);
    expect(
      ok(
        st({
          Effect: 'Deny',
          NotPrincipal: {
            AWS: 'arn:aws:iam::1:user/a',
            Service: ['ses.amazonaws.com'],
            Federated: 'cognito-identity.amazonaws.com',
            CanonicalUser: 'abc',
          },
          Action: '*',
        }),
      ).statements[0]?.notPrincipal,
    ).toEqual({
      wildcard: false,
      aws: ['arn:aws:iam::1:user/a'],
      service: ['ses.amazonaws.com'],
      federated: ['cognito-identity.amazonaws.com'],
      canonicalUser: ['abc'],
    });
  });

  it('splits condition operators and stringifies booleans and numbers, keeping order', () => {
    const s = ok(
      st({
        Effect: 'Allow',
        Action: '*',
        Condition: {
          'ForAllValues:StringLikeIfExists': { 'ses:Recipients': ['*@a.com', '*@b.com'] },
          Bool: { 'aws:SecureTransport': true },
          NumericLessThan: { 'x:n': 10.5 },
          'ForAnyValue:Null': { k: false },
        },
      }),
    ).statements[0] as Statement;
    expect(s.conditions).toEqual([
      {
        operator: 'ForAllValues:StringLikeIfExists',
        base: 'StringLike',
        qualifier: 'ForAllValues',
        ifExists: true,
        key: 'ses:Recipients',
        values: ['*@a.com', '*@b.com'],
      },
      { operator: 'Bool', base: 'Bool', ifExists: false, key: 'aws:SecureTransport', values: ['true'] },
      { operator: 'NumericLessThan', base: 'NumericLessThan', ifExists: false, key: 'x:n', values: ['10.5'] },
      {
        operator: 'ForAnyValue:Null',
        base: 'Null',
        qualifier: 'ForAnyValue',
        ifExists: false,
        key: 'k',
        values: ['false'],
      },
    ]);
  });

  it('accepts an empty Condition, an empty operator body and an unknown operator with an empty body', () => {
    const r = parsePolicy(st({ Effect: 'Allow', Action: '*', Condition: { DateGreaterThan: {}, x: {} } }));
    expect(r.ok && r.policy.statements[0]?.conditions).toEqual([]);
    expect(r.ok && r.warnings).toEqual([
      'Statement.Condition.x: unknown operator with an empty body ignored',
    ]);
  });

  it('drops null entries of Action/Resource lists with a warning', () => {
    const r = parsePolicy(st({ Effect: 'Allow', Action: '*', Resource: ['arn:aws:kms:*:1:key/*', null] }));
    expect(r.ok && r.policy.statements[0]?.resource).toEqual(['arn:aws:kms:*:1:key/*']);
    expect(r.ok && r.warnings).toEqual(['Statement.Resource[1]: null entry ignored']);
  });

  it('reads wrong-case Effect leniently, with a warning', () => {
    const r = parsePolicy(st({ Effect: 'allow', Action: '*' }));
    expect(r.ok && r.policy.statements[0]?.effect).toBe('Allow');
    expect(r.ok && r.warnings).toEqual([
      'Statement.Effect: "allow" read as "Allow" (IAM rejects the wrong case)',
    ]);
  });

  it('records statement source ranges when given text', () => {
    const p = ok('{"Version":"2012-10-17","Statement":[\n {"Effect":"Allow","Action":"*"}\n]}');
    expect(p.statements[0]?.range).toEqual({ start: { line: 2, column: 2 }, end: { line: 2, column: 32 } });
  });
});

describe('parsePolicy: syntax errors (with paths)', () => {
  it.each<[string, unknown, string, string | undefined]>([
    ['not JSON', 'nope', 'Invalid JSON at line 1, column 1: Invalid literal', undefined],
    ['non-object document', '[]', 'The policy document must be a JSON object', undefined],
    [
      'unknown top key',
      { Statement: { Effect: 'Allow' }, statement: 1 },
      'Unknown top-level key "statement"',
      'statement',
    ],
    [
      'bad Version',
      st({ Effect: 'Allow' }, { Version: '2013-10-17' }),
      'Version must be "2012-10-17" or "2008-10-17"',
      'Version',
    ],
    ['non-string Id', st({ Effect: 'Allow' }, { Id: {} }), 'Id must be a string', 'Id'],
    ['missing Statement', { Version: '2012-10-17' }, 'Statement is required', 'Statement'],
    ['empty Statement', st([]), 'Statement must not be empty', 'Statement'],
    ['string statement', st(['afd']), 'A statement must be an object', 'Statement[0]'],
    [
      'unknown statement key',
      st({ Effect: 'Allow', Extra: 1 }),
      'Unknown statement key "Extra"',
      'Statement.Extra',
    ],
    ['missing Effect', st({ Action: '*' }), 'Effect is required', 'Statement.Effect'],
    ['bad Effect', st({ Effect: 'Maybe' }), 'Effect must be "Allow" or "Deny"', 'Statement.Effect'],
    [
      'Action + NotAction',
      st({ Effect: 'Allow', Action: '*', NotAction: '*' }),
      'Action and NotAction cannot both be present',
      'Statement',
    ],
    [
      'Principal + NotPrincipal',
      st({ Effect: 'Allow', Principal: '*', NotPrincipal: '*' }),
      'Principal and NotPrincipal cannot both be present',
      'Statement',
    ],
    [
      'object Action',
      st({ Effect: 'Allow', Action: {} }),
      'Must be a string or an array of strings',
      'Statement.Action',
    ],
    [
      'nested list',
      st({ Effect: 'Allow', Action: [[]] }),
      'Must be a string or an array of strings',
      'Statement.Action[0]',
    ],
    ['non-string Sid', st({ Effect: 'Allow', Sid: 1 }), 'Sid must be a string', 'Statement.Sid'],
    [
      'Principal word',
      st({ Effect: 'Allow', Principal: 'me' }),
      'Principal must be "*" or an object of AWS/Service/Federated/CanonicalUser',
      'Statement.Principal',
    ],
    [
      'Principal type',
      st({ Effect: 'Allow', Principal: { Group: 'g' } }),
      'Unknown principal type "Group"',
      'Statement.Principal.Group',
    ],
    [
      'Principal value',
      st({ Effect: 'Allow', Principal: { AWS: [1] } }),
      'Principal values must be a string or an array of strings',
      'Statement.Principal.AWS',
    ],
    [
      'Condition array',
      st({ Effect: 'Allow', Condition: [] }),
      'Condition must be an object of operator -> { key: value(s) }',
      'Statement.Condition',
    ],
    [
      'operator body string',
      st({ Effect: 'Allow', Condition: { DateGreaterThan: 'b' } }),
      'A condition operator must map to an object of key -> value(s)',
      'Statement.Condition.DateGreaterThan',
    ],
    [
      'object value',
      st({ Effect: 'Allow', Condition: { DateGreaterThan: { a: {} } } }),
      'Condition values must be strings, booleans, numbers or arrays of them',
      'Statement.Condition.DateGreaterThan.a',
    ],
    [
      'null value',
      st({ Effect: 'Allow', Condition: { StringEquals: { a: [null] } } }),
      'Condition values must be strings, booleans, numbers or arrays of them',
      'Statement.Condition.StringEquals.a',
    ],
    [
      'unknown operator',
      st({ Effect: 'Allow', Condition: { x: { a: '1' } } }),
      'Unknown condition operator "x"',
      'Statement.Condition.x',
    ],
    [
      'key needing quotes',
      st({ Effect: 'Allow', Condition: { 'a b': { a: '1' } } }),
      'Unknown condition operator "a b"',
      'Statement.Condition["a b"]',
    ],
    [
      'double colon',
      st({ Effect: 'Allow', Condition: { 'ForAnyValue::StringEquals': { a: '1' } } }),
      'Unknown condition operator "ForAnyValue::StringEquals"',
      'Statement.Condition.ForAnyValue::StringEquals',
    ],
    [
      'duplicate key',
      '{"Statement":{"Effect":"Allow","Condition":{"StringEquals":{"a":"1"},"StringEquals":{"b":"2"}}}}',
      'Duplicate key "StringEquals"',
      'Statement.Condition.StringEquals',
    ],
  ])('%s', (_name, input, message, path) => {
    const e = errs(input);
    expect(e[0]).toEqual(
      path === undefined
        ? { code: 'MalformedPolicyDocument', message }
        : { code: 'MalformedPolicyDocument', message, path },
    );
  });

  it('reports every syntax error, not only the first', () => {
    expect(errs(st([{ Effect: 'x' }, { Effect: 'Allow', Sid: 2 }])).map((e) => e.path)).toEqual([
      'Statement[0].Effect',
      'Statement[1].Sid',
    ]);
  });
});

describe('isKnownConditionOperator', () => {
  it.each([
    'StringEquals',
    'ForAllValues:StringLike',
    'ForAnyValue:ArnLikeIfExists',
    'NumericLessThanIfExists',
    'Null',
    'ForAllValues:Null',
    'BinaryEquals',
  ])('knows %s', (op) => {
    expect(isKnownConditionOperator(op)).toBe(true);
  });
  it.each([
    'NullIfExists',
    'stringequals',
    'ForAnyValue::StringEquals',
    'ForAllValues:',
    'StringEqualsIfExistsIfExists',
    'ForAllValues:ForAnyValue:StringEquals',
    'x',
    '',
  ])('rejects %j', (op) => {
    expect(isKnownConditionOperator(op)).toBe(false);
  });
  it('splits qualifier, base and IfExists', () => {
    expect(splitConditionOperator('ForAnyValue:DateLessThanIfExists')).toEqual({
      base: 'DateLessThan',
      qualifier: 'ForAnyValue',
      ifExists: true,
    });
  });
});

// Arbitrary policy-shaped documents: mostly valid grammar, so the round trip is exercised.
const str = fc.string({ maxLength: 12 });
const list = fc.oneof(str, fc.array(str, { maxLength: 3 }));
const principal = fc.oneof(
  fc.constant('*'),
  fc.record({ AWS: list, Service: list }, { requiredKeys: [] }),
  fc.record({ Federated: list, CanonicalUser: list }, { requiredKeys: [] }),
);
const condValue = fc.oneof(
  str,
  fc.boolean(),
  fc.integer(),
  fc.array(fc.oneof(str, fc.boolean(), fc.integer()), { maxLength: 3 }),
);
const operator = fc.constantFrom(
  'StringEquals',
  'ForAllValues:StringLike',
  'ForAnyValue:NumericLessThanIfExists',
  'Null',
  'Bool',
  'DateGreaterThan',
);
const statement = fc.record(
  {
    Sid: str,
    Effect: fc.constantFrom('Allow', 'Deny'),
    Principal: principal,
    Action: list,
    Resource: list,
    Condition: fc.dictionary(operator, fc.dictionary(str, condValue, { maxKeys: 3 }), { maxKeys: 3 }),
  },
  { requiredKeys: ['Effect'] },
);
const policyDoc = fc.record(
  {
    Version: fc.constantFrom('2012-10-17', '2008-10-17'),
    Id: str,
    Statement: fc.oneof(statement, fc.array(statement, { minLength: 1, maxLength: 4 })),
  },
  { requiredKeys: ['Statement'] },
);
const stripRanges = (p: Policy): Policy => ({
  ...p,
  statements: p.statements.map(({ range: _range, ...s }) => s),
});

describe('policyToJson', () => {
  it('keeps a condition key named "__proto__" as a key (found by the round-trip property)', () => {
    const text =
      '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"__proto__":"x"}}}]}';
    const first = parsePolicy(text);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const json = JSON.stringify(policyToJson(first.policy));
    expect(json).toContain('"__proto__":["x"]');
    const again = parsePolicy(json);
    expect(again.ok && again.policy.statements[0]?.conditions.map((c) => c.key)).toEqual(['__proto__']);
  });
});

describe('parsePolicy: properties', () => {
  it('never throws on arbitrary JSON values, strings or JSON text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.string(),
          fc.json(),
          fc.anything(),
          policyDoc,
          policyDoc.map((d) => JSON.stringify(d)),
        ),
        (input) => {
          const r = parsePolicy(input);
          expect(typeof r.ok).toBe('boolean');
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('is idempotent: parse -> serialize -> parse yields the same model', () => {
    fc.assert(
      fc.property(policyDoc, (doc) => {
        const first = parsePolicy(JSON.stringify(doc));
        expect(first.ok).toBe(true);
        if (!first.ok) return;
        const again = parsePolicy(JSON.stringify(policyToJson(first.policy)));
        expect(again.ok).toBe(true);
        if (again.ok) expect(stripRanges(again.policy)).toEqual(stripRanges(first.policy));
      }),
      { numRuns: 1000 },
    );
  });

  it('reads text and the equivalent decoded value to the same model', () => {
    fc.assert(
      fc.property(policyDoc, (doc) => {
        const a = parsePolicy(JSON.stringify(doc));
        const b = parsePolicy(doc);
        expect(a.ok && stripRanges(a.policy)).toEqual(b.ok && b.policy);
      }),
      { numRuns: 300 },
    );
  });
});

describe('readPolicy: the JSON error', () => {
  it("keeps the parser's complaint and position for text that is not JSON", () => {
    const r = readPolicy('{\n  "Version": }');
    expect(r.errors).toEqual([
      {
        code: 'MalformedPolicyDocument',
        message: 'Invalid JSON at line 2, column 14: Unexpected character "}"',
      },
    ]);
    expect(r.jsonError).toEqual({ message: 'Unexpected character "}"', position: { line: 2, column: 14 } });
  });
  it('has none for JSON that is not a policy, nor for a decoded value', () => {
    expect(readPolicy('[1]')).not.toHaveProperty('jsonError');
    expect(readPolicy([1])).not.toHaveProperty('jsonError');
  });
});
