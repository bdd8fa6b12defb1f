// AWS's example policies of "Identity and access management in Amazon SES" (docs/spec/ses.md §0) that limit
// actions, API version, time and resources, attached to an IAM user of a real Sesame and exercised
// through SES v1 and v2: the call each allows and the call each denies (exact code, HTTP status and
// message, docs/spec/ses.md §3.7). The address-key examples are in ses-policy-address-keys.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetSendQuotaCommand,
  GetSendStatisticsCommand,
  ListIdentitiesCommand,
  SendRawEmailCommand,
  VerifyEmailIdentityCommand,
} from '@aws-sdk/client-ses';
import {
  GetAccountCommand,
  ListEmailIdentitiesCommand,
  SendEmailCommand as V2SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { ListUsersCommand } from '@aws-sdk/client-iam';
import { startTestServer } from '../support/server.js';
import {
  errorOf,
  genericDenied,
  identityArn,
  mime,
  policyHarness,
  queryErrorOf,
} from '../support/ses-fixtures.js';

const h = policyHarness();
beforeAll(() => h.setup(startTestServer));
afterAll(() => h.teardown());

describe('full access (ses:* on *)', () => {
  it('allows sends and management calls on both APIs', async () => {
    const { c } = await h.userWith({ Effect: 'Allow', Action: ['ses:*'], Resource: '*' });
    await h.expectSent(h.send1(c, { from: 'a@example.com' }));
    await h.expectSent(h.send2(c, { from: 'a@example.com' }));
    expect((await c.v1.send(new GetSendQuotaCommand({}))).MaxSendRate).toBe(1000);
    expect(Array.isArray((await c.v1.send(new GetSendStatisticsCommand({}))).SendDataPoints)).toBe(true);
    expect((await c.v2.send(new GetAccountCommand({}))).ProductionAccessEnabled).toBe(true);
  });
  it('does not reach IAM (ses:* is not iam:*)', async () => {
    const { arn, c } = await h.userWith({ Effect: 'Allow', Action: ['ses:*'], Resource: '*' });
    const e = await errorOf(c.iam.send(new ListUsersCommand({})));
    expect(e.name).toBe('AccessDenied');
    expect(e.status).toBe(403);
    expect(e.message).toContain(`User: ${arn} is not authorized to perform: iam:ListUsers`);
  });
});

describe('API v2 only (StringEquals ses:ApiVersion "2")', () => {
  const v2only = {
    Effect: 'Allow',
    Action: ['ses:*'],
    Resource: '*',
    Condition: { StringEquals: { 'ses:ApiVersion': '2' } },
  };
  it('denies every v1 call and allows the same calls through v2', async () => {
    const { arn, c } = await h.userWith(v2only);
    await h.expectSendDenied(1, h.send1(c, { from: 'a@example.com' }), arn, 'ses:SendEmail');
    expect(await queryErrorOf(h.send1(c, { from: 'a@example.com' }))).toEqual({
      code: 'AccessDenied',
      type: 'Sender',
      status: 403,
    });
    expect(await errorOf(c.v1.send(new GetSendQuotaCommand({})))).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: genericDenied(arn, 'ses:GetSendQuota'),
    });
    await h.expectSent(h.send2(c, { from: 'a@example.com' }));
    await h.expectSent(
      c.v2.send(
        new V2SendEmailCommand({
          Content: { Raw: { Data: mime({ From: 'a@example.com', To: 'to@example.com' }) } },
        }),
      ),
    );
    expect((await c.v2.send(new GetAccountCommand({}))).SendingEnabled).toBe(true);
  });
  it('"1" instead of "2" turns it around', async () => {
    const { arn, c } = await h.userWith({
      ...v2only,
      Condition: { StringEquals: { 'ses:ApiVersion': '1' } },
    });
    await h.expectSent(h.send1(c, { from: 'a@example.com' }));
    await h.expectSendDenied(2, h.send2(c, { from: 'a@example.com' }), arn, 'ses:SendEmail');
  });
});

describe('send only (ses:SendEmail, ses:SendRawEmail on *)', () => {
  const sendOnly = { Effect: 'Allow', Action: ['ses:SendEmail', 'ses:SendRawEmail'], Resource: '*' };
  it('allows SendEmail and raw sends on both APIs', async () => {
    const { c } = await h.userWith(sendOnly);
    await h.expectSent(h.send1(c, { from: 'a@example.com' }));
    await h.expectSent(h.send2(c, { from: 'a@example.com' }));
    await h.expectSent(
      c.v1.send(
        new SendRawEmailCommand({ RawMessage: { Data: mime({ From: 'a@example.com', To: 'b@x.org' }) } }),
      ),
    );
    await h.expectSent(
      c.v2.send(
        new V2SendEmailCommand({
          Content: { Raw: { Data: mime({ From: 'a@example.com', To: 'b@x.org' }) } },
        }),
      ),
    );
  });
  it('denies GetSendStatistics, GetSendQuota, GetAccount and listings with the generic message', async () => {
    const { arn, c } = await h.userWith(sendOnly);
    const v1Calls = [
      [() => c.v1.send(new GetSendStatisticsCommand({})), 'ses:GetSendStatistics'],
      [() => c.v1.send(new GetSendQuotaCommand({})), 'ses:GetSendQuota'],
      [() => c.v1.send(new ListIdentitiesCommand({})), 'ses:ListIdentities'],
    ] as const;
    for (const [call, action] of v1Calls)
      expect(await errorOf(call())).toEqual({
        name: 'AccessDenied',
        status: 403,
        message: genericDenied(arn, action),
      });
    const v2Calls = [
      [() => c.v2.send(new GetAccountCommand({})), 'ses:GetAccount'],
      [() => c.v2.send(new ListEmailIdentitiesCommand({})), 'ses:ListEmailIdentities'],
    ] as const;
    for (const [call, action] of v2Calls)
      expect(await errorOf(call())).toEqual({
        name: 'AccessDeniedException',
        status: 403,
        message: genericDenied(arn, action),
      });
  });
  it('SendEmail alone does not allow raw sends (v2 Raw is ses:SendRawEmail)', async () => {
    const { arn, c } = await h.userWith({ ...sendOnly, Action: ['ses:SendEmail'] });
    await h.expectSent(h.send2(c, { from: 'a@example.com' }));
    await h.expectSendDenied(
      2,
      c.v2.send(
        new V2SendEmailCommand({
          Content: { Raw: { Data: mime({ From: 'a@example.com', To: 'b@x.org' }) } },
        }),
      ),
      arn,
      'ses:SendRawEmail',
    );
    await h.expectSendDenied(
      1,
      c.v1.send(
        new SendRawEmailCommand({ RawMessage: { Data: mime({ From: 'a@example.com', To: 'b@x.org' }) } }),
      ),
      arn,
      'ses:SendRawEmail',
    );
  });
});

describe('time window (DateGreaterThan / DateLessThan aws:CurrentTime)', () => {
  const window = (from: string, to: string) => ({
    Effect: 'Allow',
    Action: ['ses:SendEmail', 'ses:SendRawEmail'],
    Resource: '*',
    Condition: { DateGreaterThan: { 'aws:CurrentTime': from }, DateLessThan: { 'aws:CurrentTime': to } },
  });
  it('a past window (2018-04-01 12:00-13:00Z) denies on both APIs', async () => {
    const { arn, c } = await h.userWith(window('2018-04-01T12:00:00Z', '2018-04-01T13:00:00Z'));
    await h.expectSendDenied(1, h.send1(c, { from: 'a@example.com' }), arn, 'ses:SendEmail');
    await h.expectSendDenied(2, h.send2(c, { from: 'a@example.com' }), arn, 'ses:SendEmail');
  });
  it('a window around now allows on both APIs', async () => {
    const now = Date.now();
    const iso = (t: number) => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
    const { c } = await h.userWith(window(iso(now - 3600_000), iso(now + 3600_000)));
    await h.expectSent(h.send1(c, { from: 'a@example.com' }));
    await h.expectSent(h.send2(c, { from: 'a@example.com' }));
  });
  it('a future window denies', async () => {
    const { arn, c } = await h.userWith(window('2999-01-01T00:00:00Z', '2999-01-02T00:00:00Z'));
    await h.expectSendDenied(2, h.send2(c, { from: 'a@example.com' }), arn, 'ses:SendEmail');
  });
});

describe('Resource limited to an identity ARN', () => {
  const limited = { Effect: 'Allow', Action: ['ses:SendEmail', 'ses:SendRawEmail'], Resource: [h.domainArn] };
  it('allows addresses the domain identity covers', async () => {
    const { c } = await h.userWith(limited);
    await h.expectSent(h.send1(c, { from: 'a@example.com' }));
    await h.expectSent(h.send2(c, { from: 'a@example.com' }));
  });
  it('denies another identity, naming it', async () => {
    const { arn, c } = await h.userWith(limited);
    await h.expectSendDenied(1, h.send1(c, { from: 'a@other.org' }), arn, 'ses:SendEmail', h.otherArn);
    await h.expectSendDenied(2, h.send2(c, { from: 'a@other.org' }), arn, 'ses:SendEmail', h.otherArn);
  });
  it('a verified address identity is the resource for its own address, not the domain', async () => {
    const { arn, c } = await h.userWith(limited);
    const senderArn = identityArn(h.account, 'sender@example.com');
    await h.expectSendDenied(2, h.send2(c, { from: 'sender@example.com' }), arn, 'ses:SendEmail', senderArn);
  });
  it('denies the Return-Path identity when it is another identity', async () => {
    const { arn, c } = await h.userWith(limited);
    await h.expectSendDenied(
      1,
      h.send1(c, { from: 'a@example.com', feedback: 'fb@other.org' }),
      arn,
      'ses:SendEmail',
      h.otherArn,
    );
  });
});

describe('two statements: management on *, sends on the identity ARN', () => {
  const twoStatements = [
    {
      Effect: 'Allow',
      Action: ['ses:GetSendQuota', 'ses:GetAccount', 'ses:ListIdentities', 'ses:VerifyEmailIdentity'],
      Resource: '*',
    },
    { Effect: 'Allow', Action: ['ses:SendEmail', 'ses:SendRawEmail'], Resource: h.domainArn },
  ];
  it('allows the listed management calls and sends from the identity', async () => {
    const { c } = await h.userWith(...twoStatements);
    expect((await c.v1.send(new GetSendQuotaCommand({}))).Max24HourSend).toBe(50000);
    expect((await c.v2.send(new GetAccountCommand({}))).SendQuota?.Max24HourSend).toBe(50000);
    expect((await c.v1.send(new ListIdentitiesCommand({}))).Identities).toContain('example.com');
    await c.v1.send(new VerifyEmailIdentityCommand({ EmailAddress: 'new@third.net' }));
    await h.expectSent(h.send1(c, { from: 'a@example.com' }));
    await h.expectSent(h.send2(c, { from: 'a@example.com' }));
  });
  it('denies other management calls and sends from other identities', async () => {
    const { arn, c } = await h.userWith(...twoStatements);
    expect(await errorOf(c.v1.send(new GetSendStatisticsCommand({})))).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: genericDenied(arn, 'ses:GetSendStatistics'),
    });
    await h.expectSendDenied(2, h.send2(c, { from: 'a@other.org' }), arn, 'ses:SendEmail', h.otherArn);
  });
  it('with the send actions on * instead, management-only statement still cannot send', async () => {
    const { arn, c } = await h.userWith(twoStatements[0]!);
    await h.expectSendDenied(1, h.send1(c, { from: 'a@example.com' }), arn, 'ses:SendEmail');
  });
});
