import { describe, expect, it } from 'vitest';
import {
  contextColumn,
  MAX_CONTEXT_BYTES,
  MAX_LIST_VALUES,
  MAX_VALUE_CHARS,
  parseContextColumn,
  recordContext,
} from './request-context.js';

const GLOBAL = { 'aws:sourceip': '10.0.0.1', 'aws:principaltag/team': 'mail', 'aws:username': 'alice' };

describe('recorded request context', () => {
  it('spells the global keys as AWS does and keeps each check with its own keys', () => {
    const rec = recordContext(GLOBAL, [
      { action: 'ses:SendEmail', resource: '*', context: { 'ses:FromAddress': 'a@example.com' } },
      { action: 'ses:SendEmail', resource: 'arn:x', resourceAccount: '222233334444', resourcePolicies: [] },
    ]);
    expect(rec).toEqual({
      keys: { 'aws:SourceIp': '10.0.0.1', 'aws:PrincipalTag/team': 'mail', 'aws:username': 'alice' },
      checks: [
        { action: 'ses:SendEmail', resource: '*', keys: { 'ses:FromAddress': 'a@example.com' } },
        { action: 'ses:SendEmail', resource: 'arn:x', resourceAccount: '222233334444' },
      ],
    });
  });

  it('keeps only the name of a key that may hold a secret', () => {
    const rec = recordContext(GLOBAL, [
      { action: 'sts:AssumeRole', resource: 'r', context: { 'sts:ExternalId': 'pass phrase' } },
    ]);
    expect(rec.redacted).toEqual(['sts:ExternalId']);
    expect(JSON.stringify(rec)).not.toContain('pass phrase');
  });

  it('cuts long values and long lists, and says so', () => {
    const rec = recordContext({ 'aws:useragent': 'u'.repeat(5000) }, [
      {
        action: 'ses:SendEmail',
        resource: '*',
        context: { 'ses:Recipients': Array.from({ length: 150 }, (_, i) => `r${i}@example.com`) },
      },
    ]);
    expect(rec.truncated).toBe(true);
    expect(rec.keys['aws:UserAgent']).toHaveLength(MAX_VALUE_CHARS);
    expect(rec.checks[0]!.keys!['ses:Recipients']).toHaveLength(MAX_LIST_VALUES);
    const plain = recordContext(GLOBAL, [{ action: 'a:b', resource: '*' }]);
    expect(plain.truncated).toBeUndefined();
  });

  it('the column stays within its bound: checks lose their keys first, then the checks beyond one', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      action: 'ses:SendEmail',
      resource: `arn:aws:ses:us-east-1:111122223333:identity/d${i}.example.com`,
      context: { 'ses:Recipients': Array.from({ length: 20 }, (_, j) => `someone${j}@example.com`) },
    }));
    const text = contextColumn(recordContext(GLOBAL, many))!;
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_CONTEXT_BYTES);
    const back = parseContextColumn(text)!;
    expect(back.truncated).toBe(true);
    expect(back.checks).toHaveLength(40);
    expect(back.checks.every((c) => c.keys === undefined)).toBe(true);
    const huge = Array.from({ length: 400 }, (_, i) => ({
      action: 'a:b',
      resource: `r${'x'.repeat(60)}${i}`,
    }));
    const last = parseContextColumn(contextColumn(recordContext(GLOBAL, huge)))!;
    expect(last).toEqual({
      keys: {},
      checks: [{ action: 'a:b', resource: huge[0]!.resource }],
      truncated: true,
    });
    expect(contextColumn(undefined)).toBeNull();
    expect(parseContextColumn('{not json')).toBeNull();
  });
});
