import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { authorize } from '../policy/index.js';
import { explainDecision, formatExplanation } from './policy-explain.js';
import { buildRequest, type RequestOptions } from './policy-input.js';

const ID = 'arn:aws:ses:us-east-1:111122223333:identity/example.com';
const ALICE = 'arn:aws:iam::111122223333:user/alice';
let dir = '';
const file = (name: string): string => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sesame-explain-'));
  writeFileSync(
    file('send.json'),
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Send',
          Effect: 'Allow',
          Action: 'ses:SendRawEmail',
          Resource: '*',
          Condition: {
            StringEquals: { 'ses:FromAddress': 'marketing@example.com' },
            'ForAllValues:StringLike': { 'ses:Recipients': '*@example.com' },
            Bool: { 'aws:SecureTransport': 'true' },
          },
        },
        {
          Sid: 'NoEvil',
          Effect: 'Deny',
          Action: 'ses:Send*',
          Resource: '*',
          Condition: { 'ForAnyValue:StringLike': { 'ses:Recipients': '*@evil.com' } },
        },
      ],
    }),
  );
});

const explain = (context: string[], extra: Partial<RequestOptions> = {}) => {
  const req = buildRequest({
    policy: [file('send.json')],
    action: 'ses:SendRawEmail',
    resource: ID,
    principal: ALICE,
    context,
    ...extra,
  });
  return explainDecision(req, authorize(req));
};

describe('policy explain', () => {
  it('implicit deny: every condition of the statement is evaluated, not only the first false one', () => {
    const e = explain(['ses:FromAddress=other@example.com', 'ses:Recipients=["a@example.com"]']);
    expect(formatExplanation(e).split('\n')).toEqual([
      'Decision: ImplicitDeny',
      'Implicitly denied: no statement of the identity-based policy allows ses:SendRawEmail on arn:aws:ses:us-east-1:111122223333:identity/example.com for this request.',
      `Request: ${ALICE} -> ses:SendRawEmail on ${ID}`,
      'Per type: resource=NotApplicable identity=ImplicitDeny',
      'Statements:',
      `  Allow ${file('send.json')} statement 0 (Send) [identity] does not apply: a condition is false`,
      '    false StringEquals ses:FromAddress ["marketing@example.com"], request value "other@example.com"',
      '    true  ForAllValues:StringLike ses:Recipients ["*@example.com"], request value ["a@example.com"]',
      '    false Bool aws:SecureTransport ["true"], request value missing',
      `  Deny ${file('send.json')} statement 1 (NoEvil) [identity] does not apply: a condition is false`,
      '    false ForAnyValue:StringLike ses:Recipients ["*@evil.com"], request value ["a@example.com"]',
      'Missing context keys: aws:SecureTransport (absent from the request; pass them with --context)',
      `Message: User \`${ALICE}' is not authorized to perform \`ses:SendRawEmail' on resource \`${ID}'`,
    ]);
  });
  it('explicit deny names the denying statement and the generic AWS message for non-send actions', () => {
    const e = explain(['ses:Recipients=["a@example.com","b@evil.com"]'], { action: 'ses:SendBounce' });
    expect(e).toMatchObject({
      decision: 'ExplicitDeny',
      decidedBy: 'identity',
      statements: [
        {
          policyType: 'identity',
          index: 1,
          sid: 'NoEvil',
          effect: 'Deny',
          applied: true,
          conditions: [
            {
              operator: 'ForAnyValue:StringLike',
              key: 'ses:Recipients',
              policyValues: ['*@evil.com'],
              requestValue: ['a@example.com', 'b@evil.com'],
              result: true,
            },
          ],
        },
      ],
      message: `User \`${ALICE}' is not authorized to perform \`ses:SendBounce' on resource \`${ID}'`,
    });
    const g = explain([], { action: 'ses:DeleteIdentity' });
    expect(g.message).toBe(
      `User: ${ALICE} is not authorized to perform: ses:DeleteIdentity on resource: ${ID} because no identity-based policy allows the ses:DeleteIdentity action`,
    );
    expect(g.statements).toEqual([]);
  });
  it('allowed: the allowing statement with its true conditions, no message', () => {
    const e = explain([
      'ses:FromAddress=marketing@example.com',
      'ses:Recipients=a@example.com',
      'ses:Recipients=b@example.com',
      'aws:SecureTransport=true',
    ]);
    expect(e.decision).toBe('Allowed');
    expect(e.message).toBeUndefined();
    expect(e.summary).toBe('Allowed by a statement of the identity-based policy, and nothing denies it.');
    expect(e.statements.map((s) => [s.index, s.applied, s.conditions.map((c) => c.result)])).toEqual([
      [0, true, [true, true, true]],
      [1, false, [false]],
    ]);
  });
});

describe('policy explain: lint notes', () => {
  it('a statement that failed because of a lint-worthy mistake says so', () => {
    writeFileSync(
      file('plain.json'),
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'ses:SendRawEmail',
            Resource: '*',
            Condition: { StringLike: { 'ses:Recipients': '*@example.com' } },
          },
        ],
      }),
    );
    const req = buildRequest({
      policy: [file('plain.json')],
      action: 'ses:SendRawEmail',
      resource: ID,
      principal: ALICE,
      context: ['ses:Recipients=["a@example.com"]'],
    });
    const lines = formatExplanation(explainDecision(req, authorize(req))).split('\n');
    expect(lines.slice(5, 8)).toEqual([
      `  Allow ${file('plain.json')} statement 0 [identity] does not apply: a condition is false`,
      '    false StringLike ses:Recipients ["*@example.com"], request value ["a@example.com"]',
      '    note: single-valued-operator-on-multivalued-key: ses:Recipients is multivalued (every To, Cc and Bcc address of the message), and StringLike without ForAllValues:/ForAnyValue: matches no request that carries it: this Allow never grants anything for those requests. Use "ForAllValues:StringLike" to require every value to match, or "ForAnyValue:StringLike" for at least one.',
    ]);
  });
  it('no notes for a statement without warnings', () => {
    const e = explain(['ses:FromAddress=x@example.com']);
    expect(e.statements.map((s) => s.notes)).toEqual([undefined, undefined]);
  });
});
