// NotPrincipal in resource policies, both effects. AWS (IAM JSON reference, "NotPrincipal"): with
// Allow it grants every principal except the ones named, anonymous callers included; with Deny it
// denies everyone except the ones named (and always hits a caller that has a permissions boundary).
import { describe, expect, it } from 'vitest';
import { authorize } from './authorize.js';
import { parsePolicy } from './parse.js';
import type { AuthorizationRequest, CallerPrincipal, NamedPolicy } from './request.js';

const A = '111122223333';
const B = '444455556666';
const ID = `arn:aws:ses:us-east-1:${A}:identity/example.com`;
const alice: CallerPrincipal = { kind: 'User', arn: `arn:aws:iam::${A}:user/alice`, accountId: A };
const bob: CallerPrincipal = { kind: 'User', arn: `arn:aws:iam::${A}:user/bob`, accountId: A };
const carol: CallerPrincipal = { kind: 'User', arn: `arn:aws:iam::${B}:user/carol`, accountId: B };
const anonymous: CallerPrincipal = { kind: 'Anonymous', arn: '*' };

function policy(doc: object, source: NamedPolicy['source'] = 'resource'): NamedPolicy {
  const r = parsePolicy(JSON.stringify(doc));
  if (!r.ok) throw new Error('parse');
  return { id: 'p', source, policy: r.policy };
}

const allowAllButBob = policy({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', NotPrincipal: { AWS: bob.arn }, Action: 'ses:SendEmail', Resource: ID }],
});
const sendAnywhere = policy(
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*' }] },
  'user',
);

function decide(principal: CallerPrincipal, extra: Partial<AuthorizationRequest> = {}) {
  return authorize({
    principal,
    action: 'ses:SendEmail',
    resource: ID,
    resourceAccount: A,
    context: {},
    identityPolicies: [],
    resourcePolicies: [allowAllButBob],
    ...extra,
  }).decision;
}

describe('Allow with NotPrincipal', () => {
  it('allows an unnamed principal of the same account without any identity policy', () => {
    expect(decide(alice)).toBe('Allowed');
  });
  it('does not allow the named principal, whatever the resource policy says', () => {
    expect(decide(bob)).toBe('ImplicitDeny');
    // The named principal still gets what its own identity policies give it (same account).
    expect(decide(bob, { identityPolicies: [sendAnywhere] })).toBe('Allowed');
  });
  it('allows anonymous callers, as a grant to everyone but the named ones does', () => {
    expect(decide(anonymous)).toBe('Allowed');
  });
  it('is the resource side of a cross-account grant: the caller’s account must allow too', () => {
    expect(decide(carol)).toBe('ImplicitDeny');
    expect(decide(carol, { identityPolicies: [sendAnywhere] })).toBe('Allowed');
  });
  it('stays an explicit Deny’s inverse: Deny + NotPrincipal denies all but the named', () => {
    const denyAllButAlice = policy({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: alice.arn }, Action: 'ses:*', Resource: ID }],
    });
    const both = { identityPolicies: [sendAnywhere], resourcePolicies: [denyAllButAlice] };
    expect(decide(alice, both)).toBe('Allowed');
    expect(decide(bob, both)).toBe('ExplicitDeny');
  });
});
