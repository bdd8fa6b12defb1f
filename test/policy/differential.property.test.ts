// Property: the compiled, indexed, cached evaluator agrees with the naive reference interpreter on
// random policies and requests (same decision, never an internal error).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorize } from '../../src/policy/authorize.js';
import { parsePolicy } from '../../src/policy/parse.js';
import type { AuthorizationRequest, CallerPrincipal, NamedPolicy } from '../../src/policy/request.js';
import { referenceAuthorize } from './reference-interpreter.js';

const A = '111122223333';
const B = '444455556666';
const ID = (acct: string, name: string) => `arn:aws:ses:us-east-1:${acct}:identity/${name}`;

const principals: CallerPrincipal[] = [
  { kind: 'User', arn: `arn:aws:iam::${A}:user/alice`, accountId: A },
  { kind: 'User', arn: `arn:aws:iam::${B}:user/bob`, accountId: B },
  {
    kind: 'AssumedRole',
    arn: `arn:aws:sts::${A}:assumed-role/r/s`,
    accountId: A,
    roleArn: `arn:aws:iam::${A}:role/r`,
  },
  { kind: 'Account', arn: `arn:aws:iam::${A}:root`, accountId: A },
  { kind: 'Anonymous', arn: 'anonymous' },
];

const actionPatterns = [
  '*',
  'ses:*',
  'ses:Send*',
  'SES:sendemail',
  'ses:SendRaw?mail',
  's3:Get*',
  'ses:GetSendQuota',
  'ses:*Email',
  'ses: Send*',
];
const requestActions = [
  'ses:SendEmail',
  'ses:SendRawEmail',
  'SES:SENDEMAIL',
  'ses:GetSendQuota',
  's3:GetObject',
  'sts:GetCallerIdentity',
];
const resourcePatterns = [
  '*',
  ID(A, 'example.com'),
  `arn:aws:ses:*:${A}:identity/*`,
  'arn:aws:ses:*:*:identity/*.com',
  `arn:aws:ses:us-east-1:${A}:identity/\${aws:username}*`,
  `arn:aws:ses:us-east-1:${A}:identity/\${aws:PrincipalTag/team, 'ops'}.org`,
  'arn:aws:ses',
  'arn:aws:s3:::bucket/*',
  `arn:aws:ses:*:identity/*`,
];
const requestResources = [
  '*',
  ID(A, 'example.com'),
  ID(A, 'alice.example.com'),
  ID(A, 'ops.org'),
  ID(B, 'b.com'),
  'arn:aws:s3:::bucket/k/x',
];

const clausePool: Record<string, Record<string, unknown>>[] = [
  { StringEquals: { 'ses:FromAddress': 'a@example.com' } },
  { StringEquals: { 'ses:FromAddress': ['a@example.com', '${aws:username}@example.com'] } },
  { StringNotEquals: { 'ses:FromAddress': '${aws:PrincipalTag/team}@example.com' } },
  { StringLike: { 'SES:FromAddress': '*@example.com' } },
  { StringNotLike: { 'ses:FromDisplayName': 'Mark*' } },
  { StringEqualsIgnoreCase: { 'ses:FromDisplayName': 'MARKETING' } },
  { StringEqualsIfExists: { 'ses:FeedbackAddress': 'fb@example.com' } },
  { 'ForAllValues:StringLike': { 'ses:Recipients': '*@example.com' } },
  { 'ForAnyValue:StringLike': { 'ses:Recipients': ['*@evil.com', 'x?@example.com'] } },
  { 'ForAnyValue:StringNotEquals': { 'ses:Recipients': 'a@example.com' } },
  { 'ForAllValues:StringNotLike': { 'ses:Recipients': '*@evil.com' } },
  { StringLike: { 'ses:Recipients': '*' } },
  { DateGreaterThan: { 'aws:CurrentTime': '2018-08-31T12:00:00Z' } },
  { DateLessThan: { 'aws:CurrentTime': '1900000000' } },
  { DateNotEquals: { 'aws:CurrentTime': '2026-03-01' } },
  { NumericLessThan: { 'aws:EpochTime': '1800000000' } },
  { NumericGreaterThanEquals: { 'aws:EpochTime': '1772000000' } },
  { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.0.2.1'] } },
  { NotIpAddressIfExists: { 'aws:SourceIp': '10.1.0.0/16' } },
  { Bool: { 'aws:SecureTransport': 'true' } },
  { BoolIfExists: { 'aws:SecureTransport': 'false' } },
  { Null: { 'ses:FromDisplayName': 'true' } },
  { Null: { 'aws:SourceIp': 'false' } },
  { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:*` } },
  { ArnNotEquals: { 'aws:PrincipalArn': `arn:aws:iam::*:user/\${aws:username}` } },
  { StringEquals: { 'ses:ApiVersion': '2' } },
];

const contextPool: Record<string, fc.Arbitrary<string | string[]>> = {
  'ses:FromAddress': fc.constantFrom('a@example.com', 'alice@example.com', 'ops@example.com', 'x@evil.com'),
  'ses:FromDisplayName': fc.constantFrom('Marketing', 'marketing', 'Mark', 'Other'),
  'ses:FeedbackAddress': fc.constantFrom('fb@example.com', 'other@example.com'),
  'ses:Recipients': fc.array(fc.constantFrom('a@example.com', 'xy@example.com', 'z@evil.com'), {
    maxLength: 3,
  }),
  'aws:CurrentTime': fc.constantFrom('2026-03-01T00:00:00Z', '2017-01-01T00:00:00Z', '2030-06-01T12:00:00Z'),
  'aws:EpochTime': fc.constantFrom('1772323200', '1483228800', 'abc'),
  'aws:SourceIp': fc.constantFrom('10.1.2.3', '192.0.2.1', '172.16.0.1'),
  'aws:SecureTransport': fc.constantFrom('true', 'false', 'TRUE'),
  'aws:username': fc.constantFrom('alice', 'a*', 'bob'),
  'aws:PrincipalTag/team': fc.constantFrom('ops', 'a'),
  'aws:PrincipalArn': fc.constantFrom(`arn:aws:iam::${A}:user/alice`, `arn:aws:iam::${B}:user/bob`),
  'ses:ApiVersion': fc.constantFrom('1', '2'),
};

const oneOrMany = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: 3 }));

function statementArb(withPrincipal: boolean) {
  return fc
    .record({
      effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
      notAction: fc.boolean(),
      actions: oneOrMany(fc.constantFrom(...actionPatterns)),
      notResource: fc.boolean(),
      resources: oneOrMany(fc.constantFrom(...resourcePatterns)),
      conditions: fc.array(fc.constantFrom(...clausePool), { maxLength: 3 }),
      principal: withPrincipal
        ? fc.constantFrom<unknown>(
            '*',
            { AWS: A },
            { AWS: `arn:aws:iam::${B}:root` },
            { AWS: principals[0]!.arn },
            { AWS: principals[2]!.arn },
            { AWS: `arn:aws:iam::${A}:role/r` },
            { AWS: [B, principals[0]!.arn] },
          )
        : fc.constant(undefined),
      notPrincipal: fc.boolean(),
    })
    .map((s) => {
      const cond: Record<string, Record<string, unknown>> = {};
      for (const c of s.conditions)
        for (const [op, body] of Object.entries(c)) cond[op] = { ...(cond[op] ?? {}), ...body };
      const out: Record<string, unknown> = {
        Effect: s.effect,
        [s.notAction ? 'NotAction' : 'Action']: s.actions,
        [s.notResource ? 'NotResource' : 'Resource']: s.resources,
      };
      if (Object.keys(cond).length > 0) out.Condition = cond;
      if (withPrincipal)
        out[s.notPrincipal && s.principal !== '*' ? 'NotPrincipal' : 'Principal'] = s.principal;
      return out;
    });
}

let n = 0;
function policyArb(withPrincipal: boolean) {
  return fc
    .record({
      version: fc.constantFrom('2012-10-17', '2012-10-17', '2008-10-17'),
      statements: fc.array(statementArb(withPrincipal), { minLength: 1, maxLength: 4 }),
    })
    .map(({ version, statements }): NamedPolicy | null => {
      const r = parsePolicy({ Version: version, Statement: statements });
      return r.ok ? { id: `p${++n}`, source: withPrincipal ? 'resource' : 'user', policy: r.policy } : null;
    });
}

const requestArb = fc.record({
  principal: fc.constantFrom(...principals),
  action: fc.constantFrom(...requestActions),
  resource: fc.constantFrom(...requestResources),
  context: fc.record(contextPool, { requiredKeys: [] }),
  identity: fc.array(policyArb(false), { maxLength: 3 }),
  resourcePolicies: fc.option(fc.array(policyArb(true), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  boundary: fc.option(policyArb(false), { nil: undefined }),
  session: fc.option(fc.array(policyArb(false), { maxLength: 2 }), { nil: undefined }),
  scps: fc.option(
    fc.array(fc.array(policyArb(false), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }),
    { nil: undefined },
  ),
});

describe('compiled evaluator vs reference interpreter', () => {
  it('agree on random policies and requests', () => {
    fc.assert(
      fc.property(requestArb, (r) => {
        const all = [
          ...r.identity,
          ...(r.resourcePolicies ?? []),
          r.boundary,
          ...(r.session ?? []),
          ...(r.scps ?? []).flat(),
        ];
        fc.pre(all.every((p) => p !== null));
        const req: AuthorizationRequest = {
          principal: r.principal,
          action: r.action,
          resource: r.resource,
          context: r.context as AuthorizationRequest['context'],
          identityPolicies: r.identity as NamedPolicy[],
          ...(r.resourcePolicies ? { resourcePolicies: r.resourcePolicies as NamedPolicy[] } : {}),
          ...(r.boundary ? { permissionsBoundary: r.boundary } : {}),
          ...(r.session ? { sessionPolicies: r.session as NamedPolicy[] } : {}),
          ...(r.scps ? { serviceControlPolicies: r.scps as NamedPolicy[][] } : {}),
        };
        const got = authorize(req);
        expect(got.error).toBeUndefined();
        expect(got.decision).toBe(referenceAuthorize(req));
        // Explaining never changes the decision.
        expect(authorize({ ...req, explain: true }).decision).toBe(got.decision);
      }),
      { numRuns: 3000 },
    );
  });

  it('the generator reaches every decision (the property is not vacuous)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(requestArb, (r) => {
        if ([...r.identity, ...(r.resourcePolicies ?? [])].some((p) => p === null)) return;
        seen.add(
          referenceAuthorize({
            principal: r.principal,
            action: r.action,
            resource: r.resource,
            context: r.context as AuthorizationRequest['context'],
            identityPolicies: r.identity as NamedPolicy[],
            ...(r.resourcePolicies ? { resourcePolicies: r.resourcePolicies as NamedPolicy[] } : {}),
          }),
        );
      }),
      { numRuns: 500 },
    );
    expect([...seen].sort()).toEqual(['Allowed', 'ExplicitDeny', 'ImplicitDeny']);
  });
});
