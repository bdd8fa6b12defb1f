import { describe, expect, it } from 'vitest';
import { authorize, arnAccount } from './authorize.js';
import { createPolicyCache } from './cache.js';
import { parsePolicy } from './parse.js';
import type { AuthorizationRequest, NamedPolicy } from './request.js';

const ACCT = '111122223333';
const ID = `arn:aws:ses:us-east-1:${ACCT}:identity/example.com`;
const TEXT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Send',
      Effect: 'Allow',
      Action: 'ses:Send*',
      Resource: ID,
      Condition: {
        StringEquals: { 'ses:FromAddress': 'a@example.com' },
        StringLike: { 'ses:FromDisplayName': 'M*' },
      },
    },
    {
      Sid: 'NoBcc',
      Effect: 'Deny',
      Action: 'ses:SendRawEmail',
      Resource: '*',
      Condition: { 'ForAnyValue:StringLike': { 'ses:Recipients': '*@evil.com' } },
    },
    {
      Sid: 'Other',
      Effect: 'Allow',
      Action: 's3:*',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'true' } },
    },
  ],
});
function namedPolicy(id = 'alice-inline'): NamedPolicy {
  const r = parsePolicy(TEXT);
  if (!r.ok) throw new Error('parse');
  return { id, source: 'user', policy: r.policy, text: TEXT };
}
function req(context: AuthorizationRequest['context'], explain = true): AuthorizationRequest {
  return {
    principal: { kind: 'User', arn: `arn:aws:iam::${ACCT}:user/alice`, accountId: ACCT },
    action: 'ses:SendRawEmail',
    resource: ID,
    context,
    identityPolicies: [namedPolicy()],
    explain,
  };
}

describe('explanations', () => {
  it('an allow lists the allowing statements', () => {
    const d = authorize(
      req({
        'ses:FromAddress': 'a@example.com',
        'ses:FromDisplayName': 'Mkt',
        'ses:Recipients': ['x@example.com'],
      }),
    );
    expect(d.decision).toBe('Allowed');
    expect(d.decidedBy).toBe('identity');
    expect(d.matched).toEqual([
      {
        policyId: 'alice-inline',
        source: 'user',
        policyType: 'identity',
        sid: 'Send',
        index: 0,
        effect: 'Allow',
      },
    ]);
    expect(d.perType).toEqual({ identity: 'Allow', resource: 'NotApplicable' });
    expect(d.failedConditions).toEqual([
      {
        policyId: 'alice-inline',
        sid: 'NoBcc',
        index: 1,
        operator: 'ForAnyValue:StringLike',
        key: 'ses:Recipients',
        policyValues: ['*@evil.com'],
        requestValue: ['x@example.com'],
      },
    ]);
    expect(d.missingContextKeys).toEqual([]);
  });
  it('an explicit deny lists only the deny statements', () => {
    const d = authorize(
      req({
        'ses:FromAddress': 'a@example.com',
        'ses:FromDisplayName': 'Mkt',
        'ses:Recipients': ['x@evil.com'],
      }),
    );
    expect(d.decision).toBe('ExplicitDeny');
    expect(d.matched.map((m) => [m.sid, m.effect])).toEqual([['NoBcc', 'Deny']]);
  });
  it('reports the failing clause with the request value, and missing keys of statements that could apply', () => {
    const d = authorize(req({ 'ses:FromAddress': 'b@example.com' }));
    expect(d.decision).toBe('ImplicitDeny');
    expect(d.matched).toEqual([]);
    expect(d.failedConditions[0]).toEqual({
      policyId: 'alice-inline',
      sid: 'Send',
      index: 0,
      operator: 'StringEquals',
      key: 'ses:FromAddress',
      policyValues: ['a@example.com'],
      requestValue: 'b@example.com',
    });
    expect(d.missingContextKeys).toEqual(['ses:FromDisplayName', 'ses:Recipients']);
  });
  it('reports every failed condition of a statement, the missing key without a request value', () => {
    const d = authorize(req({ 'ses:FromAddress': 'b@example.com' }));
    expect(d.decision).toBe('ImplicitDeny');
    expect(d.failedConditions.filter((f) => f.sid === 'Send')).toEqual([
      {
        policyId: 'alice-inline',
        sid: 'Send',
        index: 0,
        operator: 'StringEquals',
        key: 'ses:FromAddress',
        policyValues: ['a@example.com'],
        requestValue: 'b@example.com',
      },
      {
        policyId: 'alice-inline',
        sid: 'Send',
        index: 0,
        operator: 'StringLike',
        key: 'ses:FromDisplayName',
        policyValues: ['M*'],
      },
    ]);
    // Explaining never changes the decision: the same request without explain.
    expect(authorize(req({ 'ses:FromAddress': 'b@example.com' }, false)).decision).toBe('ImplicitDeny');
  });
  it('without explain the trace parts stay empty but the decision is the same', () => {
    const d = authorize(req({ 'ses:FromAddress': 'b@example.com' }, false));
    expect(d.decision).toBe('ImplicitDeny');
    expect(d.failedConditions).toEqual([]);
    expect(d.missingContextKeys).toEqual([]);
  });
});

describe('compiled policy cache', () => {
  it('compiles the same content once, whatever the object', () => {
    const cache = createPolicyCache();
    const a = cache.compiled(namedPolicy().policy, 'identity', TEXT);
    const b = cache.compiled(namedPolicy().policy, 'identity', TEXT);
    expect(a).toBe(b);
    expect(cache.size).toBe(1);
    const c = cache.compiled(namedPolicy().policy, 'identity');
    const d = cache.compiled(namedPolicy().policy, 'identity');
    expect(c).toBe(d);
    expect(cache.size).toBe(2);
    expect(cache.compiled(namedPolicy().policy, 'boundary', TEXT)).not.toBe(a);
  });
  it('evicts the least recently used entry past its bound', () => {
    const cache = createPolicyCache(2);
    const mk = (n: number) => ({
      version: '2012-10-17',
      statements: [
        { index: 0, effect: 'Allow' as const, action: [`ses:A${n}`], resource: ['*'], conditions: [] },
      ],
    });
    const p1 = mk(1);
    cache.compiled(p1, 'identity');
    cache.compiled(mk(2), 'identity');
    cache.compiled(mk(3), 'identity');
    expect(cache.size).toBe(2);
  });
  it('binds statement records once per NamedPolicy', () => {
    const cache = createPolicyCache();
    const n = namedPolicy();
    expect(cache.bind(n, 'identity')).toBe(cache.bind(n, 'identity'));
    const d1 = authorize(req({ 'ses:FromAddress': 'a@example.com', 'ses:FromDisplayName': 'M' }, false), {
      cache,
    });
    expect(d1.decision).toBe('Allowed');
  });
});

describe('arnAccount', () => {
  it('reads a 12-digit account field only', () => {
    expect(arnAccount(ID)).toBe(ACCT);
    expect(arnAccount('arn:aws:s3:::bucket')).toBeUndefined();
    expect(arnAccount('*')).toBeUndefined();
  });
});
