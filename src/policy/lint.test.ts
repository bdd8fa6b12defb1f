import { describe, expect, it, vi } from 'vitest';
import type * as json from './json.js';
import { parseJson } from './json.js';
import { lintPolicy, type LintFinding } from './lint.js';
import type { PolicyType } from './types.js';

// Counts parses: the linter must not read the same text again and again on a keystroke.
vi.mock('./json.js', async (importOriginal) => {
  const m = await importOriginal<typeof json>();
  return { ...m, parseJson: vi.fn(m.parseJson) };
});

const ID = 'arn:aws:ses:us-east-1:111122223333:identity/example.com';
type Stmt = Record<string, unknown>;
const doc = (...Statement: Stmt[]): string => JSON.stringify({ Version: '2012-10-17', Statement }, null, 2);
const lint = (type: PolicyType, ...s: Stmt[]): LintFinding[] => lintPolicy(doc(...s), type);
const codes = (type: PolicyType, ...s: Stmt[]): string[] => lint(type, ...s).map((f) => f.code);
const send = (extra: Stmt = {}): Stmt => ({
  Effect: 'Allow',
  Action: 'ses:SendRawEmail',
  Resource: '*',
  ...extra,
});
const cond = (c: Record<string, Record<string, unknown>>, extra: Stmt = {}): Stmt =>
  send({ Condition: c, ...extra });

describe('lintPolicy: errors come from validation', () => {
  it('invalid JSON: IAM text, the parser detail and its position', () => {
    expect(
      lintPolicy('{"Version":"2012-10-17",\n "Statement": [\n  {"Effect" "Allow"}]}', 'identity'),
    ).toEqual([
      {
        code: 'invalid-json',
        severity: 'error',
        message: 'Syntax errors in policy.',
        detail: "Expected ':' after key",
        line: 3,
        column: 13,
      },
    ]);
  });
  it('a root that is valid JSON but not an object: the cause, at the value', () => {
    expect(lintPolicy('\n  [1]', 'identity')).toEqual([
      {
        code: 'malformed',
        severity: 'error',
        message: 'Syntax errors in policy.',
        detail: 'The policy document must be a JSON object',
        line: 2,
        column: 3,
      },
    ]);
  });
  it('parses the text once, in validation, whether the document is valid or not', () => {
    const parses = (text: string, type: PolicyType = 'identity'): number => {
      vi.mocked(parseJson).mockClear();
      lintPolicy(text, type);
      return vi.mocked(parseJson).mock.calls.length;
    };
    expect(parses('{"Version":"2012-10-17", "Statement": [')).toBe(1);
    expect(parses('[1]')).toBe(1);
    expect(parses(doc(send({ Conditions: {} })))).toBe(1);
    expect(parses(doc(send({ Sid: 'A' }), send({ Sid: 'A' })))).toBe(1);
    expect(parses(doc(send()))).toBe(1);
    expect(parses(doc(cond({ StringEquals: { 'ses:FromAddress': '*@example.com' } })))).toBe(1);
    // Refused before any parse: characters and size.
    expect(parses('{"Version":"2012-10-17"}\u0001')).toBe(0);
  });
  it('a grammar error names its cause and points at the key', () => {
    const text =
      '{\n  "Version": "2012-10-17",\n  "Statement": {"Effect": "Allow", "Action": "ses:SendEmail", "Resource": "*", "Conditions": {}}\n}';
    expect(lintPolicy(text, 'identity')).toEqual([
      {
        code: 'malformed',
        severity: 'error',
        message: 'Syntax errors in policy.',
        detail: 'Statement.Conditions: Unknown statement key "Conditions"',
        statement: 0,
        line: 3,
        column: 80,
      },
    ]);
  });
  it('IAM rules give IAM exact text with statement, Sid and position; only the first error (as IAM)', () => {
    const f = lint('identity', send({ Sid: 'Ok' }), send({ Sid: 'Pub', Principal: '*', Action: 'ses:Nope' }));
    expect(f).toEqual([
      {
        code: 'malformed',
        severity: 'error',
        message: 'Policy document should not specify a principal.',
        statement: 1,
        sid: 'Pub',
        line: 15,
        column: 7,
      },
    ]);
  });
  it('the same document is valid as a resource policy: lint runs instead', () => {
    expect(
      codes('resource', {
        Effect: 'Allow',
        Principal: { AWS: '123456789012' },
        Action: 'ses:SendEmail',
        Resource: ID,
      }),
    ).toEqual([]);
  });
  it('size and character limits', () => {
    const big = doc(cond({ StringLike: { 'ses:FromAddress': 'x'.repeat(7000) } }));
    expect(lintPolicy(big, 'identity')).toEqual([
      {
        code: 'limit-exceeded',
        severity: 'error',
        message: 'Cannot exceed quota for PolicySize: 6144',
        line: 1,
        column: 1,
      },
    ]);
    const f = lintPolicy(doc(cond({ StringEquals: { 'ses:FromDisplayName': 'Zoë ✉' } })), 'identity');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ code: 'invalid-characters', severity: 'error', line: 10, column: 39 });
    expect(f[0]?.message).toMatch(/^Value at 'policyDocument' failed to satisfy constraint/);
  });
  it('a clean SES policy has no findings', () => {
    expect(
      lint(
        'identity',
        {
          Sid: 'SendFromMarketing',
          Effect: 'Allow',
          Action: ['ses:SendEmail', 'ses:SendRawEmail'],
          Resource: '*',
          Condition: {
            StringEquals: { 'ses:FromAddress': 'marketing@example.com', 'ses:ApiVersion': '2' },
            'ForAllValues:StringLike': { 'ses:Recipients': ['*@example.com'] },
            IpAddress: { 'aws:SourceIp': '203.0.113.0/24' },
            DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' },
            Bool: { 'aws:SecureTransport': 'true' },
          },
        },
        { Effect: 'Deny', Action: 'ses:DeleteIdentity', Resource: '*' },
      ),
    ).toEqual([]);
  });
});

describe('lintPolicy: multivalued and single-valued keys', () => {
  it('single-valued operator on ses:Recipients: explains it never matches (Allow and Deny)', () => {
    const f = lint('identity', cond({ StringLike: { 'ses:Recipients': '*@example.com' } }));
    expect(f).toEqual([
      {
        code: 'single-valued-operator-on-multivalued-key',
        severity: 'warning',
        message:
          'ses:Recipients is multivalued (every To, Cc and Bcc address of the message), and StringLike without ForAllValues:/ForAnyValue: matches no request that carries it: this Allow never grants anything for those requests. Use "ForAllValues:StringLike" to require every value to match, or "ForAnyValue:StringLike" for at least one.',
        statement: 0,
        line: 10,
        column: 11,
      },
    ]);
    const deny = lint(
      'identity',
      cond({ StringNotLike: { 'ses:Recipients': '*@example.com' } }, { Effect: 'Deny' }),
    );
    expect(deny.map((x) => x.message)).toEqual([
      'ses:Recipients is multivalued (every To, Cc and Bcc address of the message), and StringNotLike without ForAllValues:/ForAnyValue: matches no request that carries it: this Deny never denies anything for those requests. Use "ForAnyValue:StringNotLike" to match when at least one value is outside the list, or "ForAllValues:StringNotLike" when none of them may be in it.',
    ]);
  });
  it('also for aws:TagKeys; not with a set qualifier, not for Null', () => {
    expect(codes('identity', cond({ StringEquals: { 'aws:TagKeys': 'team' } }))).toEqual([
      'single-valued-operator-on-multivalued-key',
    ]);
    expect(
      codes('identity', cond({ 'ForAnyValue:StringLike': { 'ses:Recipients': '*@example.com' } })),
    ).toEqual([]);
    expect(codes('identity', cond({ Null: { 'ses:Recipients': 'false' } }))).toEqual([]);
  });
  it('ForAllValues in an Allow matches requests without the key', () => {
    const f = lint(
      'identity',
      send({
        Action: 'ses:*',
        Condition: { 'ForAllValues:StringLike': { 'ses:Recipients': '*@example.com' } },
      }),
    );
    expect(f.map((x) => [x.code, x.message])).toEqual([
      [
        'for-all-values-allows-absent-key',
        'ForAllValues:StringLike is true when the request has no ses:Recipients at all (every value of an empty set matches), so this Allow also grants the requests that carry no ses:Recipients. Add "Null": {"ses:Recipients": "false"} to require the key.',
      ],
    ]);
  });
  it('ForAllValues is fine with a Null check, in a Deny, or when every action always carries the key', () => {
    const c = { 'ForAllValues:StringLike': { 'ses:Recipients': '*@example.com' } };
    expect(
      codes('identity', send({ Action: 'ses:*', Condition: { ...c, Null: { 'ses:Recipients': 'false' } } })),
    ).toEqual([]);
    expect(codes('identity', send({ Action: 'ses:*', Effect: 'Deny', Condition: c }))).toEqual([]);
    // SES sends always have recipients.
    expect(codes('identity', send({ Action: ['ses:SendEmail', 'ses:SendRawEmail'], Condition: c }))).toEqual(
      [],
    );
    expect(codes('identity', send({ Action: 'ses:Send*', Condition: c }))).toEqual([
      'for-all-values-allows-absent-key',
    ]);
  });
  it('a set qualifier on a single-valued key: warning for ForAllValues, suggestion for ForAnyValue', () => {
    expect(
      lint('identity', cond({ 'ForAllValues:StringEquals': { 'ses:FromAddress': 'a@example.com' } })),
    ).toMatchObject([
      {
        code: 'set-operator-on-single-valued-key',
        severity: 'warning',
        message:
          'ses:FromAddress has a single value, so ForAllValues: adds nothing except that the condition is also true when the request lacks ses:FromAddress. Use "StringEquals".',
      },
    ]);
    expect(
      lint('identity', cond({ 'ForAnyValue:IpAddress': { 'aws:SourceIp': '10.0.0.0/8' } })),
    ).toMatchObject([{ code: 'set-operator-on-single-valued-key', severity: 'suggestion' }]);
    expect(codes('identity', cond({ StringEquals: { 'ses:FromAddress': 'a@example.com' } }))).toEqual([]);
  });
});

describe('lintPolicy: condition keys', () => {
  it('unknown ses:/aws: keys with a suggestion, and what the condition then does', () => {
    expect(lint('identity', cond({ StringEquals: { 'ses:FromAdress': 'a@example.com' } }))[0]?.message).toBe(
      '"ses:FromAdress" is not a condition key of SES (did you mean "ses:FromAddress"?). No request carries it, so the condition is always false and this statement never allows anything.',
    );
    expect(lint('identity', cond({ StringNotEquals: { 'aws:SourceIpp': '1.2.3.4' } }))[0]?.message).toBe(
      '"aws:SourceIpp" is not a condition key of AWS (did you mean "aws:SourceIp"?). No request carries it, so the condition is always true and restricts nothing.',
    );
    expect(codes('identity', cond({ StringEquals: { 'ses:Banana': 'x' } }))).toEqual([
      'unknown-condition-key',
    ]);
  });
  it('known keys in any case, tag keys and other services are not unknown', () => {
    expect(codes('identity', cond({ StringEquals: { 'SES:fromaddress': 'a@example.com' } }))).toEqual([]);
    expect(codes('identity', cond({ StringEquals: { 'aws:PrincipalTag/team': 'mail' } }))).toEqual([]);
    expect(
      codes('identity', {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: { StringEquals: { 's3:prefix': 'a' } },
      }),
    ).toEqual([]);
  });
  it("keys the statement's SES actions never carry", () => {
    expect(
      lint(
        'identity',
        send({
          Action: 'ses:SendBulkEmail',
          Condition: { 'ForAllValues:StringLike': { 'ses:Recipients': '*@x.com' } },
        }),
      )[0]?.message,
    ).toBe(
      'ses:Recipients is not part of ses:SendBulkEmail requests (SES supplies it only for ses:SendBulkTemplatedEmail, ses:SendCustomVerificationEmail, ses:SendEmail, ses:SendRawEmail, ses:SendTemplatedEmail), so the condition is always true and restricts nothing.',
    );
    expect(codes('identity', send({ Condition: { StringEquals: { 's3:prefix': 'a' } } }))).toEqual([
      'condition-key-not-supplied',
    ]);
    expect(
      codes(
        'identity',
        send({ Action: 'ses:SendBounce', Condition: { StringEquals: { 'ses:FromAddress': 'b@x.com' } } }),
      ),
    ).toEqual([]);
    expect(
      codes(
        'identity',
        send({
          Action: ['ses:SendBounce', 's3:GetObject'],
          Condition: { StringEquals: { 'ses:FromDisplayName': 'B' } },
        }),
      ),
    ).toEqual([]);
  });
  it('capitalised AWS: prefix in a sending authorization policy', () => {
    const s = {
      Effect: 'Allow',
      Principal: { Service: 'ses.amazonaws.com' },
      Action: 'ses:SendEmail',
      Resource: ID,
    };
    expect(
      codes('resource', { ...s, Condition: { StringEquals: { 'AWS:SourceAccount': '123456789012' } } }),
    ).toEqual(['uppercase-condition-prefix']);
    expect(
      codes('resource', { ...s, Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }),
    ).toEqual([]);
    expect(codes('identity', cond({ StringEquals: { 'AWS:SourceAccount': '123456789012' } }))).toEqual([]);
  });
});

describe('lintPolicy: the VPC endpoint keys', () => {
  it('knows aws:VpcSourceIp as an IP address key and aws:SourceVpc / aws:SourceVpce as strings', () => {
    expect(lint('identity', cond({ StringLike: { 'aws:VpcSourceIp': '10.0.*' } }))[0]?.message).toBe(
      'StringLike compares text, but aws:VpcSourceIp is an IP address key: it compares the text, so CIDR ranges never match. Use IpAddress / NotIpAddress.',
    );
    expect(codes('identity', cond({ IpAddress: { 'aws:SourceVpce': '10.0.0.0/8' } }))).toEqual([
      'operator-type-mismatch',
    ]);
    expect(
      codes(
        'identity',
        cond({
          StringEquals: {
            'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60718',
            'aws:SourceVpc': 'vpc-0123456789abcdef0',
          },
          IpAddress: { 'aws:VpcSourceIp': '10.0.0.0/16' },
        }),
      ),
    ).toEqual([]);
  });
});

describe('lintPolicy: operators and values', () => {
  it('operator of the wrong type for the key', () => {
    expect(lint('identity', cond({ StringLike: { 'aws:SourceIp': '10.0.0.*' } }))[0]?.message).toBe(
      'StringLike compares text, but aws:SourceIp is an IP address key: it compares the text, so CIDR ranges never match. Use IpAddress / NotIpAddress.',
    );
    expect(lint('identity', cond({ IpAddress: { 'ses:FromAddress': '10.0.0.0/8' } }))[0]?.message).toBe(
      "IpAddress compares IP addresses, but ses:FromAddress is a string key: the request's values never read as IP addresses, so the condition is always false and this statement never allows anything. Use StringEquals / StringLike.",
    );
    expect(codes('identity', cond({ DateGreaterThan: { 'ses:FromAddress': '2020-01-01' } }))).toEqual([
      'operator-type-mismatch',
    ]);
    expect(codes('identity', cond({ NumericLessThan: { 'aws:EpochTime': '1900000000' } }))).toEqual([]);
    expect(codes('identity', cond({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:1:t' } }))).toEqual([]);
    expect(
      codes('identity', cond({ StringEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:t' } })),
    ).toEqual([]);
  });
  it('ses:ApiVersion only takes "1" or "2"', () => {
    expect(lint('identity', cond({ StringEquals: { 'ses:ApiVersion': ['2', 'v2'] } }))).toMatchObject([
      {
        code: 'invalid-condition-value',
        message:
          'SES sends ses:ApiVersion "1" (Query API v1) or "2" (API v2 and SMTP); "v2" matches neither. Write "1" or "2".',
        line: 12,
        column: 13,
      },
    ]);
    expect(codes('identity', cond({ StringLike: { 'ses:ApiVersion': '*' } }))).toEqual([]);
    expect(codes('identity', cond({ StringLike: { 'ses:ApiVersion': 'v*' } }))).toEqual([
      'invalid-condition-value',
    ]);
  });
  it('IP, Bool and numeric values that never match', () => {
    expect(codes('identity', cond({ IpAddress: { 'aws:SourceIp': '10.0.0.300/8' } }))).toEqual([
      'invalid-condition-value',
    ]);
    expect(codes('identity', cond({ Bool: { 'aws:SecureTransport': 'yes' } }))).toEqual([
      'invalid-condition-value',
    ]);
    expect(codes('identity', cond({ NumericLessThan: { 'aws:MultiFactorAuthAge': 'ten' } }))).toEqual([
      'invalid-condition-value',
    ]);
    expect(codes('identity', cond({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }))).toEqual([]);
  });
  it('StringEquals with a wildcard, StringLike without one', () => {
    expect(lint('identity', cond({ StringEquals: { 'ses:FromAddress': '*@example.com' } }))).toMatchObject([
      {
        code: 'equals-with-wildcard',
        severity: 'warning',
        message:
          'StringEquals compares literally: "*@example.com" matches only a value that contains the * itself. Use StringLike for a pattern.',
      },
    ]);
    expect(lint('identity', cond({ StringLike: { 'ses:FromDisplayName': 'Marketing' } }))).toMatchObject([
      {
        code: 'like-without-wildcard',
        severity: 'suggestion',
        message:
          '"Marketing" has no * or ?, so StringLike matches exactly "Marketing" (not values that contain it). Use StringEquals, or "*Marketing*" to match values containing it.',
      },
    ]);
    expect(codes('identity', cond({ StringLike: { 'ses:FromDisplayName': '*Marketing*' } }))).toEqual([]);
    expect(
      codes('identity', cond({ StringEquals: { 'ses:FromAddress': '${aws:username}@example.com' } })),
    ).toEqual([]);
  });
});
