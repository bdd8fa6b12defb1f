import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { call, callError, testContext } from '../test-context.js';
import type { CallContext } from '../../api/operation.js';
import { sesV2Operations as v2 } from './index.js';
import { sesV1Operations as v1 } from '../v1/index.js';
import { decideProductionAccess } from '../state/account.js';

let seq = 0;
const nextAccount = () => String(333333333333 + ++seq * 1000);
const policyFor = (ctx: CallContext, identity: string, effect = 'Allow') =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: effect,
        Principal: { AWS: '222222222222' },
        Action: 'ses:SendEmail',
        Resource: `arn:aws:ses:${ctx.region}:${ctx.caller.accountId}:identity/${identity}`,
      },
    ],
  });

describe.each(testDialects())('SES v2 on %s', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => store.close());
  const ctx = (config = {}) => testContext(store, { accountId: nextAccount(), apiVersion: '2', config });

  describe('email identities', () => {
    it('creates a domain with three DKIM tokens and refuses it twice', async () => {
      const c = ctx();
      const out = await call(v2, 'CreateEmailIdentity', c, { EmailIdentity: 'example.com' });
      expect(out).toMatchObject({
        IdentityType: 'DOMAIN',
        VerifiedForSendingStatus: true,
        DkimAttributes: { SigningEnabled: true, Status: 'SUCCESS' },
      });
      expect(out.DkimAttributes.Tokens).toHaveLength(3);
      expect(await callError(v2, 'CreateEmailIdentity', c, { EmailIdentity: 'example.com' })).toEqual({
        code: 'AlreadyExistsException',
        status: 400,
        message: 'Email identity example.com already exist.',
      });
    });

    it('creates an email identity Pending in email mode and reports it', async () => {
      const c = ctx({ verification: 'email' });
      expect(
        await call(v2, 'CreateEmailIdentity', c, {
          EmailIdentity: 'ann@example.com',
          Tags: [{ Key: 'k', Value: 'v' }],
        }),
      ).toMatchObject({
        IdentityType: 'EMAIL_ADDRESS',
        VerifiedForSendingStatus: false,
      });
      expect(await call(v2, 'GetEmailIdentity', c, { EmailIdentity: 'ann@example.com' })).toMatchObject({
        IdentityType: 'EMAIL_ADDRESS',
        FeedbackForwardingStatus: true,
        VerifiedForSendingStatus: false,
        VerificationStatus: 'PENDING',
        MailFromAttributes: { BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
        Policies: {},
        Tags: [{ Key: 'k', Value: 'v' }],
      });
      expect(await call(v2, 'ListEmailIdentities', c, {})).toEqual({
        EmailIdentities: [
          {
            IdentityType: 'EMAIL_ADDRESS',
            IdentityName: 'ann@example.com',
            SendingEnabled: false,
            VerificationStatus: 'PENDING',
          },
        ],
      });
    });

    it('answers unknown identities with 404 NotFoundException and bad names with 400', async () => {
      const c = ctx();
      expect(await callError(v2, 'GetEmailIdentity', c, { EmailIdentity: 'nobody@example.com' })).toEqual({
        code: 'NotFoundException',
        status: 404,
        message: 'Email identity nobody@example.com does not exist.',
      });
      expect(
        await callError(v2, 'DeleteEmailIdentity', c, { EmailIdentity: 'nobody@example.com' }),
      ).toMatchObject({ code: 'NotFoundException', status: 404 });
      expect(
        await callError(v2, 'CreateEmailIdentity', c, { EmailIdentity: 'bad address@x.com' }),
      ).toMatchObject({ code: 'BadRequestException', status: 400 });
      expect(
        await callError(v2, 'PutEmailIdentityDkimAttributes', c, {
          EmailIdentity: 'nope.com',
          SigningEnabled: true,
        }),
      ).toEqual({
        code: 'BadRequestException',
        status: 400,
        message: 'Domain nope.com is not verified for DKIM signing.',
      });
    });

    it('puts DKIM, feedback, MAIL FROM and configuration-set attributes', async () => {
      const c = ctx();
      await call(v2, 'CreateEmailIdentity', c, { EmailIdentity: 'example.com' });
      await call(v2, 'PutEmailIdentityDkimAttributes', c, {
        EmailIdentity: 'example.com',
        SigningEnabled: false,
      });
      await call(v2, 'PutEmailIdentityMailFromAttributes', c, {
        EmailIdentity: 'example.com',
        MailFromDomain: 'mail.example.com',
        BehaviorOnMxFailure: 'REJECT_MESSAGE',
      });
      expect(
        await callError(v2, 'PutEmailIdentityConfigurationSetAttributes', c, {
          EmailIdentity: 'example.com',
          ConfigurationSetName: 'cs',
        }),
      ).toEqual({
        code: 'NotFoundException',
        status: 404,
        message: 'Configuration set <cs> does not exist.',
      });
      await call(v2, 'CreateConfigurationSet', c, { ConfigurationSetName: 'cs' });
      await call(v2, 'PutEmailIdentityConfigurationSetAttributes', c, {
        EmailIdentity: 'example.com',
        ConfigurationSetName: 'cs',
      });
      expect(
        await callError(v2, 'PutEmailIdentityFeedbackAttributes', c, {
          EmailIdentity: 'example.com',
          EmailForwardingEnabled: false,
        }),
      ).toMatchObject({ code: 'BadRequestException' });
      const got = await call(v2, 'GetEmailIdentity', c, { EmailIdentity: 'example.com' });
      expect(got).toMatchObject({
        DkimAttributes: { SigningEnabled: false },
        MailFromAttributes: {
          MailFromDomain: 'mail.example.com',
          MailFromDomainStatus: 'SUCCESS',
          BehaviorOnMxFailure: 'REJECT_MESSAGE',
        },
        ConfigurationSetName: 'cs',
      });
      // v1 sees the same MAIL FROM settings in its own words.
      expect(
        await call(v1, 'GetIdentityMailFromDomainAttributes', c, { Identities: ['example.com'] }),
      ).toEqual({
        MailFromDomainAttributes: {
          'example.com': {
            MailFromDomain: 'mail.example.com',
            MailFromDomainStatus: 'Success',
            BehaviorOnMXFailure: 'RejectMessage',
          },
        },
      });
    });
  });

  describe('identity policies', () => {
    it('create / get / update / delete with the AlreadyExists and NotFound texts', async () => {
      const c = ctx();
      await call(v2, 'CreateEmailIdentity', c, { EmailIdentity: 'example.com' });
      const p = policyFor(c, 'example.com');
      const base = { EmailIdentity: 'example.com', PolicyName: 'AllowPartner' };
      expect(await call(v2, 'CreateEmailIdentityPolicy', c, { ...base, Policy: p })).toEqual({});
      expect(await callError(v2, 'CreateEmailIdentityPolicy', c, { ...base, Policy: p })).toEqual({
        code: 'AlreadyExistsException',
        status: 400,
        message: 'Policy <AllowPartner> already exists',
      });
      expect(await call(v2, 'GetEmailIdentityPolicies', c, { EmailIdentity: 'example.com' })).toEqual({
        Policies: { AllowPartner: p },
      });
      // Update and Delete succeed whatever the name (SES v2 API reference): Update writes it.
      expect(
        await call(v2, 'UpdateEmailIdentityPolicy', c, { ...base, PolicyName: 'Other', Policy: p }),
      ).toEqual({});
      await call(v2, 'UpdateEmailIdentityPolicy', c, {
        ...base,
        Policy: policyFor(c, 'example.com', 'Deny'),
      });
      const stored = (await call(v2, 'GetEmailIdentity', c, { EmailIdentity: 'example.com' })).Policies;
      expect(Object.keys(stored)).toEqual(['AllowPartner', 'Other']);
      expect(stored.AllowPartner).toBe(policyFor(c, 'example.com', 'Deny'));
      await call(v2, 'DeleteEmailIdentityPolicy', c, base);
      expect(await call(v2, 'DeleteEmailIdentityPolicy', c, base)).toEqual({});
      expect(
        Object.keys(
          (await call(v2, 'GetEmailIdentityPolicies', c, { EmailIdentity: 'example.com' })).Policies,
        ),
      ).toEqual(['Other']);
      expect(
        await callError(v2, 'CreateEmailIdentityPolicy', c, {
          EmailIdentity: 'other.com',
          PolicyName: 'p',
          Policy: p,
        }),
      ).toEqual({
        code: 'NotFoundException',
        status: 404,
        message: 'Email identity other.com does not exist.',
      });
    });

    it('maps validation and limits to BadRequestException / LimitExceededException', async () => {
      const c = ctx();
      await call(v2, 'CreateEmailIdentity', c, { EmailIdentity: 'example.com' });
      const p = policyFor(c, 'example.com');
      expect(
        await callError(v2, 'CreateEmailIdentityPolicy', c, {
          EmailIdentity: 'example.com',
          PolicyName: 'a.b',
          Policy: p,
        }),
      ).toEqual({
        code: 'BadRequestException',
        status: 400,
        message:
          'PolicyName is invalid. Policy names must only include alpha-numeric characters, dashes, and underscores.',
      });
      expect(
        await callError(v2, 'CreateEmailIdentityPolicy', c, {
          EmailIdentity: 'example.com',
          PolicyName: 'p',
          Policy: policyFor(c, 'other.com'),
        }),
      ).toMatchObject({
        code: 'BadRequestException',
        status: 400,
      });
      for (let n = 1; n <= 20; n++)
        await call(v2, 'CreateEmailIdentityPolicy', c, {
          EmailIdentity: 'example.com',
          PolicyName: `p${n}`,
          Policy: p,
        });
      expect(
        await callError(v2, 'CreateEmailIdentityPolicy', c, {
          EmailIdentity: 'example.com',
          PolicyName: 'p21',
          Policy: p,
        }),
      ).toEqual({
        code: 'LimitExceededException',
        status: 400,
        message: 'Number of policies for <example.com> exceeds max allowed number of policies per resource',
      });
    });

    it('shares policies with v1 both ways, and deleting the identity deletes them', async () => {
      const c = ctx();
      await call(v1, 'VerifyEmailIdentity', c, { EmailAddress: 'ann@example.com' });
      const p = policyFor(c, 'ann@example.com');
      await call(v1, 'PutIdentityPolicy', c, {
        Identity: 'ann@example.com',
        PolicyName: 'fromV1',
        Policy: p,
      });
      await call(v2, 'CreateEmailIdentityPolicy', c, {
        EmailIdentity: 'ann@example.com',
        PolicyName: 'fromV2',
        Policy: p,
      });
      expect(await call(v2, 'GetEmailIdentityPolicies', c, { EmailIdentity: 'ann@example.com' })).toEqual({
        Policies: { fromV1: p, fromV2: p },
      });
      expect(await call(v1, 'ListIdentityPolicies', c, { Identity: 'ann@example.com' })).toEqual({
        PolicyNames: ['fromV1', 'fromV2'],
      });
      await call(v2, 'DeleteEmailIdentity', c, { EmailIdentity: 'ann@example.com' });
      expect(await call(v1, 'ListIdentities', c, {})).toEqual({ Identities: [] });
      expect(await call(v1, 'ListIdentityPolicies', c, { Identity: 'ann@example.com' })).toEqual({
        PolicyNames: [],
      });
    });

    it('declares the identity ARN and its policies for authorization', async () => {
      const c = ctx();
      await call(v2, 'CreateEmailIdentity', c, { EmailIdentity: 'example.com' });
      await call(v2, 'CreateEmailIdentityPolicy', c, {
        EmailIdentity: 'example.com',
        PolicyName: 'deny',
        Policy: policyFor(c, 'example.com', 'Deny'),
      });
      const checks = await v2.DeleteEmailIdentity!.authorize!(c, { EmailIdentity: 'example.com' });
      expect(checks).toHaveLength(1);
      expect(checks[0]).toMatchObject({
        action: 'ses:DeleteEmailIdentity',
        resource: `arn:aws:ses:us-east-1:${c.caller.accountId}:identity/example.com`,
      });
      expect(
        checks[0]!.resourcePolicies!.map((p) => [p.id, p.source, p.policy.statements[0]!.effect]),
      ).toEqual([['example.com/deny', 'resource', 'Deny']]);
      expect(await v2.GetAccount!.authorize!(c, {})).toEqual([{ action: 'ses:GetAccount', resource: '*' }]);
      expect(await v2.GetEmailTemplate!.authorize!(c, { TemplateName: 't' })).toEqual([
        {
          action: 'ses:GetEmailTemplate',
          resource: `arn:aws:ses:us-east-1:${c.caller.accountId}:template/t`,
        },
      ]);
      expect(await v2.CreateConfigurationSet!.authorize!(c, { ConfigurationSetName: 'cs' })).toEqual([
        {
          action: 'ses:CreateConfigurationSet',
          resource: `arn:aws:ses:us-east-1:${c.caller.accountId}:configuration-set/cs`,
        },
      ]);
    });
  });

  describe('email templates', () => {
    it('are the v1 templates', async () => {
      const c = ctx();
      await call(v2, 'CreateEmailTemplate', c, {
        TemplateName: 't',
        TemplateContent: { Subject: 'Hi {{n}}', Text: 'x {{n}}' },
      });
      expect(await call(v1, 'GetTemplate', c, { TemplateName: 't' })).toEqual({
        Template: { TemplateName: 't', SubjectPart: 'Hi {{n}}', TextPart: 'x {{n}}' },
      });
      expect(
        await callError(v2, 'CreateEmailTemplate', c, { TemplateName: 't', TemplateContent: {} }),
      ).toEqual({
        code: 'AlreadyExistsException',
        status: 400,
        message: 'Template t already exists.',
      });
      await call(v2, 'UpdateEmailTemplate', c, {
        TemplateName: 't',
        TemplateContent: { Subject: 'Yo {{n}}' },
      });
      expect(await call(v2, 'GetEmailTemplate', c, { TemplateName: 't' })).toEqual({
        TemplateName: 't',
        TemplateContent: { Subject: 'Yo {{n}}' },
        Tags: [],
      });
      expect(
        (await call(v2, 'TestRenderEmailTemplate', c, { TemplateName: 't', TemplateData: '{"n":"Ann"}' }))
          .RenderedTemplate,
      ).toContain('Subject: Yo Ann');
      expect(
        await callError(v2, 'TestRenderEmailTemplate', c, { TemplateName: 't', TemplateData: '{}' }),
      ).toEqual({
        code: 'BadRequestException',
        status: 400,
        message: "Attribute 'n' is not present in the rendering data.",
      });
      expect(await call(v2, 'ListEmailTemplates', c, {})).toEqual({
        TemplatesMetadata: [{ TemplateName: 't', CreatedTimestamp: c.now }],
      });
      await call(v2, 'DeleteEmailTemplate', c, { TemplateName: 't' });
      expect(await callError(v2, 'DeleteEmailTemplate', c, { TemplateName: 't' })).toEqual({
        code: 'NotFoundException',
        status: 404,
        message: 'Template t does not exist.',
      });
      expect(await callError(v2, 'GetEmailTemplate', c, { TemplateName: 't' })).toMatchObject({
        code: 'NotFoundException',
        status: 404,
      });
      expect(await callError(v2, 'ListEmailTemplates', c, { NextToken: 'garbage' })).toMatchObject({
        code: 'BadRequestException',
        status: 400,
      });
    });
  });

  describe('configuration sets', () => {
    it('create with options, get, list, event destinations, Put*Options, delete', async () => {
      const c = ctx();
      await call(v2, 'CreateConfigurationSet', c, {
        ConfigurationSetName: 'cs',
        SendingOptions: { SendingEnabled: false },
        Tags: [{ Key: 'a', Value: 'b' }],
        TrackingOptions: { CustomRedirectDomain: 't.example.com' },
      });
      expect(await callError(v2, 'CreateConfigurationSet', c, { ConfigurationSetName: 'cs' })).toEqual({
        code: 'AlreadyExistsException',
        status: 400,
        message: 'Configuration set <cs> already exists.',
      });
      await call(v2, 'PutConfigurationSetReputationOptions', c, {
        ConfigurationSetName: 'cs',
        ReputationMetricsEnabled: true,
      });
      await call(v2, 'PutConfigurationSetDeliveryOptions', c, {
        ConfigurationSetName: 'cs',
        TlsPolicy: 'REQUIRE',
      });
      await call(v2, 'PutConfigurationSetSuppressionOptions', c, {
        ConfigurationSetName: 'cs',
        SuppressedReasons: ['BOUNCE'],
      });
      expect(await call(v2, 'GetConfigurationSet', c, { ConfigurationSetName: 'cs' })).toEqual({
        ConfigurationSetName: 'cs',
        TrackingOptions: { CustomRedirectDomain: 't.example.com' },
        DeliveryOptions: { TlsPolicy: 'REQUIRE' },
        ReputationOptions: { ReputationMetricsEnabled: true },
        SendingOptions: { SendingEnabled: false },
        SuppressionOptions: { SuppressedReasons: ['BOUNCE'] },
        Tags: [{ Key: 'a', Value: 'b' }],
      });
      await call(v2, 'PutConfigurationSetSendingOptions', c, {
        ConfigurationSetName: 'cs',
        SendingEnabled: true,
      });
      await call(v2, 'PutConfigurationSetTrackingOptions', c, { ConfigurationSetName: 'cs' });
      const got = await call(v2, 'GetConfigurationSet', c, { ConfigurationSetName: 'cs' });
      expect(got.SendingOptions).toEqual({ SendingEnabled: true });
      expect(got.TrackingOptions).toBeUndefined();
      const dest = {
        Enabled: true,
        MatchingEventTypes: ['SEND', 'DELIVERY_DELAY'],
        SnsDestination: { TopicArn: 'arn:aws:sns:us-east-1:111111111111:t' },
      };
      await call(v2, 'CreateConfigurationSetEventDestination', c, {
        ConfigurationSetName: 'cs',
        EventDestinationName: 'ed',
        EventDestination: dest,
      });
      expect(
        await callError(v2, 'CreateConfigurationSetEventDestination', c, {
          ConfigurationSetName: 'cs',
          EventDestinationName: 'ed',
          EventDestination: dest,
        }),
      ).toMatchObject({
        code: 'AlreadyExistsException',
        status: 400,
      });
      expect(
        await call(v2, 'GetConfigurationSetEventDestinations', c, { ConfigurationSetName: 'cs' }),
      ).toEqual({ EventDestinations: [{ Name: 'ed', ...dest }] });
      // v1 sees it without the v2-only event type.
      expect(
        (
          await call(v1, 'DescribeConfigurationSet', c, {
            ConfigurationSetName: 'cs',
            ConfigurationSetAttributeNames: ['eventDestinations'],
          })
        ).EventDestinations,
      ).toEqual([
        {
          Name: 'ed',
          Enabled: true,
          MatchingEventTypes: ['send'],
          SNSDestination: { TopicARN: 'arn:aws:sns:us-east-1:111111111111:t' },
        },
      ]);
      await call(v2, 'UpdateConfigurationSetEventDestination', c, {
        ConfigurationSetName: 'cs',
        EventDestinationName: 'ed',
        EventDestination: { ...dest, Enabled: false },
      });
      expect(
        await callError(v2, 'UpdateConfigurationSetEventDestination', c, {
          ConfigurationSetName: 'cs',
          EventDestinationName: 'zz',
          EventDestination: dest,
        }),
      ).toEqual({
        code: 'NotFoundException',
        status: 404,
        message: 'No EventDestination found for cs',
      });
      await call(v2, 'DeleteConfigurationSetEventDestination', c, {
        ConfigurationSetName: 'cs',
        EventDestinationName: 'ed',
      });
      expect(await call(v2, 'ListConfigurationSets', c, {})).toEqual({ ConfigurationSets: ['cs'] });
      await call(v2, 'DeleteConfigurationSet', c, { ConfigurationSetName: 'cs' });
      expect(await callError(v2, 'GetConfigurationSet', c, { ConfigurationSetName: 'cs' })).toEqual({
        code: 'NotFoundException',
        status: 404,
        message: 'Configuration set <cs> does not exist.',
      });
    });

    it('refuses a destination with no target, several, or an EventBridge bus other than the default, storing nothing', async () => {
      const c = ctx();
      await call(v2, 'CreateConfigurationSet', c, { ConfigurationSetName: 'targets' });
      const sns = { TopicArn: 'arn:aws:sns:us-east-1:111111111111:t' };
      const refused = async (EventDestination: object) =>
        callError(v2, 'CreateConfigurationSetEventDestination', c, {
          ConfigurationSetName: 'targets',
          EventDestinationName: 'ed',
          EventDestination: { MatchingEventTypes: ['SEND'], ...EventDestination },
        });
      expect(await refused({})).toEqual({
        code: 'BadRequestException',
        status: 400,
        message: 'Event destination is not provided.',
      });
      expect(
        await refused({
          SnsDestination: sns,
          CloudWatchDestination: { DimensionConfigurations: [] },
        }),
      ).toEqual({
        code: 'BadRequestException',
        status: 400,
        message:
          'Please provide only one destination with each request. Either a Firehose Destination or a Cloudwatch Destination or an SNS Destination or an EventBridge Destination.',
      });
      const custom = 'arn:aws:events:us-east-1:111111111111:event-bus/custom';
      expect(await refused({ EventBridgeDestination: { EventBusArn: custom } })).toEqual({
        code: 'BadRequestException',
        status: 400,
        message: `Invalid EventBusArn: ${custom}. Only the default event bus is supported.`,
      });
      // v1 takes the same rules, in its own words' shape.
      expect(
        await callError(v1, 'CreateConfigurationSetEventDestination', c, {
          ConfigurationSetName: 'targets',
          EventDestination: { Name: 'ed', MatchingEventTypes: ['send'] },
        }),
      ).toMatchObject({
        code: 'InvalidParameterValue',
        status: 400,
        message: 'Event destination is not provided.',
      });
      expect(
        await call(v2, 'GetConfigurationSetEventDestinations', c, { ConfigurationSetName: 'targets' }),
      ).toEqual({ EventDestinations: [] });
      await call(v2, 'CreateConfigurationSetEventDestination', c, {
        ConfigurationSetName: 'targets',
        EventDestinationName: 'bus',
        EventDestination: {
          MatchingEventTypes: ['SEND'],
          EventBridgeDestination: { EventBusArn: 'arn:aws:events:us-east-1:111111111111:event-bus/default' },
        },
      });
      expect(
        (await call(v2, 'GetConfigurationSetEventDestinations', c, { ConfigurationSetName: 'targets' }))
          .EventDestinations,
      ).toHaveLength(1);
      // An update is held to the same rules, and changes nothing when refused.
      expect(
        await callError(v2, 'UpdateConfigurationSetEventDestination', c, {
          ConfigurationSetName: 'targets',
          EventDestinationName: 'bus',
          EventDestination: { MatchingEventTypes: ['SEND'], SnsDestination: sns, PinpointDestination: {} },
        }),
      ).toMatchObject({ code: 'BadRequestException', status: 400 });
      expect(
        await callError(v1, 'UpdateConfigurationSetEventDestination', c, {
          ConfigurationSetName: 'targets',
          EventDestination: {
            Name: 'bus',
            MatchingEventTypes: ['send'],
            SNSDestination: { TopicARN: sns.TopicArn },
            CloudWatchDestination: { DimensionConfigurations: [] },
          },
        }),
      ).toMatchObject({ code: 'InvalidParameterValue', status: 400 });
      expect(
        (await call(v2, 'GetConfigurationSetEventDestinations', c, { ConfigurationSetName: 'targets' }))
          .EventDestinations[0],
      ).toMatchObject({
        Name: 'bus',
        EventBridgeDestination: { EventBusArn: expect.stringMatching(/default$/) },
      });
    });

    it('limits a set to 10 event destinations', async () => {
      const c = ctx();
      await call(v2, 'CreateConfigurationSet', c, { ConfigurationSetName: 'cs' });
      const dest = {
        MatchingEventTypes: ['SEND'],
        SnsDestination: { TopicArn: 'arn:aws:sns:us-east-1:111111111111:t' },
      };
      for (let n = 0; n < 10; n++)
        await call(v2, 'CreateConfigurationSetEventDestination', c, {
          ConfigurationSetName: 'cs',
          EventDestinationName: `d${n}`,
          EventDestination: dest,
        });
      expect(
        await callError(v2, 'CreateConfigurationSetEventDestination', c, {
          ConfigurationSetName: 'cs',
          EventDestinationName: 'd10',
          EventDestination: dest,
        }),
      ).toMatchObject({
        code: 'LimitExceededException',
        status: 400,
      });
    });
  });

  describe('suppression list', () => {
    it('put, get, list with filters and paging, delete', async () => {
      const c = ctx();
      await call(v2, 'PutSuppressedDestination', c, { EmailAddress: 'a@example.com', Reason: 'BOUNCE' });
      await call(v2, 'PutSuppressedDestination', c, { EmailAddress: 'b@example.com', Reason: 'COMPLAINT' });
      const later = testContext(store, {
        accountId: c.caller.accountId,
        now: new Date('2026-12-01T00:00:00Z'),
      });
      await call(v2, 'PutSuppressedDestination', later, { EmailAddress: 'c@example.com', Reason: 'BOUNCE' });
      expect(await call(v2, 'GetSuppressedDestination', c, { EmailAddress: 'A@example.com' })).toEqual({
        SuppressedDestination: { EmailAddress: 'a@example.com', Reason: 'BOUNCE', LastUpdateTime: c.now },
      });
      expect(
        (
          await call(v2, 'ListSuppressedDestinations', c, { Reasons: ['BOUNCE'] })
        ).SuppressedDestinationSummaries.map((s: { EmailAddress: string }) => s.EmailAddress),
      ).toEqual(['a@example.com', 'c@example.com']);
      expect(
        (await call(v2, 'ListSuppressedDestinations', c, { EndDate: new Date('2026-11-30T00:00:00Z') }))
          .SuppressedDestinationSummaries,
      ).toHaveLength(2);
      const p1 = await call(v2, 'ListSuppressedDestinations', c, { PageSize: 2 });
      expect(p1.SuppressedDestinationSummaries).toHaveLength(2);
      expect(
        (await call(v2, 'ListSuppressedDestinations', c, { PageSize: 2, NextToken: p1.NextToken }))
          .SuppressedDestinationSummaries,
      ).toHaveLength(1);
      expect(await callError(v2, 'ListSuppressedDestinations', c, { NextToken: 'x' })).toMatchObject({
        code: 'InvalidNextTokenException',
        status: 400,
      });
      await call(v2, 'DeleteSuppressedDestination', c, { EmailAddress: 'a@example.com' });
      expect(await callError(v2, 'GetSuppressedDestination', c, { EmailAddress: 'a@example.com' })).toEqual({
        code: 'NotFoundException',
        status: 404,
        message: 'Email address a@example.com does not exist on your suppression list.',
      });
      expect(
        await callError(v2, 'PutSuppressedDestination', c, { EmailAddress: 'nope', Reason: 'BOUNCE' }),
      ).toMatchObject({ code: 'BadRequestException', status: 400 });
    });
  });

  describe('account', () => {
    it('GetAccount reports the sandbox defaults', async () => {
      const c = ctx();
      expect(await call(v2, 'GetAccount', c)).toEqual({
        DedicatedIpAutoWarmupEnabled: false,
        EnforcementStatus: 'HEALTHY',
        ProductionAccessEnabled: false,
        SendQuota: { Max24HourSend: 200, MaxSendRate: 1, SentLast24Hours: 0 },
        SendingEnabled: true,
        SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      });
    });

    it('production review: PENDING, 409 while pending, then GRANTED by the operator', async () => {
      const c = ctx();
      const details = {
        MailType: 'TRANSACTIONAL',
        WebsiteURL: 'https://example.com',
        ContactLanguage: 'EN',
        ProductionAccessEnabled: true,
      };
      await call(v2, 'PutAccountDetails', c, details);
      const pending = await call(v2, 'GetAccount', c);
      expect(pending.ProductionAccessEnabled).toBe(false);
      expect(pending.Details).toMatchObject({
        MailType: 'TRANSACTIONAL',
        WebsiteURL: 'https://example.com',
        ContactLanguage: 'EN',
        ReviewDetails: { Status: 'PENDING' },
      });
      expect(pending.Details.ReviewDetails.CaseId).toMatch(/^[0-9a-f-]{36}$/);
      expect(await callError(v2, 'PutAccountDetails', c, details)).toMatchObject({
        code: 'ConflictException',
        status: 409,
      });
      await decideProductionAccess(store, c.caller.accountId, c.region, 'grant', c.config);
      const granted = await call(v2, 'GetAccount', c);
      expect(granted).toMatchObject({
        ProductionAccessEnabled: true,
        SendQuota: { Max24HourSend: 50000, MaxSendRate: 14 },
        Details: { ReviewDetails: { Status: 'GRANTED' } },
      });
      expect(await call(v1, 'GetSendQuota', c)).toEqual({
        Max24HourSend: 50000,
        MaxSendRate: 14,
        SentLast24Hours: 0,
      });
    });

    it('grants at once with autoApproveProduction', async () => {
      const c = ctx({
        autoApproveProduction: true,
        productionMaxSendRate: 20,
        productionMax24HourSend: 1000,
      });
      await call(v2, 'PutAccountDetails', c, {
        MailType: 'MARKETING',
        WebsiteURL: 'https://example.com',
        ProductionAccessEnabled: true,
      });
      expect(await call(v2, 'GetAccount', c)).toMatchObject({
        ProductionAccessEnabled: true,
        SendQuota: { Max24HourSend: 1000, MaxSendRate: 20 },
        Details: { ReviewDetails: { Status: 'GRANTED' } },
      });
    });

    it('details without a production request open no review', async () => {
      const c = ctx();
      await call(v2, 'PutAccountDetails', c, { MailType: 'MARKETING', WebsiteURL: 'https://example.com' });
      const a = await call(v2, 'GetAccount', c);
      expect(a.Details).toEqual({ MailType: 'MARKETING', WebsiteURL: 'https://example.com' });
      expect(
        await callError(v2, 'PutAccountDetails', c, {
          MailType: 'MARKETING',
          WebsiteURL: 'https://example.com',
          AdditionalContactEmailAddresses: [],
        }),
      ).toMatchObject({
        code: 'BadRequestException',
      });
    });

    it('sending and suppression attributes are shared with v1', async () => {
      const c = ctx();
      await call(v2, 'PutAccountSendingAttributes', c, { SendingEnabled: false });
      expect(await call(v1, 'GetAccountSendingEnabled', c)).toEqual({ Enabled: false });
      await call(v2, 'PutAccountSuppressionAttributes', c, { SuppressedReasons: ['COMPLAINT'] });
      expect((await call(v2, 'GetAccount', c)).SuppressionAttributes).toEqual({
        SuppressedReasons: ['COMPLAINT'],
      });
    });
  });
});
