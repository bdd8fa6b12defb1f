import { describe, expect, it } from 'vitest';
import { lintPolicy, type LintFinding } from './lint.js';
import type { PolicyType } from './types.js';

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

describe('lintPolicy: actions', () => {
  it('unknown SES action with a typo suggestion, pointing at the entry', () => {
    const f = lint('identity', send({ Action: ['ses:SendEmail', 'ses:SendRawEmails'] }));
    expect(f).toEqual([
      {
        code: 'unknown-action',
        severity: 'warning',
        message:
          '"ses:SendRawEmails" is not an SES action (did you mean "ses:SendRawEmail"?): IAM accepts the name, but no request is ever authorized as it, so this statement allows nothing through it.',
        statement: 0,
        line: 8,
        column: 9,
      },
    ]);
  });
  it('patterns that match nothing, NotAction wording, sesv2: prefix', () => {
    expect(lint('identity', send({ Effect: 'Deny', Action: 'ses:Sned*' }))[0]?.message).toBe(
      '"ses:Sned*" matches no SES action, so this statement denies nothing through it.',
    );
    expect(
      lint('identity', send({ Effect: 'Deny', Action: undefined, NotAction: 'ses:GetSendQuotas' }))[0]
        ?.message,
    ).toBe(
      '"ses:GetSendQuotas" is not an SES action (did you mean "ses:GetSendQuota"?): IAM accepts the name, but no request is ever authorized as it, so excluding it changes nothing.',
    );
    expect(lint('identity', send({ Action: 'sesv2:sendemail' }))[0]?.message).toBe(
      'There is no sesv2: prefix in IAM: SES API v1 and v2 actions both use ses:, so this statement allows nothing through it. Write "ses:SendEmail".',
    );
  });
  it('known actions in any case, v2, Mail Manager and permission-only actions, other services', () => {
    expect(
      codes(
        'identity',
        send({
          Action: [
            'SES:sendemail',
            'ses:CreateEmailIdentityPolicy',
            'ses:CreateIngressPoint',
            'ses:ReplicateEmailIdentityDkimSigningKey',
            'ses:Send*',
            'ses:Get*Quota',
            'iam:Nonsense',
          ],
        }),
      ),
    ).toEqual([]);
  });
});

describe('lintPolicy: breadth', () => {
  it('Allow with NotAction / NotResource', () => {
    expect(codes('identity', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })).toEqual([
      'allow-with-not-action',
    ]);
    expect(codes('identity', { Effect: 'Allow', Action: 'ses:SendEmail', NotResource: ID })).toEqual([
      'allow-with-not-resource',
    ]);
    expect(codes('identity', { Effect: 'Deny', NotAction: 'ses:SendEmail', NotResource: ID })).toEqual([]);
  });
  it('full access without conditions', () => {
    expect(lint('identity', send({ Action: 'ses:*' }))[0]?.message).toBe(
      '"ses:*" on "*" without a condition allows every SES action on every identity, including changing sending authorization policies (ses:PutIdentityPolicy) and account settings. Name the actions you need, or add a condition.',
    );
    expect(codes('identity', send({ Action: '*' }))).toEqual(['full-access']);
    expect(
      codes('identity', send({ Action: 'ses:*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } })),
    ).toEqual([]);
    expect(codes('identity', send({ Action: 'ses:*', Resource: ID }))).not.toContain('full-access');
    expect(codes('boundary', send({ Action: '*' }))).toEqual([]);
  });
  it('duplicate statements (Sid aside)', () => {
    expect(
      lint('identity', send({ Sid: 'A' }), send({ Sid: 'B', Effect: 'Deny' }), send({ Sid: 'C' })),
    ).toMatchObject([
      {
        code: 'duplicate-statement',
        statement: 2,
        sid: 'C',
        message: 'This statement repeats statement 0 (only the Sid differs, if at all). Remove one of them.',
      },
    ]);
  });
});

describe('lintPolicy: SES resources', () => {
  it('identity ARNs without region or account, bad type, no name', () => {
    const bad = (r: string): string | undefined =>
      lint('identity', send({ Resource: r })).find((f) => f.code === 'malformed-ses-arn')?.message;
    const form =
      ' The form is arn:aws:ses:REGION:ACCOUNT:identity/NAME (example.com or user@example.com); use * for any region or account.';
    expect(bad('arn:aws:ses::111122223333:identity/example.com')).toBe(
      '"arn:aws:ses::111122223333:identity/example.com" has no region: SES resources are regional, so it matches none.' +
        form,
    );
    expect(bad('arn:aws:ses:us-east-1::identity/example.com')).toBe(
      '"arn:aws:ses:us-east-1::identity/example.com" has no account ID, so it matches no SES resource.' +
        form,
    );
    expect(bad('arn:aws:ses:us-east-1:acme:identity/example.com')).toBe(
      '"arn:aws:ses:us-east-1:acme:identity/example.com" has "acme" where the 12-digit account ID belongs, so it matches no SES resource.' +
        form,
    );
    expect(bad('arn:aws:ses:us-east-1:111122223333:identities/example.com')).toBe(
      '"arn:aws:ses:us-east-1:111122223333:identities/example.com" names no SES resource type ("identities"; did you mean "identity"?), so it matches nothing.' +
        form,
    );
    expect(bad('arn:aws:ses:us-east-1:111122223333:identity/')).toBe(
      '"arn:aws:ses:us-east-1:111122223333:identity/" has no name after "identity/", so it matches nothing.' +
        form,
    );
    expect(bad('arn:aws:sesv2:us-east-1:111122223333:identity/example.com')).toBe(
      'SES resource ARNs use the service "ses", not "sesv2": "arn:aws:sesv2:us-east-1:111122223333:identity/example.com" matches no SES resource. Write "arn:aws:ses:us-east-1:111122223333:identity/example.com".',
    );
  });
  it('well-formed and wildcard ARNs pass', () => {
    for (const r of [
      ID,
      'arn:aws:ses:*:*:identity/*',
      'arn:aws:ses:us-east-1:111122223333:configuration-set/main',
      'arn:aws:ses:eu-west-1:aws:reputation-policy/x',
      'arn:aws:ses:*:111122223333:*',
    ])
      expect(codes('identity', send({ Action: 'ses:SendBounce', Resource: r }))).toEqual([]);
  });
  it('resources of another service for SES-only actions', () => {
    expect(codes('identity', send({ Resource: 'arn:aws:s3:::bucket' }))).toEqual([
      'resource-service-mismatch',
    ]);
    expect(
      codes('identity', send({ Action: ['ses:SendEmail', 's3:GetObject'], Resource: 'arn:aws:s3:::bucket' })),
    ).toEqual([]);
  });
  it('a send allowed on identity ARNs only: configuration sets and templates need theirs (once per policy)', () => {
    expect(
      lint('identity', send({ Resource: ID }), send({ Action: 'ses:SendEmail', Resource: ID })),
    ).toMatchObject([{ code: 'send-resources-identity-only', severity: 'suggestion', statement: 0 }]);
    expect(
      codes('identity', send({ Resource: [ID, 'arn:aws:ses:us-east-1:111122223333:configuration-set/*'] })),
    ).toEqual([]);
    expect(codes('identity', send({ Action: 'ses:SendBounce', Resource: ID }))).toEqual([]);
  });
});

describe('lintPolicy: sending authorization (resource) policies', () => {
  const grant = (extra: Stmt = {}): Stmt => ({
    Effect: 'Allow',
    Principal: '*',
    Action: 'ses:SendRawEmail',
    Resource: ID,
    ...extra,
  });
  it('Principal "*" without a condition', () => {
    expect(lint('resource', grant())).toMatchObject([
      {
        code: 'public-sending-authorization',
        severity: 'warning',
        message:
          'Principal "*" without a condition lets anyone with an AWS account use this identity (send as you). Name the accounts or roles, or add a condition such as "StringEquals": {"aws:PrincipalOrgID": "o-..."}.',
        line: 6,
        column: 7,
      },
    ]);
    expect(
      codes('resource', grant({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } })),
    ).toEqual([]);
    expect(codes('resource', grant({ Principal: { AWS: '123456789012' } }))).toEqual([]);
    expect(codes('resource', grant({ Effect: 'Deny' }))).toEqual([]);
  });
  it('Resource must be an identity ARN', () => {
    expect(
      codes(
        'resource',
        grant({
          Principal: { AWS: '123456789012' },
          Resource: 'arn:aws:ses:us-east-1:111122223333:template/t',
        }),
      ),
    ).toEqual(['resource-policy-resource']);
  });
  it('policy variables without Version 2012-10-17 are literal', () => {
    const text = JSON.stringify({
      Statement: [
        grant({
          Principal: { AWS: '123456789012' },
          Condition: { StringLike: { 'ses:FromAddress': '${aws:username}@x.com' } },
        }),
      ],
    });
    expect(lintPolicy(text, 'resource').map((f) => f.code)).toEqual(['variables-without-version']);
    expect(lintPolicy(text.replace('{', '{"Version":"2012-10-17",'), 'resource')).toEqual([]);
  });
});

describe('lintPolicy: order and speed', () => {
  it('findings are sorted by position across statements and rules', () => {
    const c = cond({ StringEquals: { 'ses:FromAddress': '*@x.com', 'ses:ApiVersion': '3' } });
    const f = lint('identity', send({ Action: 'ses:*' }), c, c);
    // The duplicate finding is produced after the condition findings but sits before them.
    expect(f.map((x) => `${x.line}:${x.column} ${x.code}`)).toEqual([
      '6:7 full-access',
      '15:30 equals-with-wildcard',
      '16:29 invalid-condition-value',
      '20:5 duplicate-statement',
      '26:30 equals-with-wildcard',
      '27:29 invalid-condition-value',
    ]);
  });
  it('a 6 KB policy of 20 conditioned statements lints without errors (its speed: npm run bench, policy.lint)', () => {
    const stmts = Array.from({ length: 20 }, (_, i) =>
      send({
        Sid: `S${i}`,
        Action: ['ses:SendEmail', 'ses:SendRawEmail', 'ses:Send*'],
        Resource: `arn:aws:ses:us-east-1:111122223333:identity/d${i}.example.com`,
        Condition: {
          'ForAllValues:StringLike': { 'ses:Recipients': ['*@example.com'] },
          StringEquals: { 'ses:FromAddress': 'a@example.com' },
        },
      }),
    );
    const text = JSON.stringify({ Version: '2012-10-17', Statement: stmts });
    expect(text.length).toBeGreaterThan(5500);
    expect(lintPolicy(text, 'identity').filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('lintPolicy: NotPrincipal and trust policies', () => {
  it('Allow with NotPrincipal (resource and trust), public trust policy', () => {
    const grant = {
      Effect: 'Allow',
      NotPrincipal: { AWS: '123456789012' },
      Action: 'ses:SendEmail',
      Resource: ID,
    };
    expect(codes('resource', grant)).toEqual(['allow-with-not-principal']);
    expect(codes('resource', { ...grant, Effect: 'Deny' })).toEqual([]);
    const trust = { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' };
    expect(lint('trust', trust)[0]?.message).toBe(
      'Principal "*" without a condition lets anyone with an AWS account assume this role. Name the accounts or roles, or add a condition such as "StringEquals": {"aws:PrincipalOrgID": "o-..."}.',
    );
    expect(codes('trust', { ...trust, Principal: { AWS: 'arn:aws:iam::123456789012:root' } })).toEqual([]);
  });
  it('never throws, whatever the editor passes', () => {
    expect(lintPolicy(undefined as unknown as string, 'identity')).toEqual([
      { code: 'malformed', severity: 'error', message: 'Syntax errors in policy.' },
    ]);
    expect(lintPolicy('', 'identity')).toMatchObject([{ code: 'invalid-json', line: 1, column: 1 }]);
    for (let n = 0; n <= 60; n++)
      expect(() => lintPolicy(doc(send()).slice(0, n * 3), 'resource')).not.toThrow();
  });
});
