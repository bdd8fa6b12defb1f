// AWS's example policies of "Identity and access management in Amazon SES" (docs/spec/ses.md §0) on the address
// condition keys — ses:Recipients, ses:FromAddress (also for SendBounce), ses:FromDisplayName,
// ses:FeedbackAddress — through SES v1 and v2, allowed and denied (docs/spec/ses.md §1.3, §3.7).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { SendBounceCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { startTestServer } from '../support/server.js';
import { mime, policyHarness } from '../support/ses-fixtures.js';

const h = policyHarness();
beforeAll(() => h.setup(startTestServer));
afterAll(() => h.teardown());

describe('recipients (ForAllValues:StringLike ses:Recipients "*@example.com")', () => {
  const recipients = {
    Effect: 'Allow',
    Action: ['ses:SendEmail', 'ses:SendRawEmail'],
    Resource: '*',
    Condition: { 'ForAllValues:StringLike': { 'ses:Recipients': ['*@example.com'] } },
  };
  it('allows To/Cc/Bcc all in example.com', async () => {
    const { c } = await h.userWith(recipients);
    const s = { from: 'a@example.com', to: ['t@example.com'], cc: ['c@example.com'], bcc: ['b@example.com'] };
    await h.expectSent(h.send1(c, s));
    await h.expectSent(h.send2(c, s));
  });
  it('one Bcc outside example.com denies the whole message', async () => {
    const { arn, c } = await h.userWith(recipients);
    const s = { from: 'a@example.com', to: ['t@example.com'], bcc: ['spy@other.org'] };
    await h.expectSendDenied(1, h.send1(c, s), arn, 'ses:SendEmail');
    await h.expectSendDenied(2, h.send2(c, s), arn, 'ses:SendEmail');
  });
  it('matching is case-sensitive (T@EXAMPLE.COM does not match)', async () => {
    const { arn, c } = await h.userWith(recipients);
    await h.expectSendDenied(
      2,
      h.send2(c, { from: 'a@example.com', to: ['T@EXAMPLE.COM'] }),
      arn,
      'ses:SendEmail',
    );
  });
  it('raw v1 send: the Destinations parameter decides, not the headers', async () => {
    const { arn, c } = await h.userWith(recipients);
    const raw = mime({ From: 'a@example.com', To: 'visible@example.com' });
    await h.expectSent(c.v1.send(new SendRawEmailCommand({ RawMessage: { Data: raw } })));
    await h.expectSendDenied(
      1,
      c.v1.send(
        new SendRawEmailCommand({
          RawMessage: { Data: raw },
          Destinations: ['visible@example.com', 'hidden@other.org'],
        }),
      ),
      arn,
      'ses:SendRawEmail',
    );
  });
});

describe('From address (StringEquals ses:FromAddress)', () => {
  const fromAddress = {
    Effect: 'Allow',
    Action: ['ses:SendEmail', 'ses:SendRawEmail'],
    Resource: '*',
    Condition: { StringEquals: { 'ses:FromAddress': 'marketing@example.com' } },
  };
  it('allows that From, also with a display name', async () => {
    const { c } = await h.userWith(fromAddress);
    await h.expectSent(h.send1(c, { from: 'marketing@example.com' }));
    await h.expectSent(h.send2(c, { from: 'Team <marketing@example.com>' }));
  });
  it('denies any other From on both APIs', async () => {
    const { arn, c } = await h.userWith(fromAddress);
    await h.expectSendDenied(1, h.send1(c, { from: 'sales@example.com' }), arn, 'ses:SendEmail');
    await h.expectSendDenied(2, h.send2(c, { from: 'sales@example.com' }), arn, 'ses:SendEmail');
  });
});

describe('SendBounce (ses:SendBounce with StringEquals ses:FromAddress "bounce@example.com"; v1 only)', () => {
  const bounce = {
    Effect: 'Allow',
    Action: ['ses:SendBounce'],
    Resource: '*',
    Condition: { StringEquals: { 'ses:FromAddress': 'bounce@example.com' } },
  };
  const bounceInput = (sender: string) => ({
    OriginalMessageId: '0100017f00000000-00000000-0000-0000-0000-000000000000-000000',
    BounceSender: sender,
    BouncedRecipientInfoList: [{ Recipient: 'gone@example.com', BounceType: 'DoesNotExist' as const }],
  });
  it('allows a bounce from bounce@example.com', async () => {
    const { c } = await h.userWith(bounce);
    await h.expectSent(c.v1.send(new SendBounceCommand(bounceInput('bounce@example.com'))));
  });
  it('denies a bounce from another sender, and denies SendEmail', async () => {
    const { arn, c } = await h.userWith(bounce);
    await h.expectSendDenied(
      1,
      c.v1.send(new SendBounceCommand(bounceInput('postmaster@example.com'))),
      arn,
      'ses:SendBounce',
    );
    await h.expectSendDenied(1, h.send1(c, { from: 'bounce@example.com' }), arn, 'ses:SendEmail');
  });
});

describe('display name (StringLike ses:FromDisplayName "Marketing")', () => {
  const display = {
    Effect: 'Allow',
    Action: ['ses:SendEmail', 'ses:SendRawEmail'],
    Resource: '*',
    Condition: { StringLike: { 'ses:FromDisplayName': 'Marketing' } },
  };
  it('allows Source `"Marketing" <m@example.com>` on both APIs', async () => {
    const { c } = await h.userWith(display);
    await h.expectSent(h.send1(c, { from: '"Marketing" <m@example.com>' }));
    await h.expectSent(h.send2(c, { from: '"Marketing" <m@example.com>' }));
    await h.expectSent(
      c.v1.send(
        new SendRawEmailCommand({
          RawMessage: { Data: mime({ From: 'Marketing <m@example.com>', To: 'b@x.org' }) },
        }),
      ),
    );
    // An RFC 2047 encoded-word display name is decoded before matching.
    await h.expectSent(
      c.v1.send(
        new SendRawEmailCommand({
          RawMessage: { Data: mime({ From: '=?UTF-8?B?TWFya2V0aW5n?= <m@example.com>', To: 'b@x.org' }) },
        }),
      ),
    );
  });
  it('denies another display name, a name that only contains it, and no display name', async () => {
    const { arn, c } = await h.userWith(display);
    await h.expectSendDenied(1, h.send1(c, { from: '"Sales" <m@example.com>' }), arn, 'ses:SendEmail');
    await h.expectSendDenied(
      2,
      h.send2(c, { from: '"Marketing Team" <m@example.com>' }),
      arn,
      'ses:SendEmail',
    );
    await h.expectSendDenied(2, h.send2(c, { from: 'm@example.com' }), arn, 'ses:SendEmail');
  });
});

describe('feedback address (StringEquals ses:FeedbackAddress)', () => {
  const feedback = {
    Effect: 'Allow',
    Action: ['ses:SendEmail', 'ses:SendRawEmail'],
    Resource: '*',
    Condition: { StringEquals: { 'ses:FeedbackAddress': 'feedback@example.com' } },
  };
  it('allows v1 ReturnPath / v2 FeedbackForwardingEmailAddress feedback@example.com', async () => {
    const { c } = await h.userWith(feedback);
    await h.expectSent(h.send1(c, { from: 'a@example.com', feedback: 'feedback@example.com' }));
    await h.expectSent(h.send2(c, { from: 'a@example.com', feedback: 'feedback@example.com' }));
  });
  it('denies another feedback address, and none (feedback falls back to the From)', async () => {
    const { arn, c } = await h.userWith(feedback);
    await h.expectSendDenied(
      1,
      h.send1(c, { from: 'a@example.com', feedback: 'other@example.com' }),
      arn,
      'ses:SendEmail',
    );
    await h.expectSendDenied(1, h.send1(c, { from: 'a@example.com' }), arn, 'ses:SendEmail');
    await h.expectSendDenied(
      2,
      h.send2(c, { from: 'a@example.com', feedback: 'other@example.com' }),
      arn,
      'ses:SendEmail',
    );
  });
});
