import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  checkPolicy,
  validatePolicy,
  isLegacyDateValue,
  resourceFormatError,
  actionFormatError,
  isKnownConditionOperator,
  MESSAGES,
} from './validate.js';
import { policyToJson } from './parse.js';
import type { PolicyType } from './types.js';

const S3 = 'arn:aws:s3:::example_bucket';
const IDENTITY = 'arn:aws:ses:us-east-1:888888888888:identity/example.com';
const stmt = (extra: object = {}) => ({ Effect: 'Allow', Action: 's3:ListBucket', Resource: S3, ...extra });
const doc = (statement: unknown, top: object = { Version: '2012-10-17' }) =>
  JSON.stringify({ ...top, Statement: statement });
const error = (text: string, type: PolicyType = 'identity', resourceArn?: string) => {
  const r = validatePolicy(text, type, resourceArn === undefined ? {} : { resourceArn });
  return r.ok ? 'accepted' : r.error.message;
};
const trustDoc = (extra: object = {}, top?: object) =>
  doc(
    { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', ...extra },
    top,
  );
const sesDoc = (extra: object = {}, top?: object) =>
  doc(
    {
      Sid: 'Authorize Account',
      Effect: 'Allow',
      Principal: { AWS: '123456789012' },
      Action: ['ses:SendEmail', 'ses:SendRawEmail'],
      Resource: IDENTITY,
      ...extra,
    },
    top,
  );

describe('validatePolicy: accepted documents return the model', () => {
  it('returns the normalized policy', () => {
    const r = validatePolicy(doc(stmt({ Sid: 'A1' })), 'identity');
    expect(r).toEqual({
      ok: true,
      policy: {
        version: '2012-10-17',
        statements: [
          expect.objectContaining({ sid: 'A1', effect: 'Allow', action: ['s3:ListBucket'], resource: [S3] }),
        ],
      },
    });
  });
});

describe('step 1: syntax', () => {
  it('rejects bad JSON, bad shapes and repeated keys as "Syntax errors in policy." with the path', () => {
    expect(validatePolicy('{', 'identity')).toEqual({
      ok: false,
      error: { code: 'MalformedPolicyDocument', message: MESSAGES.syntax },
    });
    expect(validatePolicy(doc(stmt({ Condition: { StringEquals: { a: {} } } })), 'identity')).toEqual({
      ok: false,
      error: {
        code: 'MalformedPolicyDocument',
        message: 'Syntax errors in policy.',
        path: 'Statement.Condition.StringEquals.a',
      },
    });
    // [INF] a repeated key is refused: keeping only the last Condition block would widen access.
    const dup =
      '{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"a":"1"},"StringEquals":{"b":"2"}}}}';
    expect(error(dup)).toBe('Syntax errors in policy.');
    expect(error(dup.replace('"StringEquals":{"b"', '"StringLike":{"b"'))).toBe('accepted');
  });

  it('rejects unknown condition operators with a body, accepts them with an empty body', () => {
    expect(error(doc(stmt({ Condition: { StringEqualz: { a: '1' } } })))).toBe('Syntax errors in policy.');
    expect(error(doc(stmt({ Condition: { NullIfExists: { a: 'true' } } })))).toBe('Syntax errors in policy.');
    expect(error(doc(stmt({ Condition: { StringEqualz: {} } })))).toBe('accepted');
    expect(error(doc(stmt({ Condition: { 'ForAnyValue:StringNotLikeIfExists': { a: '1' } } })))).toBe(
      'accepted',
    );
    expect(isKnownConditionOperator('ForAnyValue:StringNotLikeIfExists')).toBe(true);
  });

  it('comes before the version check', () => {
    expect(error(doc(stmt({ Effect: 'Perhaps' }), {}))).toBe('Syntax errors in policy.');
  });
});

describe('step 2: version', () => {
  it.each<PolicyType>(['identity', 'boundary', 'session', 'scp'])('%s policies need 2012-10-17', (type) => {
    expect(error(doc(stmt(), {}), type)).toBe(MESSAGES.version);
    expect(error(doc(stmt(), { Version: '2008-10-17' }), type)).toBe(
      'Policy document must be version 2012-10-17 or greater.',
    );
    expect(error(doc(stmt()), type)).toBe('accepted');
  });

  it('trust and SES policies may use 2008-10-17 or no Version', () => {
    for (const top of [{}, { Version: '2008-10-17' }]) {
      expect(error(trustDoc({}, top), 'trust')).toBe('accepted');
      expect(error(sesDoc({}, top), 'resource', IDENTITY)).toBe('accepted');
    }
    expect(error(sesDoc({}, { Version: '2012-10-18' }), 'resource')).toBe('Syntax errors in policy.');
  });
});

describe('step 3: legacy parsing', () => {
  it('rejects a wrong-case Effect, before SID and action checks', () => {
    expect(error(doc([stmt({ Effect: 'deny', Sid: 'a' }), { Effect: 'Allow', Sid: 'a' }]))).toBe(
      MESSAGES.legacy,
    );
    expect(error(doc([stmt({ Effect: 'Deny', Sid: 'a' }), { Effect: 'Allow', Sid: 'a' }]))).toBe(
      MESSAGES.sidUnique,
    );
  });

  it('rejects unparseable Date values of any Date operator form', () => {
    expect(
      error(doc(stmt({ Condition: { 'ForAnyValue:DateEqualsIfExists': { a: ['2020-01-01', 'soon'] } } }))),
    ).toBe('The policy failed legacy parsing');
    expect(error(doc(stmt({ Condition: { DateEquals: { a: true } } })))).toBe(
      'The policy failed legacy parsing',
    );
    expect(error(doc(stmt({ Condition: { DateEquals: { a: 1700000000 } } })))).toBe('accepted');
    expect(error(doc(stmt({ Condition: { StringEquals: { a: 'soon' } } })))).toBe('accepted');
  });

  it.each([
    '2017-07-01T00:00:00Z',
    '2016-12-13T21:20:37.593194+00:00',
    '2016-12-13t2:00:00.593194+23',
    '2016-12-13T21:20:37-05',
    '2020',
    '2020-02',
    '01T',
    '-292275054',
    '0',
    '9223372036854775807',
    ' 12 ',
    '2020-01-01T10',
    '2020-01-01T10:30',
  ])('accepts the date %j', (v) => expect(isLegacyDateValue(v)).toBe(true));

  it.each([
    'sdfdsf',
    '234-13',
    '2016-12-13t2:00:00.593194+1',
    '2016-12-13t2:00:00.1999999999+10:59',
    '9223372036854775808',
    '-292275055',
    '2020-01-32',
    '2020-01-01-01',
    '2020-01-01T24:00:00Z',
    '2020-01-01T10:60',
    '2020-01-01T10:00:60Z',
    '2020-01-01T10:00:00Zx',
    '1.5',
    '',
    'true',
  ])('rejects the date %j', (v) => expect(isLegacyDateValue(v)).toBe(false));

  it('rejects ARNs shortened with "::" or without a service field', () => {
    expect(error(doc(stmt({ Resource: 'arn:aws:s3::example_bucket' })))).toBe(MESSAGES.legacy);
    expect(error(doc(stmt({ Resource: ['*', 'arn:aws::::example_bucket'] })))).toBe(MESSAGES.legacy);
    expect(error(doc(stmt({ Resource: undefined, NotResource: 'arn:aws::fdsasf' })))).toBe(MESSAGES.legacy);
    expect(error(doc(stmt({ Resource: 'arn:aws:fdsasf' })))).toBe('accepted');
  });

  it('skips the ARN legacy check once a resource format error was seen (the format error is reported)', () => {
    const bad = stmt({ Resource: 'adf' });
    const legacy = stmt({ Resource: 'arn:aws:s3::b' });
    expect(error(doc([bad, legacy]))).toBe('Resource adf must be in ARN format or "*".');
    expect(error(doc([legacy, bad]))).toBe(MESSAGES.legacy);
  });
});

describe('step 4: statement IDs', () => {
  it('rejects characters other than letters, digits (and "_", which AWS accepts)', () => {
    expect(error(doc(stmt({ Sid: 'my-sid' })))).toBe(MESSAGES.sidFormat);
    expect(error(doc(stmt({ Sid: 'Space Space' })), 'trust')).toBe(
      'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
    );
    expect(error(doc(stmt({ Sid: 'Ok_Sid1' })))).toBe('accepted');
    expect(error(sesDoc({ Sid: 'Any string - goes' }), 'resource')).toBe('accepted');
  });

  it('requires unique non-empty SIDs', () => {
    expect(error(doc([stmt({ Sid: 'A' }), stmt({ Sid: 'A' })]))).toBe(
      'Statement IDs (SID) in a single policy must be unique.',
    );
    expect(error(doc([stmt({ Sid: 'A' }), stmt({ Sid: 'a' })]))).toBe('accepted');
    expect(error(doc([stmt({ Sid: '' }), stmt({ Sid: '' })]))).toBe('accepted');
  });
});

describe('step 5: actions required', () => {
  it.each([
    [{ Action: undefined }],
    [{ Action: [] }],
    [{ Action: [null] }],
    [{ Action: undefined, NotAction: [] }],
  ])('%j', (extra) => {
    expect(error(doc(stmt(extra)))).toBe('Policy statement must contain actions.');
  });
  it('comes before resource format errors', () => {
    expect(error(doc(stmt({ Action: [], Resource: 'adf' })))).toBe(MESSAGES.actionsRequired);
  });
});

describe('step 6: resource format', () => {
  it.each([
    ['adf', 'Resource adf must be in ARN format or "*".'],
    ['', 'Resource  must be in ARN format or "*".'],
    ['a:bsdfdsafsad', 'Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*".'],
    ['a:b:c:d:e:f:g:h', 'Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h".'],
    ['aws:s3:::example_bucket', 'Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".'],
    ['arn:aws', MESSAGES.resourceVendor],
    [
      'arn:aws:iam:us-east-1::user/a',
      'IAM resource arn:aws:iam:us-east-1::user/a cannot contain region information.',
    ],
    ['arn:aws:s3:us-east-1::b', 'Resource arn:aws:s3:us-east-1::b can not contain region information.'],
    ['arn:aws:iam::1:bucket', MESSAGES.iamPath],
  ])('%j', (r, message) => {
    expect(resourceFormatError(r)).toBe(message);
    expect(error(doc(stmt({ Resource: r })))).toBe(message);
  });

  it.each([
    '*',
    'arn:aws-cn:s3:::b',
    'arn:*:ses:*:*:identity/*',
    'arn:aws:iam::1:role/x',
    'arn:aws:iam::1:*',
    'arn:aws:s3:us-west-2:1:accesspoint/ap',
    'arn:aws:ses:us-east-1:1:identity/a@b.c',
  ])('accepts %j', (r) => {
    expect(resourceFormatError(r)).toBeUndefined();
    expect(error(doc(stmt({ Resource: r })))).toBe('accepted');
  });

  it('reports the first error in document order, before action format errors', () => {
    expect(error(doc([stmt({ Resource: ['arn:aws:s3:::ok', 'x1'] }), stmt({ Resource: 'x2' })]))).toBe(
      'Resource x1 must be in ARN format or "*".',
    );
    expect(error(doc(stmt({ Action: 'bad', Resource: 'x1' })))).toBe(
      'Resource x1 must be in ARN format or "*".',
    );
  });
});

describe('step 7: action format', () => {
  it.each([
    ['invalid', MESSAGES.actionVendor],
    ['', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    ['s3:List:Bucket', 'Actions/Condition can contain only one colon.'],
    ['a a:ListBucket', 'Vendor a a is not valid'],
    ['s3_x:Get', 'Vendor s3_x is not valid'],
  ])('%j', (a, message) => {
    expect(actionFormatError(a)).toBe(message);
    expect(error(doc(stmt({ Action: ['s3:GetObject', a] })))).toBe(message);
    expect(error(doc(stmt({ Action: undefined, NotAction: a })))).toBe(message);
  });

  it.each(['*', 's3:*', 'iam: asdf safdsf af ', 's3-s.x:Get', 'SES:sendemail'])('accepts %j', (a) => {
    expect(error(doc(stmt({ Action: a })))).toBe('accepted');
  });

  it('comes before the per-type rules', () => {
    expect(error(doc(stmt({ Action: 'invalid', Resource: undefined })))).toBe(MESSAGES.actionVendor);
  });
});

describe('step 8: identity, boundary, session and SCP rules', () => {
  it.each<PolicyType>(['identity', 'boundary', 'session', 'scp'])(
    '%s: no Principal, resources required',
    (type) => {
      expect(error(doc(stmt({ Principal: '*' })), type)).toBe(
        'Policy document should not specify a principal.',
      );
      expect(error(doc(stmt({ NotPrincipal: { AWS: '1' } })), type)).toBe(MESSAGES.noPrincipal);
      expect(error(doc(stmt({ Resource: undefined })), type)).toBe(
        'Policy statement must contain resources.',
      );
      expect(error(doc(stmt({ Resource: [] })), type)).toBe(MESSAGES.resourcesRequired);
      expect(error(doc(stmt({ Resource: undefined, NotResource: S3 })), type)).toBe('accepted');
    },
  );
});

describe('step 8: trust policies', () => {
  it('accepts Principal + STS actions without Resource', () => {
    expect(
      error(
        trustDoc({ Action: ['sts:AssumeRole', 'sts:TagSession', 'STS:assumerolewithwebidentity'] }),
        'trust',
      ),
    ).toBe('accepted');
  });
  it('requires Principal and refuses NotPrincipal', () => {
    expect(error(trustDoc({ Principal: undefined }), 'trust')).toBe('Missing required field Principal.');
    expect(error(trustDoc({ Principal: undefined, NotPrincipal: '*' }), 'trust')).toBe(
      'Has prohibited field NotPrincipal.',
    );
  });
  it('allows only STS actions, and no NotAction', () => {
    expect(error(trustDoc({ Action: ['sts:AssumeRole', 's3:GetObject'] }), 'trust')).toBe(
      MESSAGES.trustActions,
    );
    expect(error(trustDoc({ Action: undefined, NotAction: 's3:*' }), 'trust')).toBe(
      'Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity',
    );
  });
  it('prohibits Resource and NotResource', () => {
    expect(error(trustDoc({ Resource: '*' }), 'trust')).toBe('Has prohibited field Resource.');
    expect(error(trustDoc({ NotResource: '*' }), 'trust')).toBe('Has prohibited field Resource.');
  });
});

describe('step 8: SES sending-authorization (resource) policies', () => {
  it('accepts the documented policy, with Id and any Sid', () => {
    expect(
      error(sesDoc({}, { Id: 'ExampleAuthorizationPolicy', Version: '2012-10-17' }), 'resource', IDENTITY),
    ).toBe('accepted');
    expect(error(sesDoc({ Principal: '*' }), 'resource')).toBe('accepted');
  });
  it('requires a Principal and a Resource', () => {
    expect(error(sesDoc({ Principal: undefined }), 'resource', IDENTITY)).toBe(MESSAGES.missingPrincipal);
    expect(error(sesDoc({ Resource: undefined }), 'resource', IDENTITY)).toBe(MESSAGES.resourcesRequired);
  });
  it('requires the Resource to be the identity the policy is attached to', () => {
    const other = 'arn:aws:ses:us-east-1:888888888888:identity/other.com';
    expect(error(sesDoc({ Resource: [IDENTITY, other] }), 'resource', IDENTITY)).toBe(
      `Resource ${other} must be ${IDENTITY}, the resource the policy is attached to.`,
    );
    expect(error(sesDoc({ Resource: '*' }), 'resource', IDENTITY)).toBe(
      `Resource * must be ${IDENTITY}, the resource the policy is attached to.`,
    );
    expect(error(sesDoc({ Resource: undefined, NotResource: other }), 'resource', IDENTITY)).toBe(
      `Resource must be ${IDENTITY}, the resource the policy is attached to.`,
    );
    expect(error(sesDoc({ Resource: other }), 'resource')).toBe('accepted');
  });
});

describe('sizes and characters', () => {
  // A valid identity document padded to an exact size (whitespace outside strings is free).
  const sized = (n: number, pad = '') => {
    const base = doc(stmt({ Sid: '' }));
    const text = base.replace('"Sid":""', `"Sid":"${'a'.repeat(n - base.length)}"`);
    return text.replace('{', `{${pad}`);
  };

  it.each<[PolicyType, number, string]>([
    ['identity', 6144, 'Cannot exceed quota for PolicySize: 6144'],
    ['boundary', 6144, 'Cannot exceed quota for PolicySize: 6144'],
    ['session', 2048, 'Cannot exceed quota for PolicySize: 2048'],
    ['scp', 5120, 'You have exceeded the maximum policy size.'],
  ])('%s: %i characters pass, one more is LimitExceeded', (type, max, message) => {
    expect(validatePolicy(sized(max, ' '.repeat(5000)), type).ok).toBe(true);
    expect(validatePolicy(sized(max + 1), type)).toEqual({
      ok: false,
      error: { code: 'LimitExceeded', message },
    });
  });

  it('trust: 2048 (ACLSizePerRole); SES: 4096 counted with whitespace', () => {
    const trust = (n: number) => trustDoc({ Sid: 'a'.repeat(n - trustDoc({ Sid: '' }).length) });
    expect(error(trust(2048), 'trust')).toBe('accepted');
    expect(error(trust(2049), 'trust')).toBe('Cannot exceed quota for ACLSizePerRole: 2048');
    const ses = sesDoc();
    expect(error(ses.replace('{', `{${' '.repeat(4096 - ses.length)}`), 'resource')).toBe('accepted');
    expect(error(ses.replace('{', `{${' '.repeat(4097 - ses.length)}`), 'resource')).toBe(
      'Cannot exceed quota for PolicySize: 4096',
    );
  });

  it('IAM documents allow only TAB, LF, CR and U+0020–U+00FF; SES documents are not restricted', () => {
    expect(validatePolicy(doc(stmt({ Sid: 'caf\u00e9' })), 'identity')).toEqual({
      ok: false,
      error: { code: 'MalformedPolicyDocument', message: MESSAGES.sidFormat, path: 'Statement.Sid' },
    });
    const euro = doc(stmt({ Condition: { StringEquals: { 'ses:FromDisplayName': 'Caf\u00e9 \u20ac' } } }));
    expect(validatePolicy(euro, 'identity')).toEqual({
      ok: false,
      error: {
        code: 'ValidationError',
        message:
          "Value at 'policyDocument' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+",
      },
    });
    expect(error(euro.replace('\u20ac', ''), 'identity')).toBe('accepted');
    expect(
      error(sesDoc({ Condition: { StringEquals: { 'ses:FromDisplayName': '\u20ac' } } }), 'resource'),
    ).toBe('accepted');
  });
});

describe('checkPolicy: the result of validatePolicy and what was read to reach it', () => {
  it('hands back the JSON error with its position when the text is not JSON', () => {
    const c = checkPolicy('{"Version": "2012-10-17",\n "Statement": x}', 'identity');
    expect(c.result).toEqual({
      ok: false,
      error: { code: 'MalformedPolicyDocument', message: MESSAGES.syntax },
    });
    expect(c.reading?.jsonError).toEqual({
      message: 'Unexpected character "x"',
      position: { line: 2, column: 15 },
    });
  });
  it('hands back the reading of a JSON document IAM refuses, with the grammar cause and the SIDs', () => {
    const grammar = checkPolicy(doc(stmt({ Conditions: {} })), 'identity');
    expect(grammar.result).toEqual({
      ok: false,
      error: { code: 'MalformedPolicyDocument', message: MESSAGES.syntax, path: 'Statement.Conditions' },
    });
    expect(grammar.reading?.jsonError).toBeUndefined();
    expect(grammar.reading?.errors[0]?.message).toBe('Unknown statement key "Conditions"');
    const dup = checkPolicy(doc([stmt({ Sid: 'A' }), stmt({ Sid: 'A' })]), 'identity');
    expect(dup.result).toEqual({
      ok: false,
      error: { code: 'MalformedPolicyDocument', message: MESSAGES.sidUnique, path: 'Statement[1].Sid' },
    });
    expect(dup.reading?.errors).toEqual([]);
    expect(dup.reading?.policy.statements.map((s) => s.sid)).toEqual(['A', 'A']);
  });
  it('hands back the reading of an accepted document too', () => {
    const c = checkPolicy(doc(stmt()), 'identity');
    if (!c.result.ok) throw new Error(`refused: ${c.result.error.message}`);
    expect(c.reading?.policy).toBe(c.result.policy);
  });
  it('has no reading when the text is refused before it is parsed (characters, size)', () => {
    const chars = checkPolicy(`${doc(stmt())}\u0001`, 'identity');
    expect(chars.result.ok || chars.result.error.code).toBe('ValidationError');
    expect(chars).not.toHaveProperty('reading');
    const size = checkPolicy(doc(stmt({ Sid: 'x'.repeat(7000) })), 'identity');
    expect(size.result.ok || size.result.error.code).toBe('LimitExceeded');
    expect(size).not.toHaveProperty('reading');
  });
  it('validatePolicy answers with no added fields (the reading stays with checkPolicy)', () => {
    expect(Object.keys(validatePolicy('nope', 'identity')).sort()).toEqual(['error', 'ok']);
    expect(Object.keys(validatePolicy(doc(stmt()), 'identity')).sort()).toEqual(['ok', 'policy']);
  });
});

describe('properties', () => {
  const types: PolicyType[] = ['identity', 'boundary', 'session', 'scp', 'trust', 'resource'];

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ Version: '2012-10-17', Statement: v })),
        ),
        fc.constantFrom(...types),
        (text, type) => {
          const r = validatePolicy(text, type);
          expect(typeof r.ok).toBe('boolean');
        },
      ),
      { numRuns: 2000 },
    );
  });

  const word = fc.stringMatching(/^[A-Za-z0-9]{1,8}$/);
  const statement = fc.record(
    {
      Sid: word,
      Effect: fc.constantFrom('Allow', 'Deny'),
      Action: fc.oneof(
        fc.constantFrom('*', 'ses:SendEmail', 'ses:Send*'),
        fc.array(
          word.map((w) => `ses:${w}`),
          { minLength: 1, maxLength: 3 },
        ),
      ),
      Resource: fc.oneof(
        fc.constant('*'),
        fc.array(
          word.map((w) => `arn:aws:ses:us-east-1:1:identity/${w}`),
          { minLength: 1, maxLength: 3 },
        ),
      ),
      Condition: fc.dictionary(
        fc.constantFrom(
          'StringEquals',
          'ForAllValues:StringLike',
          'NumericLessThanIfExists',
          'Bool',
          'DateGreaterThan',
          'Null',
        ),
        fc.dictionary(word, fc.oneof(word, fc.boolean(), fc.nat(), fc.array(fc.nat(), { maxLength: 2 })), {
          maxKeys: 2,
        }),
        { maxKeys: 3 },
      ),
    },
    { requiredKeys: ['Effect', 'Action', 'Resource'] },
  );
  const identityDoc = fc
    .array(statement, { minLength: 1, maxLength: 4 })
    .map((s) => JSON.stringify({ Version: '2012-10-17', Statement: s }, null, 2));

  it('is idempotent: an accepted document re-serialized is accepted with the same model', () => {
    let accepted = 0;
    fc.assert(
      fc.property(identityDoc, (text) => {
        const first = validatePolicy(text, 'identity');
        if (!first.ok) return; // duplicate SIDs or undated Date values are generated too
        accepted++;
        const again = validatePolicy(JSON.stringify(policyToJson(first.policy)), 'identity');
        expect(again.ok).toBe(true);
        const strip = (p: typeof first.policy) => p.statements.map(({ range: _r, ...s }) => s);
        if (again.ok) expect(strip(again.policy)).toEqual(strip(first.policy));
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});

describe('dates written as AWS documents them', () => {
  it('accepts hours and minutes with a zone (the SES time-window example) and refuses a bad minute', async () => {
    const { validatePolicy: v, isLegacyDateValue } = await import('./validate.js');
    expect(isLegacyDateValue('2018-08-31T12:00Z')).toBe(true);
    expect(isLegacyDateValue('2018-08-31T12:00+02')).toBe(true);
    expect(isLegacyDateValue('2018-08-31T12:60Z')).toBe(false);
    expect(isLegacyDateValue('2018-08-31T12:00Q')).toBe(false);
    const doc = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['ses:SendEmail', 'ses:SendRawEmail'],
          Resource: '*',
          Condition: {
            DateGreaterThan: { 'aws:CurrentTime': '2018-08-01T12:00Z' },
            DateLessThan: { 'aws:CurrentTime': '2018-08-31T12:00Z' },
          },
        },
      ],
    });
    expect(v(doc, 'identity').ok).toBe(true);
  });
});
