import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  hasOnlyAllowedPolicyCharacters,
  inlineAggregateLimitMessage,
  measurePolicy,
  policySize,
  POLICY_SIZE_LIMITS,
  INLINE_POLICY_AGGREGATE_LIMITS,
} from './limits.js';

describe('policySize', () => {
  it('does not count whitespace outside strings', () => {
    expect(policySize('{ "a" :\n\t[ 1 ,\r\n 2 ] }')).toBe('{"a":[1,2]}'.length);
  });

  it('counts whitespace inside strings, also after escaped quotes', () => {
    expect(policySize('{"a b": "x \\" y"}')).toBe('{"a b":"x \\" y"}'.length);
    expect(policySize('["\\\\", " "]')).toBe('["\\\\"," "]'.length);
  });

  it('equals the length of the compact JSON for any pretty-printed document', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 1, 2, '\t'), (v, indent) => {
        expect(policySize(JSON.stringify(v, null, indent))).toBe(JSON.stringify(v).length);
      }),
    );
  });

  it('measures SES policies by their text, IAM ones without whitespace', () => {
    expect(measurePolicy('{ }', 'resource')).toBe(3);
    expect(measurePolicy('{ }', 'identity')).toBe(2);
  });
});

describe('limits', () => {
  it('has the documented size per policy type', () => {
    expect(Object.fromEntries(Object.entries(POLICY_SIZE_LIMITS).map(([k, v]) => [k, v.max]))).toEqual({
      identity: 6144,
      boundary: 6144,
      trust: 2048,
      session: 2048,
      resource: 4096,
      scp: 5120,
    });
    expect(INLINE_POLICY_AGGREGATE_LIMITS).toEqual({ user: 2048, group: 5120, role: 10240 });
  });

  it('words the inline aggregate limit as IAM does', () => {
    expect(inlineAggregateLimitMessage('role', 'app')).toBe(
      'Maximum policy size of 10240 bytes exceeded for role app',
    );
    expect(inlineAggregateLimitMessage('user', 'bob')).toBe(
      'Maximum policy size of 2048 bytes exceeded for user bob',
    );
  });
});

describe('hasOnlyAllowedPolicyCharacters', () => {
  it('allows TAB, LF, CR and U+0020–U+00FF', () => {
    expect(hasOnlyAllowedPolicyCharacters('\t\n\r ~\u007f\u00e9\u00ff')).toBe(true);
  });
  it.each([['\u0000'], ['\u001f'], ['\u0100'], ['\u20ac'], ['\u{1F600}']])('rejects %j', (c) => {
    expect(hasOnlyAllowedPolicyCharacters(`{"a":"${c}"}`)).toBe(false);
  });
});
