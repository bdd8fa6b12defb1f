// Every recorded IAM answer (identity policies: 78 rejected with their exact message, 54 accepted)
// must be Sesame's answer too. The fixture is a copy of the IAM validation verdicts recorded against AWS (moto's Apache-2.0 test data).

import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { validatePolicy } from '../../src/policy/validate.js';

interface Vectors {
  invalid: { document: unknown; error: string }[];
  valid: unknown[];
}

const vectors = JSON.parse(
  readFileSync(new URL('./fixtures/iam-policy-validation.json', import.meta.url), 'utf8'),
) as Vectors;
// "A 'document' that is a string is sent as that exact text; an object is sent as its JSON."
const text = (doc: unknown): string => (typeof doc === 'string' ? doc : JSON.stringify(doc));

describe('IAM recorded validation vectors', () => {
  it('has the expected number of vectors', () => {
    expect(vectors.invalid).toHaveLength(78);
    expect(vectors.valid).toHaveLength(54);
  });

  describe('rejected by IAM with this exact message', () => {
    it.each(vectors.invalid.map((v, i) => [i, v.error, v.document] as const))('#%i: %s', (_i, error, doc) => {
      const r = validatePolicy(text(doc), 'identity');
      expect(r.ok ? 'accepted' : { code: r.error.code, message: r.error.message }).toEqual({
        code: 'MalformedPolicyDocument',
        message: error,
      });
    });
  });

  describe('accepted by IAM', () => {
    it.each(vectors.valid.map((doc, i) => [i, doc] as const))('#%i', (_i, doc) => {
      const r = validatePolicy(text(doc), 'identity');
      expect(r.ok ? 'accepted' : r.error).toBe('accepted');
    });
  });

  it('accepts the valid vectors pretty-printed too (whitespace is not significant)', () => {
    for (const doc of vectors.valid)
      expect(validatePolicy(JSON.stringify(doc, null, 4), 'identity').ok).toBe(true);
  });
});
