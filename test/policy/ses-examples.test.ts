// The example policies of the SES developer guide (control-user-access), each with an allowed and
// a denied request (docs/spec/ses.md §0).
import { describe, expect, it } from 'vitest';
import type { RequestContext } from '../../src/policy/request.js';
import { ACCT, IDENTITY_ARN, decide, named } from './helpers.js';

const NOW = '2026-03-01T10:00:00Z';
const send = (ctx: RequestContext = {}, action = 'ses:SendEmail', resource = IDENTITY_ARN) => ({
  action,
  resource,
  context: { 'aws:CurrentTime': NOW, 'ses:ApiVersion': '2', ...ctx },
});
const policy = (statements: unknown[]) => [named({ Version: '2012-10-17', Statement: statements })];

describe('SES documentation example policies', () => {
  it('full access: ses:* on *', () => {
    const p = policy([{ Effect: 'Allow', Action: ['ses:*'], Resource: '*' }]);
    expect(decide({ identityPolicies: p, ...send({}, 'ses:GetSendStatistics', '*') })).toBe('Allowed');
    expect(decide({ identityPolicies: p, ...send({}, 'sesv2:SendEmail') })).toBe('ImplicitDeny');
  });
  it('API version 2 only', () => {
    const p = policy([
      {
        Effect: 'Allow',
        Action: ['ses:*'],
        Resource: '*',
        Condition: { StringEquals: { 'ses:ApiVersion': '2' } },
      },
    ]);
    expect(decide({ identityPolicies: p, ...send({ 'ses:ApiVersion': '2' }) })).toBe('Allowed');
    expect(decide({ identityPolicies: p, ...send({ 'ses:ApiVersion': '1' }) })).toBe('ImplicitDeny');
  });
  it('send actions only', () => {
    const p = policy([{ Effect: 'Allow', Action: ['ses:SendEmail', 'ses:SendRawEmail'], Resource: '*' }]);
    expect(decide({ identityPolicies: p, ...send({}, 'ses:SendRawEmail') })).toBe('Allowed');
    expect(decide({ identityPolicies: p, ...send({}, 'ses:GetSendStatistics', '*') })).toBe('ImplicitDeny');
  });
  it('time window written 2018-08-31T12:00Z: valid, and denies a 2026 request', () => {
    const window = (from: string, to: string) =>
      policy([
        {
          Effect: 'Allow',
          Action: ['ses:SendEmail', 'ses:SendRawEmail'],
          Resource: '*',
          Condition: {
            DateGreaterThan: { 'aws:CurrentTime': from },
            DateLessThan: { 'aws:CurrentTime': to },
          },
        },
      ]);
    expect(decide({ identityPolicies: window('2018-08-31T12:00Z', '2018-09-01T12:00Z'), ...send() })).toBe(
      'ImplicitDeny',
    );
    expect(
      decide({
        identityPolicies: window('2018-08-31T12:00Z', '2018-09-01T12:00Z'),
        ...send({ 'aws:CurrentTime': '2018-08-31T18:00:00Z' }),
      }),
    ).toBe('Allowed');
    expect(decide({ identityPolicies: window('2026-03-01T00:00Z', '2026-03-02T00:00Z'), ...send() })).toBe(
      'Allowed',
    );
  });
  it('recipients limited with ForAllValues:StringLike', () => {
    const p = policy([
      {
        Effect: 'Allow',
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Resource: '*',
        Condition: { 'ForAllValues:StringLike': { 'ses:Recipients': ['*@example.com'] } },
      },
    ]);
    expect(
      decide({ identityPolicies: p, ...send({ 'ses:Recipients': ['a@example.com', 'b@example.com'] }) }),
    ).toBe('Allowed');
    expect(
      decide({ identityPolicies: p, ...send({ 'ses:Recipients': ['a@example.com', 'bcc@other.org'] }) }),
    ).toBe('ImplicitDeny');
    expect(decide({ identityPolicies: p, ...send({ 'ses:Recipients': ['a@EXAMPLE.com'] }) })).toBe(
      'ImplicitDeny',
    ); // case-sensitive
  });
  it('From address', () => {
    const p = policy([
      {
        Effect: 'Allow',
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Resource: '*',
        Condition: { StringEquals: { 'ses:FromAddress': 'marketing@example.com' } },
      },
    ]);
    expect(decide({ identityPolicies: p, ...send({ 'ses:FromAddress': 'marketing@example.com' }) })).toBe(
      'Allowed',
    );
    expect(decide({ identityPolicies: p, ...send({ 'ses:FromAddress': 'ceo@example.com' }) })).toBe(
      'ImplicitDeny',
    );
  });
  it('SendBounce From address', () => {
    const p = policy([
      {
        Effect: 'Allow',
        Action: ['ses:SendBounce'],
        Resource: '*',
        Condition: { StringEquals: { 'ses:FromAddress': 'bounce@example.com' } },
      },
    ]);
    expect(
      decide({ identityPolicies: p, ...send({ 'ses:FromAddress': 'bounce@example.com' }, 'ses:SendBounce') }),
    ).toBe('Allowed');
    expect(
      decide({ identityPolicies: p, ...send({ 'ses:FromAddress': 'other@example.com' }, 'ses:SendBounce') }),
    ).toBe('ImplicitDeny');
    expect(
      decide({ identityPolicies: p, ...send({ 'ses:FromAddress': 'bounce@example.com' }, 'ses:SendEmail') }),
    ).toBe('ImplicitDeny');
  });
  it('display name (StringLike "Marketing" without wildcard matches exactly)', () => {
    const p = policy([
      {
        Effect: 'Allow',
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Resource: '*',
        Condition: { StringLike: { 'ses:FromDisplayName': 'Marketing' } },
      },
    ]);
    expect(decide({ identityPolicies: p, ...send({ 'ses:FromDisplayName': 'Marketing' }) })).toBe('Allowed');
    expect(decide({ identityPolicies: p, ...send({ 'ses:FromDisplayName': 'Marketing Team' }) })).toBe(
      'ImplicitDeny',
    );
    expect(decide({ identityPolicies: p, ...send() })).toBe('ImplicitDeny');
  });
  it('feedback address', () => {
    const p = policy([
      {
        Effect: 'Allow',
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Resource: '*',
        Condition: { StringEquals: { 'ses:FeedbackAddress': 'feedback@example.com' } },
      },
    ]);
    expect(decide({ identityPolicies: p, ...send({ 'ses:FeedbackAddress': 'feedback@example.com' }) })).toBe(
      'Allowed',
    );
    expect(decide({ identityPolicies: p, ...send({ 'ses:FeedbackAddress': 'bounces@example.com' }) })).toBe(
      'ImplicitDeny',
    );
  });
  it('Resource limited to an identity ARN', () => {
    const p = policy([
      { Effect: 'Allow', Action: ['ses:SendEmail', 'ses:SendRawEmail'], Resource: IDENTITY_ARN },
    ]);
    expect(decide({ identityPolicies: p, ...send() })).toBe('Allowed');
    expect(
      decide({
        identityPolicies: p,
        ...send({}, 'ses:SendEmail', `arn:aws:ses:us-east-1:${ACCT}:identity/other.com`),
      }),
    ).toBe('ImplicitDeny');
  });
  it('two statements: non-send actions on *, send actions on identity ARNs', () => {
    const p = policy([
      { Effect: 'Allow', Action: ['ses:GetSendQuota', 'ses:ListIdentities'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Resource: [IDENTITY_ARN, `arn:aws:ses:us-east-1:${ACCT}:identity/sender@example.org`],
      },
    ]);
    expect(decide({ identityPolicies: p, ...send({}, 'ses:ListIdentities', '*') })).toBe('Allowed');
    expect(
      decide({
        identityPolicies: p,
        ...send({}, 'ses:SendRawEmail', `arn:aws:ses:us-east-1:${ACCT}:identity/sender@example.org`),
      }),
    ).toBe('Allowed');
    expect(
      decide({
        identityPolicies: p,
        ...send({}, 'ses:SendRawEmail', `arn:aws:ses:us-east-1:${ACCT}:identity/x.org`),
      }),
    ).toBe('ImplicitDeny');
    expect(decide({ identityPolicies: p, ...send({}, 'ses:GetSendStatistics', '*') })).toBe('ImplicitDeny');
  });
});
