import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lintPolicy } from './lint.js';
import type { PolicyType } from './types.js';

const BASE = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Send',
        Effect: 'Allow',
        Principal: { AWS: '123456789012' },
        Action: ['ses:SendEmail', 'ses:Send*'],
        Resource: 'arn:aws:ses:us-east-1:111122223333:identity/example.com',
        Condition: {
          'ForAllValues:StringLike': { 'ses:Recipients': ['*@example.com'] },
          IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
        },
      },
    ],
  },
  null,
  2,
);
const TYPES: PolicyType[] = ['identity', 'resource', 'trust', 'boundary', 'session', 'scp'];
const SNIPPETS = [
  '"',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '*',
  'ses:',
  'ForAnyValue:',
  '"aws:x"',
  '\u2709',
  '\n',
  '${',
];

describe('lintPolicy under editing (property)', () => {
  it('any edit of a policy yields sorted findings, errors alone or none, and never throws', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: BASE.length }),
        fc.nat({ max: 20 }),
        fc.array(fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 3 })), { maxLength: 4 }),
        fc.constantFrom(...TYPES),
        (at, cut, inserts, type) => {
          const text = BASE.slice(0, at) + inserts.join('') + BASE.slice(at + cut);
          const findings = lintPolicy(text, type);
          const errors = findings.filter((f) => f.severity === 'error');
          // Validation errors come alone (IAM reports one); lint runs only on valid documents.
          expect(errors.length === 0 || findings.length === 1).toBe(true);
          for (const f of findings) expect(f.code).not.toBe('lint-failed');
          const keys = findings.map((f) => (f.line ?? 0) * 1e6 + (f.column ?? 0));
          expect([...keys].sort((a, b) => a - b)).toEqual(keys);
        },
      ),
      { numRuns: 400 },
    );
  });
});
