import { describe, expect, it } from 'vitest';
import { compilePrincipal, matchPrincipal } from './principal-match.js';
import type { CallerPrincipal } from './request.js';
import type { PrincipalSpec } from './types.js';

const spec = (aws: string[], extra: Partial<PrincipalSpec> = {}): PrincipalSpec => ({
  wildcard: false,
  aws,
  service: [],
  federated: [],
  canonicalUser: [],
  ...extra,
});
const A = '111122223333';
const alice: CallerPrincipal = { kind: 'User', arn: `arn:aws:iam::${A}:user/alice`, accountId: A };
const sess: CallerPrincipal = {
  kind: 'AssumedRole',
  arn: `arn:aws:sts::${A}:assumed-role/r/s`,
  accountId: A,
  roleArn: `arn:aws:iam::${A}:role/p/r`,
};

describe('matchPrincipal', () => {
  it('kinds: direct, capped (role), account', () => {
    expect(matchPrincipal(compilePrincipal(spec([alice.arn])), alice)).toBe('direct');
    expect(matchPrincipal(compilePrincipal(spec([`arn:aws:iam::${A}:user/Alice`])), alice)).toBeNull();
    expect(matchPrincipal(compilePrincipal(spec([sess.roleArn!])), sess)).toBe('capped');
    expect(matchPrincipal(compilePrincipal(spec([sess.arn])), sess)).toBe('direct');
    expect(matchPrincipal(compilePrincipal(spec([A])), alice)).toBe('account');
    expect(matchPrincipal(compilePrincipal(spec([`arn:aws:iam::${A}:root`])), sess)).toBe('account');
    expect(matchPrincipal(compilePrincipal(spec(['999999999999'])), alice)).toBeNull();
  });
  it('the strongest kind wins when several entries match', () => {
    expect(matchPrincipal(compilePrincipal(spec([A, sess.roleArn!, sess.arn])), sess)).toBe('direct');
  });
  it('wildcards and services', () => {
    expect(matchPrincipal(compilePrincipal(spec(['*'])), alice)).toBe('direct');
    expect(
      matchPrincipal(compilePrincipal({ ...spec([]), wildcard: true }), {
        kind: 'Anonymous',
        arn: 'anonymous',
      }),
    ).toBe('direct');
    const svc: CallerPrincipal = { kind: 'Service', arn: 'ses.amazonaws.com', service: 'ses.amazonaws.com' };
    expect(matchPrincipal(compilePrincipal(spec([], { service: ['ses.amazonaws.com'] })), svc)).toBe(
      'direct',
    );
    expect(matchPrincipal(compilePrincipal(spec([A], { service: ['sns.amazonaws.com'] })), svc)).toBeNull();
  });
});
