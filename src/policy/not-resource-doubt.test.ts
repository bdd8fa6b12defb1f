// Issue 14, finding 6: a NotResource entry whose policy variable has no value must not make an
// Allow grant everything (deny on doubt); a Deny in the same doubt still applies.
import { describe, expect, it } from 'vitest';
import { authorize } from './authorize.js';
import { parsePolicy } from './parse.js';
import type { AuthorizationRequest, NamedPolicy } from './request.js';

const ACCT = '111122223333';
const ID = (name: string) => `arn:aws:ses:us-east-1:${ACCT}:identity/${name}`;
const TEAM_IDENTITY = 'arn:aws:ses:us-east-1:*:identity/${aws:PrincipalTag/team}.example.com';

function policy(statement: object): NamedPolicy {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
  const r = parsePolicy(text);
  if (!r.ok) throw new Error('parse');
  return { id: 'p', source: 'user', policy: r.policy, text };
}

function request(
  policies: NamedPolicy[],
  tags: Record<string, string>,
  resource: string,
): AuthorizationRequest {
  const context: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) context[`aws:principaltag/${k}`] = v;
  return {
    principal: { kind: 'User', arn: `arn:aws:iam::${ACCT}:user/alice`, accountId: ACCT },
    action: 'ses:SendEmail',
    resource,
    context,
    identityPolicies: policies,
  };
}

const allowAllBut = policy({ Effect: 'Allow', Action: 'ses:*', NotResource: TEAM_IDENTITY });
const allowAll = policy({ Effect: 'Allow', Action: 'ses:*', Resource: '*' });
const denyAllBut = policy({ Effect: 'Deny', Action: 'ses:*', NotResource: TEAM_IDENTITY });

describe('NotResource with a policy variable that has no value', () => {
  it('an Allow grants nothing through it (it used to grant every resource)', () => {
    const d = authorize(request([allowAllBut], {}, ID('other.example.net')));
    expect(d.decision).toBe('ImplicitDeny');
    expect(d.matched).toEqual([]);
  });

  it('with the tag present the Allow works as written, both ways', () => {
    expect(authorize(request([allowAllBut], { team: 'ops' }, ID('other.example.net'))).decision).toBe(
      'Allowed',
    );
    expect(authorize(request([allowAllBut], { team: 'ops' }, ID('ops.example.com'))).decision).toBe(
      'ImplicitDeny',
    );
  });

  it('a Deny in the same doubt still applies (deny on doubt), unless another entry excludes the resource', () => {
    expect(authorize(request([allowAll, denyAllBut], {}, ID('other.example.net'))).decision).toBe(
      'ExplicitDeny',
    );
    const denyTwo = policy({
      Effect: 'Deny',
      Action: 'ses:*',
      NotResource: [TEAM_IDENTITY, ID('shared.example.org')],
    });
    expect(authorize(request([allowAll, denyTwo], {}, ID('shared.example.org'))).decision).toBe('Allowed');
  });

  it('a default value resolves the variable: no doubt', () => {
    const withDefault = policy({
      Effect: 'Allow',
      Action: 'ses:*',
      NotResource: "arn:aws:ses:us-east-1:*:identity/${aws:PrincipalTag/team, 'none'}.example.com",
    });
    expect(authorize(request([withDefault], {}, ID('other.example.net'))).decision).toBe('Allowed');
    expect(authorize(request([withDefault], {}, ID('none.example.com'))).decision).toBe('ImplicitDeny');
  });

  it('Resource entries are unchanged: an unresolvable one names nothing', () => {
    const allowTeam = policy({ Effect: 'Allow', Action: 'ses:*', Resource: TEAM_IDENTITY });
    expect(authorize(request([allowTeam], {}, ID('ops.example.com'))).decision).toBe('ImplicitDeny');
    expect(authorize(request([allowTeam], { team: 'ops' }, ID('ops.example.com'))).decision).toBe('Allowed');
  });
});
