import { describe, expect, it } from 'vitest';
import {
  contextColumn,
  contextForPeople,
  MAX_CONTEXT_BYTES,
  MAX_LIST_VALUES,
  MAX_VALUE_CHARS,
  parseContextColumn,
  recordContext,
} from './request-context.js';

const GLOBAL = { 'aws:sourceip': '10.0.0.1', 'aws:principaltag/team': 'mail', 'aws:username': 'alice' };

describe('recorded request context', () => {
  it('keeps the keys lower-cased, as the engine compares them, each check with its own keys', () => {
    const rec = recordContext(GLOBAL, [
      { action: 'ses:SendEmail', resource: '*', context: { 'ses:FromAddress': 'a@example.com' } },
      { action: 'ses:SendEmail', resource: 'arn:x', resourceAccount: '222233334444', resourcePolicies: [] },
    ]);
    expect(rec).toEqual({
      keys: { 'aws:sourceip': '10.0.0.1', 'aws:principaltag/team': 'mail', 'aws:username': 'alice' },
      checks: [
        { action: 'ses:SendEmail', resource: '*', keys: { 'ses:fromaddress': 'a@example.com' } },
        { action: 'ses:SendEmail', resource: 'arn:x', resourceAccount: '222233334444' },
      ],
    });
  });

  it('stores no key the record’s columns hold, and gives them back spelled as AWS does', () => {
    const rec = recordContext(
      {
        ...GLOBAL,
        'aws:currenttime': '2026-01-02T03:04:05Z',
        'aws:epochtime': '1767323045',
        'aws:principalaccount': '111122223333',
        'aws:requestedregion': 'eu-west-1',
      },
      [
        { action: 'a:b', resource: 'r1', resourceAccount: '111122223333' },
        {
          action: 'a:b',
          resource: 'r2',
          resourceAccount: '444455556666',
          context: { 'aws:RequestTag/Team': 'x' },
        },
      ],
    );
    const text = contextColumn(rec)!;
    expect(text).not.toContain('currenttime');
    expect(text).not.toContain('epochtime');
    expect(text).not.toContain('111122223333');
    expect(text).not.toContain('eu-west-1');
    const origin = {
      eventTime: Date.parse('2026-01-02T03:04:05.678Z'),
      accountId: '111122223333',
      region: 'eu-west-1',
    };
    expect(contextForPeople(text, origin)).toEqual({
      keys: {
        'aws:CurrentTime': '2026-01-02T03:04:05Z',
        'aws:EpochTime': '1767323045',
        'aws:PrincipalAccount': '111122223333',
        'aws:RequestedRegion': 'eu-west-1',
        'aws:SourceIp': '10.0.0.1',
        'aws:PrincipalTag/team': 'mail',
        'aws:username': 'alice',
      },
      checks: [
        { action: 'a:b', resource: 'r1', resourceAccount: '111122223333' },
        {
          action: 'a:b',
          resource: 'r2',
          resourceAccount: '444455556666',
          keys: { 'aws:RequestTag/team': 'x' },
        },
      ],
    });
  });

  it('keeps only the name of a key that may hold a secret', () => {
    const rec = recordContext(GLOBAL, [
      { action: 'sts:AssumeRole', resource: 'r', context: { 'sts:ExternalId': 'pass phrase' } },
    ]);
    expect(rec.redacted).toEqual(['sts:externalid']);
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
    expect(rec.keys['aws:useragent']).toHaveLength(MAX_VALUE_CHARS);
    expect(rec.checks[0]!.keys!['ses:recipients']).toHaveLength(MAX_LIST_VALUES);
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
