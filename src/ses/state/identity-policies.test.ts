import { describe, expect, it } from 'vitest';
import { namedPolicies } from './identity-policies.js';

const allow =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"ses:SendEmail","Resource":"*"}]}';

describe('namedPolicies', () => {
  it('turns stored policies into resource policies named identity/policy, keeping their text', () => {
    const out = namedPolicies('example.com', [{ name: 'partner', policy: allow }]);
    expect(out.map((p) => [p.id, p.source, p.text])).toEqual([['example.com/partner', 'resource', allow]]);
    expect(out[0]!.policy.statements.map((s) => [s.effect, s.action, s.resource])).toEqual([
      ['Allow', ['ses:SendEmail'], ['*']],
    ]);
  });

  it('makes a stored policy that no longer parses a deny-all, never an allow', () => {
    const [p] = namedPolicies('a@example.com', [{ name: 'broken', policy: '{not json' }]);
    expect(p!.id).toBe('a@example.com/broken');
    expect(p!.text).toBe('{not json');
    expect(p!.policy.statements).toEqual([
      {
        index: 0,
        effect: 'Deny',
        principal: { wildcard: true, aws: [], service: [], federated: [], canonicalUser: [] },
        action: ['*'],
        resource: ['*'],
        conditions: [],
      },
    ]);
  });

  it('keeps the stored order and reads nothing: no policies, none out', () => {
    expect(namedPolicies('x.org', [])).toEqual([]);
    const out = namedPolicies('x.org', [
      { name: 'b', policy: allow },
      { name: 'a', policy: allow },
    ]);
    expect(out.map((p) => p.id)).toEqual(['x.org/b', 'x.org/a']);
  });
});
