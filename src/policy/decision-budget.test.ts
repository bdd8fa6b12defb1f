// Issue 14, finding 2 (policies): one decision's matching work is bounded. The largest realistic
// set of sending-authorization policies (20 of ~4 KB, recipient patterns of every common shape)
// against 50 recipients fits in half the budget (it needs about a third); the red team's set is denied at once.
import { describe, expect, it } from 'vitest';
import { authorize, DECISION_MATCH_BUDGET } from './authorize.js';
import { createPolicyCache } from './cache.js';
import { parsePolicy } from './parse.js';
import type { AuthorizationRequest, NamedPolicy } from './request.js';

const ACCT = '111122223333';
const ID = `arn:aws:ses:us-east-1:${ACCT}:identity/example.com`;

/** Policies of about 3.9 KB each, every one allowing sends whose recipients match `patterns(i)`. */
function policies(patterns: (policy: number) => string[], effect = 'Allow'): NamedPolicy[] {
  return Array.from({ length: 20 }, (_, i) => {
    const text = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: effect,
          Principal: { AWS: `arn:aws:iam::${ACCT}:user/alice` },
          Action: 'ses:SendEmail',
          Resource: ID,
          Condition: { 'ForAnyValue:StringLike': { 'ses:Recipients': patterns(i) } },
        },
      ],
    });
    expect(text.length).toBeLessThanOrEqual(4096);
    const r = parsePolicy(text);
    if (!r.ok) throw new Error('parse');
    return { id: `p${i}`, source: 'resource' as const, policy: r.policy, text };
  });
}

function request(resourcePolicies: NamedPolicy[], recipients: string[]): AuthorizationRequest {
  return {
    principal: { kind: 'User', arn: `arn:aws:iam::${ACCT}:user/alice`, accountId: ACCT },
    action: 'ses:SendEmail',
    resource: ID,
    context: { 'ses:recipients': recipients },
    identityPolicies: [],
    resourcePolicies,
  };
}

/** Realistic shapes, filled up to ~3.9 KB per policy, none matching the recipients below. */
function realistic(i: number): string[] {
  const shapes = (k: number) => [
    `*@partner${i}-${k}.example`,
    `sales+*@shop${i}-${k}.example`,
    `team-${i}-${k}-*@example.org`,
    `*-${i}-${k}-?@lists.example`,
    `*ops*${i}x${k}*`,
    `alerts-${i}-${k}@example.net`,
  ];
  const out: string[] = [];
  for (let k = 0; JSON.stringify(out).length < 3500; k++) out.push(...shapes(k));
  return out;
}

// 50 recipients of 64-character local parts (RFC 5321's maximum) that match nothing above.
const recipients = Array.from(
  { length: 50 },
  (_, i) => `${'r'.repeat(60)}${String(i).padStart(4, '0')}@mail.example`,
);

describe('the matching budget of one decision', () => {
  it('the largest realistic policy set fits in half the budget (it needs about a third)', () => {
    const d = authorize(request(policies(realistic), recipients), {
      cache: createPolicyCache(),
      matchBudget: DECISION_MATCH_BUDGET / 2,
    });
    expect(d.error).toBeUndefined();
    expect(d.decision).toBe('ImplicitDeny'); // nothing matched: the same-account user has no grant
    const allowed = authorize(request(policies(realistic), [...recipients, 'x@partner3-2.example']), {
      cache: createPolicyCache(),
      matchBudget: DECISION_MATCH_BUDGET / 2,
    });
    expect(allowed).toMatchObject({ decision: 'Allowed', decidedBy: 'resource' });
  });

  it("the red team's policies (ForAnyValue:StringLike `*(a{63}?){3}zz…*`) are denied on doubt, quickly", () => {
    const hostile = `*${`${'a'.repeat(63)}?`.repeat(3)}${'z'.repeat(20)}*`;
    const set = policies(() => Array.from({ length: 17 }, () => hostile));
    const longRecipients = Array.from({ length: 50 }, (_, i) => `${'a'.repeat(300)}${i}@example.com`);
    const t = performance.now();
    const d = authorize(request(set, longRecipients), { cache: createPolicyCache() });
    const ms = performance.now() - t;
    expect(d).toMatchObject({
      decision: 'ImplicitDeny',
      error: 'a wildcard match exceeded its linear budget',
    });
    // It used to take 2.3 s of CPU per decision; now the first quadratic match stops it.
    expect(ms).toBeLessThan(250);
  });

  it('a Deny statement with such a pattern denies too (deny on doubt either way)', () => {
    const hostile = `*${`${'a'.repeat(63)}?`.repeat(3)}${'z'.repeat(20)}*`;
    const set = [...policies(() => ['*']).slice(0, 1), ...policies(() => [hostile], 'Deny').slice(0, 1)];
    const d = authorize(request(set, [`${'a'.repeat(300)}@example.com`]), { cache: createPolicyCache() });
    expect(d.decision).toBe('ImplicitDeny');
    expect(d.error).toBe('a wildcard match exceeded its linear budget');
  });

  it('sheer volume is bounded too: every value × pattern pair is charged', () => {
    const many = policies(() => Array.from({ length: 450 }, (_, k) => `x${k}*`));
    const values = Array.from({ length: 2500 }, (_, i) => `v${i}@example.com`);
    const d = authorize(request(many, values), { cache: createPolicyCache() });
    expect(d).toMatchObject({
      decision: 'ImplicitDeny',
      error: 'policy evaluation exceeded its matching budget',
    });
  });
});
