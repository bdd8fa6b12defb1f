// docs/spec/iam.md §4.2 decision order and §4.3: same-account resource-policy grants vs. implicit denies.
import { describe, expect, it } from 'vitest';
import { authorize } from '../../src/policy/authorize.js';
import type { CallerPrincipal, NamedPolicy } from '../../src/policy/request.js';
import {
  ACCT,
  IDENTITY_ARN,
  OTHER,
  decide,
  named,
  request,
  roleSession,
  root,
  stmt,
  user,
} from './helpers.js';

const SEND = { Action: 'ses:SendEmail', Resource: IDENTITY_ARN };
const allowId = () => stmt({ Effect: 'Allow', ...SEND });
const denyId = () => stmt({ Effect: 'Deny', ...SEND });
const nothing = () => stmt({ Effect: 'Allow', Action: 'ses:GetSendQuota', Resource: '*' });
const rpFor = (aws: string | string[]): NamedPolicy =>
  named(
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: aws }, ...SEND }] },
    'resource',
  );
const federated = (): CallerPrincipal => ({
  kind: 'FederatedUser',
  arn: `arn:aws:sts::${ACCT}:federated-user/fed`,
  accountId: ACCT,
  userArn: `arn:aws:iam::${ACCT}:user/alice`,
});

describe('§4.3 same-account resource-policy allow vs implicit denies elsewhere', () => {
  const alice = user('alice');
  it('IAM user ARN: not limited by identity policy nor boundary', () => {
    expect(decide({ principal: alice, resourcePolicies: [rpFor(alice.arn)] })).toBe('Allowed');
    expect(
      decide({ principal: alice, resourcePolicies: [rpFor(alice.arn)], permissionsBoundary: nothing() }),
    ).toBe('Allowed');
  });
  const sess = roleSession('r', 's');
  it('role ARN: session allowed without identity policy, but capped by boundary and session policy', () => {
    expect(decide({ principal: sess, resourcePolicies: [rpFor(sess.roleArn!)] })).toBe('Allowed');
    const b = authorize(
      request({ principal: sess, resourcePolicies: [rpFor(sess.roleArn!)], permissionsBoundary: nothing() }),
    );
    expect([b.decision, b.decidedBy]).toEqual(['ImplicitDeny', 'boundary']);
    const s = authorize(
      request({ principal: sess, resourcePolicies: [rpFor(sess.roleArn!)], sessionPolicies: [nothing()] }),
    );
    expect([s.decision, s.decidedBy]).toEqual(['ImplicitDeny', 'session']);
    expect(
      decide({
        principal: sess,
        resourcePolicies: [rpFor(sess.roleArn!)],
        sessionPolicies: [allowId()],
        permissionsBoundary: allowId(),
      }),
    ).toBe('Allowed');
  });
  it('pathed role ARN covers its sessions (session ARNs carry no path)', () => {
    const p = roleSession('r', 's', ACCT, '/team/');
    expect(decide({ principal: p, resourcePolicies: [rpFor(`arn:aws:iam::${ACCT}:role/team/r`)] })).toBe(
      'Allowed',
    );
    expect(decide({ principal: p, resourcePolicies: [rpFor(`arn:aws:iam::${ACCT}:role/r`)] })).toBe(
      'ImplicitDeny',
    );
  });
  it('role-session ARN: not capped by boundary nor session policy', () => {
    expect(
      decide({
        principal: sess,
        resourcePolicies: [rpFor(sess.arn)],
        permissionsBoundary: nothing(),
        sessionPolicies: [],
      }),
    ).toBe('Allowed');
  });
  it('federated-user ARN: not capped; the parent user ARN is capped', () => {
    const f = federated();
    expect(decide({ principal: f, resourcePolicies: [rpFor(f.arn)], sessionPolicies: [nothing()] })).toBe(
      'Allowed',
    );
    expect(
      decide({ principal: f, resourcePolicies: [rpFor(f.userArn!)], sessionPolicies: [nothing()] }),
    ).toBe('ImplicitDeny');
    expect(
      decide({ principal: f, resourcePolicies: [rpFor(f.userArn!)], sessionPolicies: [allowId()] }),
    ).toBe('Allowed');
  });
  it('account principal: delegation only, the identity policy must allow (both forms)', () => {
    for (const a of [ACCT, `arn:aws:iam::${ACCT}:root`]) {
      const d = authorize(request({ principal: alice, resourcePolicies: [rpFor(a)] }));
      expect([d.decision, d.decidedBy]).toEqual(['ImplicitDeny', 'identity']);
      expect(decide({ principal: alice, resourcePolicies: [rpFor(a)], identityPolicies: [allowId()] })).toBe(
        'Allowed',
      );
      expect(
        decide({
          principal: alice,
          resourcePolicies: [rpFor(a)],
          identityPolicies: [allowId()],
          permissionsBoundary: nothing(),
        }),
      ).toBe('ImplicitDeny');
    }
  });
  it('"*" principal: a direct grant for same-account callers', () => {
    expect(decide({ principal: alice, resourcePolicies: [rpFor('*')], permissionsBoundary: nothing() })).toBe(
      'Allowed',
    );
  });
});

describe('§4.2 decision order', () => {
  const alice = user('alice');
  it('no policy at all: implicit deny by identity', () => {
    const d = authorize(request());
    expect([d.decision, d.decidedBy, d.perType.identity, d.perType.resource]).toEqual([
      'ImplicitDeny',
      'identity',
      'ImplicitDeny',
      'NotApplicable',
    ]);
  });
  it('identity allow alone allows; identity deny beats identity allow', () => {
    expect(decide({ identityPolicies: [allowId()] })).toBe('Allowed');
    expect(decide({ identityPolicies: [allowId(), denyId()] })).toBe('ExplicitDeny');
  });
  it('explicit deny in the resource policy beats a direct allow', () => {
    const rp = named(
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: alice.arn }, ...SEND },
          { Effect: 'Deny', Principal: '*', ...SEND },
        ],
      },
      'resource',
    );
    const d = authorize(request({ resourcePolicies: [rp] }));
    expect([d.decision, d.decidedBy]).toEqual(['ExplicitDeny', 'resource']);
  });
  it('boundary: identity allow + boundary silent = implicit deny; boundary deny = explicit', () => {
    expect(decide({ identityPolicies: [allowId()], permissionsBoundary: nothing() })).toBe('ImplicitDeny');
    expect(decide({ identityPolicies: [allowId()], permissionsBoundary: allowId() })).toBe('Allowed');
    const d = authorize(request({ identityPolicies: [allowId()], permissionsBoundary: denyId() }));
    expect([d.decision, d.decidedBy]).toEqual(['ExplicitDeny', 'boundary']);
  });
  it('session policies: undefined = none passed; [] = allows nothing', () => {
    const p = roleSession();
    expect(decide({ principal: p, identityPolicies: [allowId()] })).toBe('Allowed');
    expect(decide({ principal: p, identityPolicies: [allowId()], sessionPolicies: [] })).toBe('ImplicitDeny');
    expect(decide({ principal: p, identityPolicies: [allowId()], sessionPolicies: [allowId()] })).toBe(
      'Allowed',
    );
  });
  it('SCPs: every level needs an allow; a deny at any level is explicit', () => {
    const all = () => stmt({ Effect: 'Allow', Action: '*', Resource: '*' });
    expect(decide({ identityPolicies: [allowId()], serviceControlPolicies: [[all()], [all()]] })).toBe(
      'Allowed',
    );
    const d = authorize(
      request({ identityPolicies: [allowId()], serviceControlPolicies: [[all()], [nothing()]] }),
    );
    expect([d.decision, d.decidedBy]).toEqual(['ImplicitDeny', 'scp']);
    expect(
      decide({ identityPolicies: [allowId()], serviceControlPolicies: [[all(), denyId()], [all()]] }),
    ).toBe('ExplicitDeny');
  });
  it('root user: allowed in its own account without policies, unless an SCP or resource policy denies', () => {
    const d = authorize(request({ principal: root() }));
    expect([d.decision, d.decidedBy]).toEqual(['Allowed', 'root']);
    expect(decide({ principal: root(), identityPolicies: [denyId()] })).toBe('Allowed'); // root carries no identity policies
    expect(decide({ principal: root(), serviceControlPolicies: [[denyId()]] })).toBe('ExplicitDeny');
    expect(decide({ principal: root(), serviceControlPolicies: [[nothing()]] })).toBe('ImplicitDeny');
    const rpDeny = named(
      { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', ...SEND }] },
      'resource',
    );
    expect(decide({ principal: root(), resourcePolicies: [rpDeny] })).toBe('ExplicitDeny');
  });
  it('cross-account needs both sides', () => {
    const bob = user('bob', OTHER);
    expect(decide({ principal: bob, identityPolicies: [allowId()] })).toBe('ImplicitDeny');
    const rpOnly = authorize(request({ principal: bob, resourcePolicies: [rpFor(bob.arn)] }));
    expect([rpOnly.decision, rpOnly.decidedBy]).toEqual(['ImplicitDeny', 'identity']);
    expect(
      decide({ principal: bob, resourcePolicies: [rpFor(bob.arn)], identityPolicies: [allowId()] }),
    ).toBe('Allowed');
    expect(decide({ principal: bob, resourcePolicies: [rpFor(OTHER)], identityPolicies: [allowId()] })).toBe(
      'Allowed',
    );
    expect(
      decide({
        principal: bob,
        resourcePolicies: [rpFor(OTHER)],
        identityPolicies: [allowId()],
        permissionsBoundary: nothing(),
      }),
    ).toBe('ImplicitDeny');
    const noRp = authorize(request({ principal: bob, identityPolicies: [allowId()] }));
    expect(noRp.decidedBy).toBe('resource');
    // A cross-account root still needs the resource policy.
    expect(decide({ principal: root(OTHER) })).toBe('ImplicitDeny');
    expect(decide({ principal: root(OTHER), resourcePolicies: [rpFor(OTHER)] })).toBe('Allowed');
  });
  it('resourceAccount overrides the caller account', () => {
    expect(decide({ identityPolicies: [allowId()], resourceAccount: OTHER })).toBe('ImplicitDeny');
    expect(decide({ identityPolicies: [allowId()], resourceAccount: ACCT })).toBe('Allowed');
  });
  it('trust policies must allow explicitly, also in the same account', () => {
    const assume = {
      principal: alice,
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${ACCT}:role/r`,
      resourcePolicyKind: 'trust' as const,
    };
    const idAllow = stmt({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' });
    const t = authorize(request({ ...assume, identityPolicies: [idAllow] }));
    expect([t.decision, t.decidedBy]).toEqual(['ImplicitDeny', 'trust']);
    const trust = (aws: string) =>
      named(
        {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: aws }, Action: 'sts:AssumeRole' }],
        },
        'resource',
      );
    expect(decide({ ...assume, resourcePolicies: [trust(alice.arn)] })).toBe('Allowed');
    expect(decide({ ...assume, resourcePolicies: [trust(ACCT)] })).toBe('ImplicitDeny');
    expect(decide({ ...assume, resourcePolicies: [trust(ACCT)], identityPolicies: [idAllow] })).toBe(
      'Allowed',
    );
    expect(decide({ ...assume, principal: root(), resourcePolicies: [] })).toBe('ImplicitDeny');
  });
  it('anonymous and service callers: only a resource policy can allow', () => {
    const anon: CallerPrincipal = { kind: 'Anonymous', arn: 'anonymous' };
    expect(decide({ principal: anon })).toBe('ImplicitDeny');
    expect(decide({ principal: anon, resourcePolicies: [rpFor(ACCT)] })).toBe('ImplicitDeny');
    expect(decide({ principal: anon, resourcePolicies: [rpFor('*')] })).toBe('Allowed');
    const svc: CallerPrincipal = { kind: 'Service', arn: 'ses.amazonaws.com', service: 'ses.amazonaws.com' };
    const rp = named(
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ses.amazonaws.com' }, ...SEND }],
      },
      'resource',
    );
    expect(decide({ principal: svc, resourcePolicies: [rp] })).toBe('Allowed');
    expect(decide({ principal: svc, resourcePolicies: [rpFor(ACCT)] })).toBe('ImplicitDeny');
  });
  it('sts:GetCallerIdentity is never denied', () => {
    expect(
      decide({
        action: 'sts:GetCallerIdentity',
        resource: '*',
        identityPolicies: [stmt({ Effect: 'Deny', Action: '*', Resource: '*' })],
      }),
    ).toBe('Allowed');
  });
  it('deny on doubt: an internal error is an ImplicitDeny carrying the error', () => {
    const broken = named({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    (broken.policy.statements[0]!.conditions as unknown[]).push({
      operator: 'Bogus',
      base: 'Bogus',
      ifExists: false,
      key: 'k',
      values: ['a'],
    });
    const d = authorize(request({ identityPolicies: [broken] }));
    expect(d.decision).toBe('ImplicitDeny');
    expect(d.error).toBe('Unknown condition operator: Bogus');
    const d2 = authorize(request({ identityPolicies: [null as unknown as NamedPolicy] }));
    expect(d2.decision).toBe('ImplicitDeny');
    expect(d2.error).toBeTruthy();
  });
});
