// docs/spec/iam.md §8: the subtle semantics most engines get wrong, one test each (items 1-20).
import { describe, expect, it } from 'vitest';
import { authorize } from '../../src/policy/authorize.js';
import { denialMessage } from '../../src/policy/messages.js';
import {
  ACCT,
  IDENTITY_ARN,
  OTHER,
  cond,
  decide,
  named,
  request,
  roleSession,
  stmt,
  user,
} from './helpers.js';

const SEND = { Action: 'ses:SendEmail', Resource: IDENTITY_ARN };

describe('docs/spec/iam.md §8 checklist', () => {
  it('1. variables only under 2012-10-17, also in Resource', () => {
    const doc = (v?: string) =>
      named({
        ...(v ? { Version: v } : {}),
        Statement: [
          {
            Effect: 'Allow',
            Action: 'ses:SendEmail',
            Resource: `arn:aws:ses:us-east-1:${ACCT}:identity/\${aws:username}.example.com`,
          },
        ],
      });
    const ctx = { 'aws:username': 'alice' };
    const res = `arn:aws:ses:us-east-1:${ACCT}:identity/alice.example.com`;
    expect(decide({ identityPolicies: [doc('2012-10-17')], context: ctx, resource: res })).toBe('Allowed');
    expect(decide({ identityPolicies: [doc('2008-10-17')], context: ctx, resource: res })).toBe(
      'ImplicitDeny',
    );
    expect(decide({ identityPolicies: [doc()], context: ctx, resource: res })).toBe('ImplicitDeny');
    expect(
      decide({
        identityPolicies: [doc('2008-10-17')],
        context: ctx,
        resource: `arn:aws:ses:us-east-1:${ACCT}:identity/\${aws:username}.example.com`,
      }),
    ).toBe('Allowed');
    // A missing variable makes the Resource entry match nothing.
    expect(decide({ identityPolicies: [doc('2012-10-17')], context: {}, resource: res })).toBe(
      'ImplicitDeny',
    );
  });
  it('2. epoch values in Date operators are seconds', () => {
    expect(
      cond(
        { DateGreaterThan: { 'aws:CurrentTime': '1704067200' } },
        { 'aws:CurrentTime': '2024-01-02T00:00:00Z' },
      ),
    ).toBe(true);
    expect(
      cond(
        { DateGreaterThan: { 'aws:CurrentTime': '1704067200000' } },
        { 'aws:CurrentTime': '2024-01-02T00:00:00Z' },
      ),
    ).toBe(false);
  });
  it('3. absent key: negated true, positive false, IfExists true, Null as written (also in a Deny)', () => {
    expect(cond({ StringNotLike: { k: 'a' } }, {})).toBe(true);
    expect(cond({ StringLike: { k: 'a' } }, {})).toBe(false);
    expect(cond({ NumericEqualsIfExists: { k: '1' } }, {})).toBe(true);
    const denyIfAbsent = named({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', ...SEND },
        { Effect: 'Deny', ...SEND, Condition: { Null: { 'ses:FromAddress': 'true' } } },
      ],
    });
    expect(decide({ identityPolicies: [denyIfAbsent] })).toBe('ExplicitDeny');
    expect(
      decide({ identityPolicies: [denyIfAbsent], context: { 'ses:FromAddress': 'a@example.com' } }),
    ).toBe('Allowed');
  });
  it('4. ForAllValues vacuously true on absent; ForAnyValue false', () => {
    expect(cond({ 'ForAllValues:StringLike': { 'ses:Recipients': '*@example.com' } }, {})).toBe(true);
    expect(cond({ 'ForAnyValue:StringLike': { 'ses:Recipients': '*@example.com' } }, {})).toBe(false);
  });
  it('5. multivalued key without a set qualifier: no match', () => {
    expect(cond({ StringLike: { 'ses:Recipients': '*' } }, { 'ses:Recipients': ['a@example.com'] })).toBe(
      false,
    );
  });
  it('6. ArnEquals is ArnLike (glob per segment)', () => {
    const ctx = { 'aws:SourceArn': `arn:aws:ses:us-east-1:${ACCT}:identity/x` };
    expect(cond({ ArnEquals: { 'aws:SourceArn': `arn:aws:ses:*:${ACCT}:identity/*` } }, ctx)).toBe(true);
    expect(cond({ ArnLike: { 'aws:SourceArn': `arn:aws:ses:*:${ACCT}:identity/*` } }, ctx)).toBe(true);
    expect(cond({ ArnEquals: { 'aws:SourceArn': `arn:aws:ses:*:identity/*` } }, ctx)).toBe(false);
  });
  it('7. Resource * spans / and : only after the fifth colon', () => {
    const p = (r: string) => [stmt({ Effect: 'Allow', Action: 'ses:SendEmail', Resource: r })];
    expect(
      decide({
        identityPolicies: p(`arn:aws:ses:us-east-1:${ACCT}:*`),
        resource: `arn:aws:ses:us-east-1:${ACCT}:identity/a/b:c`,
      }),
    ).toBe('Allowed');
    expect(decide({ identityPolicies: p('arn:aws:ses:*:identity/example.com') })).toBe('ImplicitDeny');
    expect(decide({ identityPolicies: p('arn:aws:ses:*') })).toBe('Allowed'); // short ARN padded in identity policies
  });
  it('8. actions case-insensitive, resources case-sensitive, key names (and tag suffix) case-insensitive', () => {
    expect(
      decide({
        identityPolicies: [stmt({ Effect: 'Allow', Action: 'SES:sendemail', Resource: IDENTITY_ARN })],
        action: 'ses:SendEmail',
      }),
    ).toBe('Allowed');
    expect(
      decide({
        identityPolicies: [stmt({ Effect: 'Allow', Action: 'ses:Send*', Resource: IDENTITY_ARN })],
        action: 'SES:SENDEMAIL',
      }),
    ).toBe('Allowed');
    expect(
      decide({
        identityPolicies: [
          stmt({ Effect: 'Allow', Action: 'ses:SendEmail', Resource: IDENTITY_ARN.toUpperCase() }),
        ],
      }),
    ).toBe('ImplicitDeny');
    expect(
      cond({ StringEquals: { 'aws:ResourceTag/TagKey1': 'v' } }, { 'aws:resourcetag/tagkey1': 'v' }),
    ).toBe(true);
  });
  it('9. regex metacharacters are literal, ? is one char, ${*} is a literal star', () => {
    expect(cond({ StringLike: { k: 'a.c' } }, { k: 'abc' })).toBe(false);
    expect(cond({ StringLike: { k: '(a|b)+' } }, { k: '(a|b)+' })).toBe(true);
    expect(cond({ StringLike: { k: 'a?c' } }, { k: 'abbc' })).toBe(false);
    expect(cond({ StringLike: { k: 'a${*}' } }, { k: 'abc' })).toBe(false);
  });
  it('10. an Allow whose condition fails is not applicable, never a deny', () => {
    const p = named({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', ...SEND, Condition: { StringEquals: { 'ses:FromAddress': 'x@example.com' } } },
        { Effect: 'Allow', ...SEND },
      ],
    });
    expect(decide({ identityPolicies: [p], context: { 'ses:FromAddress': 'y@example.com' } })).toBe(
      'Allowed',
    );
  });
  const rp = (aws: string) =>
    named(
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: aws }, ...SEND }] },
      'resource',
    );
  it('11. account principal is delegation, even in the same account', () => {
    expect(decide({ resourcePolicies: [rp(ACCT)] })).toBe('ImplicitDeny');
    expect(decide({ resourcePolicies: [rp(user().arn)] })).toBe('Allowed');
  });
  it('12. role ARN covers sessions but stays capped; session ARN is not capped', () => {
    const s = roleSession();
    const none = stmt({ Effect: 'Allow', Action: 'ses:GetSendQuota', Resource: '*' });
    expect(decide({ principal: s, resourcePolicies: [rp(s.roleArn!)], permissionsBoundary: none })).toBe(
      'ImplicitDeny',
    );
    expect(decide({ principal: s, resourcePolicies: [rp(s.arn)], permissionsBoundary: none })).toBe(
      'Allowed',
    );
  });
  it('13. cross-account requires both sides', () => {
    const bob = user('bob', OTHER);
    const allow = stmt({ Effect: 'Allow', ...SEND });
    expect(decide({ principal: bob, resourcePolicies: [rp(bob.arn)] })).toBe('ImplicitDeny');
    expect(decide({ principal: bob, identityPolicies: [allow] })).toBe('ImplicitDeny');
    expect(decide({ principal: bob, identityPolicies: [allow], resourcePolicies: [rp(bob.arn)] })).toBe(
      'Allowed',
    );
  });
  it('14. SCPs need an Allow at every level', () => {
    const all = stmt({ Effect: 'Allow', Action: '*', Resource: '*' });
    const sesOnly = stmt({ Effect: 'Allow', Action: 'ses:*', Resource: '*' });
    const s3Only = stmt({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
    const id = [stmt({ Effect: 'Allow', ...SEND })];
    expect(decide({ identityPolicies: id, serviceControlPolicies: [[all], [sesOnly], [all]] })).toBe(
      'Allowed',
    );
    expect(decide({ identityPolicies: id, serviceControlPolicies: [[all], [s3Only], [all]] })).toBe(
      'ImplicitDeny',
    );
  });
  it('15. Deny + NotPrincipal always hits a caller with a permissions boundary', () => {
    const alice = user();
    const p = named(
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: alice.arn }, ...SEND },
          { Effect: 'Deny', NotPrincipal: { AWS: alice.arn }, ...SEND },
        ],
      },
      'resource',
    );
    expect(decide({ resourcePolicies: [p] })).toBe('Allowed');
    const all = stmt({ Effect: 'Allow', Action: '*', Resource: '*' });
    expect(decide({ resourcePolicies: [p], permissionsBoundary: all })).toBe('ExplicitDeny');
    expect(decide({ principal: user('bob'), resourcePolicies: [p], identityPolicies: [all] })).toBe(
      'ExplicitDeny',
    );
  });
  it('16. NotAction / NotResource match everything else, other services included', () => {
    const na = stmt({ Effect: 'Allow', NotAction: 'ses:Send*', Resource: '*' });
    expect(decide({ identityPolicies: [na], action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' })).toBe(
      'Allowed',
    );
    expect(decide({ identityPolicies: [na], action: 'ses:SendRawEmail' })).toBe('ImplicitDeny');
    const nr = stmt({ Effect: 'Allow', Action: '*', NotResource: IDENTITY_ARN });
    expect(decide({ identityPolicies: [nr], resource: 'arn:aws:s3:::b/k' })).toBe('Allowed');
    expect(decide({ identityPolicies: [nr] })).toBe('ImplicitDeny');
  });
  it('17. sts:GetCallerIdentity is never denied', () => {
    const deny = stmt({ Effect: 'Deny', Action: 'sts:*', Resource: '*' });
    expect(
      decide({
        action: 'sts:GetCallerIdentity',
        resource: '*',
        identityPolicies: [deny],
        serviceControlPolicies: [[deny]],
      }),
    ).toBe('Allowed');
    expect(decide({ action: 'sts:GetSessionToken', resource: '*', identityPolicies: [deny] })).toBe(
      'ExplicitDeny',
    );
  });
  it('18. an unknown condition operator denies (never silently ignored)', () => {
    const p = stmt({ Effect: 'Allow', Action: '*', Resource: '*' });
    (p.policy.statements[0]!.conditions as unknown[]).push({
      operator: 'StringMaybe',
      base: 'StringMaybe',
      ifExists: false,
      key: 'k',
      values: [],
    });
    const d = authorize(request({ identityPolicies: [p] }));
    expect([d.decision, d.error]).toEqual(['ImplicitDeny', 'Unknown condition operator: StringMaybe']);
  });
  it('19. an SES key the request did not supply makes a scoped policy deny, and is reported missing', () => {
    const p = stmt({
      Effect: 'Allow',
      ...SEND,
      Condition: { StringEquals: { 'ses:FromAddress': 'a@example.com' } },
    });
    const d = authorize(request({ identityPolicies: [p], explain: true }));
    expect(d.decision).toBe('ImplicitDeny');
    expect(d.missingContextKeys).toEqual(['ses:FromAddress']);
  });
  it('20. SES send path uses the backtick family; other calls the generic family', () => {
    const d = authorize(request({ action: 'ses:SendRawEmail' }));
    expect(denialMessage('send', request({ action: 'ses:SendRawEmail' }), d)).toBe(
      `User \`arn:aws:iam::${ACCT}:user/alice' is not authorized to perform \`ses:SendRawEmail' on resource \`${IDENTITY_ARN}'`,
    );
    const g = request({ action: 'ses:ListIdentities', resource: '*' });
    expect(denialMessage('generic', g, authorize(g))).toBe(
      `User: arn:aws:iam::${ACCT}:user/alice is not authorized to perform: ses:ListIdentities on resource: * because no identity-based policy allows the ses:ListIdentities action`,
    );
  });
});
