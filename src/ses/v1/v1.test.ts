import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { call, callError, testContext } from '../test-context.js';
import type { CallContext } from '../../api/operation.js';
import { sesV1Operations as v1 } from './index.js';
import { recordSend } from '../state/ledger.js';

let seq = 0;
/** A fresh account per test keeps tests apart on one store. */
const nextAccount = () => String(111111111111 + ++seq * 1000);
const policyFor = (ctx: CallContext, identity: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: '222222222222' },
          Action: ['ses:SendEmail'],
          Resource: `arn:aws:ses:${ctx.region}:${ctx.caller.accountId}:identity/${identity}`,
          ...extra,
        },
      ],
    },
    null,
    2,
  );

describe.each(testDialects())('SES v1 on %s', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => store.close());
  const ctx = (config = {}) => testContext(store, { accountId: nextAccount(), apiVersion: '1', config });

  describe('identities', () => {
    it('verifies an address at once in auto mode and lists it', async () => {
      const c = ctx();
      expect(await call(v1, 'VerifyEmailIdentity', c, { EmailAddress: 'ann@example.com' })).toEqual({});
      const attrs = await call(v1, 'GetIdentityVerificationAttributes', c, {
        Identities: ['ann@example.com', 'nobody@example.com'],
      });
      expect(attrs).toEqual({
        VerificationAttributes: { 'ann@example.com': { VerificationStatus: 'Success' } },
      });
      expect(await call(v1, 'ListVerifiedEmailAddresses', c)).toEqual({
        VerifiedEmailAddresses: ['ann@example.com'],
      });
    });

    it('keeps identities Pending in email and dns modes, but not under the emulator profile', async () => {
      const c = ctx({ verification: 'email' });
      await call(v1, 'VerifyEmailIdentity', c, { EmailAddress: 'ann@example.com' });
      const { VerificationToken } = await call(v1, 'VerifyDomainIdentity', c, { Domain: 'example.com' });
      expect(VerificationToken).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      expect(
        await call(v1, 'GetIdentityVerificationAttributes', c, {
          Identities: ['ann@example.com', 'example.com'],
        }),
      ).toEqual({
        VerificationAttributes: {
          'ann@example.com': { VerificationStatus: 'Pending' },
          'example.com': { VerificationStatus: 'Pending', VerificationToken },
        },
      });
      expect(await call(v1, 'ListVerifiedEmailAddresses', c)).toEqual({ VerifiedEmailAddresses: [] });
      const e = ctx({ verification: 'dns', profile: 'emulator' });
      await call(v1, 'VerifyEmailIdentity', e, { EmailAddress: 'ann@example.com' });
      expect(
        await call(v1, 'GetIdentityVerificationAttributes', e, { Identities: ['ann@example.com'] }),
      ).toEqual({
        VerificationAttributes: { 'ann@example.com': { VerificationStatus: 'Success' } },
      });
    });

    it('returns the same domain token again and three DKIM tokens', async () => {
      const c = ctx();
      const a = await call(v1, 'VerifyDomainIdentity', c, { Domain: 'example.com' });
      const b = await call(v1, 'VerifyDomainIdentity', c, { Domain: 'Example.COM' });
      expect(b).toEqual(a);
      const { DkimTokens } = await call(v1, 'VerifyDomainDkim', c, { Domain: 'example.com' });
      expect(DkimTokens).toHaveLength(3);
      for (const t of DkimTokens) expect(t).toMatch(/^[a-z0-9]{32}$/);
      expect(await call(v1, 'GetIdentityDkimAttributes', c, { Identities: ['example.com'] })).toEqual({
        DkimAttributes: {
          'example.com': { DkimEnabled: true, DkimVerificationStatus: 'Success', DkimTokens },
        },
      });
      await call(v1, 'SetIdentityDkimEnabled', c, { Identity: 'example.com', DkimEnabled: false });
      expect(
        (await call(v1, 'GetIdentityDkimAttributes', c, { Identities: ['example.com'] })).DkimAttributes[
          'example.com'
        ].DkimEnabled,
      ).toBe(false);
    });

    it('makes the Easy DKIM key with tokens made for an existing domain, dated then', async () => {
      const c = ctx();
      await call(v1, 'VerifyDomainIdentity', c, { Domain: 'later-dkim.example' });
      const later = testContext(store, {
        accountId: c.caller.accountId,
        now: new Date(c.now.getTime() + 3 * 86_400_000),
      });
      const { DkimTokens } = await call(v1, 'VerifyDomainDkim', later, { Domain: 'later-dkim.example' });
      const key = await store.db
        .selectFrom('delivery_dkim_keys')
        .select(['selector', 'created_at'])
        .where('domain', '=', 'later-dkim.example')
        .executeTakeFirstOrThrow();
      expect({ ...key, created_at: Number(key.created_at) }).toEqual({
        selector: DkimTokens[0],
        created_at: later.now.getTime(),
      });
    });

    it('refuses malformed names with InvalidParameterValue', async () => {
      const c = ctx();
      expect(await callError(v1, 'VerifyEmailIdentity', c, { EmailAddress: 'not-an-address' })).toEqual({
        code: 'InvalidParameterValue',
        status: 400,
        message: 'Invalid email address <not-an-address>.',
      });
      expect(await callError(v1, 'VerifyDomainIdentity', c, { Domain: 'bad domain' })).toEqual({
        code: 'InvalidParameterValue',
        status: 400,
        message: 'Invalid domain name <bad domain>.',
      });
    });

    it('lists by type with MaxItems and NextToken', async () => {
      const c = ctx();
      for (const a of ['a@x.com', 'b@x.com', 'c@x.com'])
        await call(v1, 'VerifyEmailIdentity', c, { EmailAddress: a });
      await call(v1, 'VerifyDomainIdentity', c, { Domain: 'x.com' });
      const p1 = await call(v1, 'ListIdentities', c, { IdentityType: 'EmailAddress', MaxItems: 2 });
      expect(p1.Identities).toEqual(['a@x.com', 'b@x.com']);
      const p2 = await call(v1, 'ListIdentities', c, {
        IdentityType: 'EmailAddress',
        MaxItems: 2,
        NextToken: p1.NextToken,
      });
      expect(p2).toEqual({ Identities: ['c@x.com'] });
      expect(await call(v1, 'ListIdentities', c, { IdentityType: 'Domain' })).toEqual({
        Identities: ['x.com'],
      });
      expect(await callError(v1, 'ListIdentities', c, { NextToken: '!!' })).toEqual({
        code: 'InvalidParameterValue',
        status: 400,
        message: 'Invalid NextToken',
      });
    });

    it('deletes identities idempotently, with their policies', async () => {
      const c = ctx();
      await call(v1, 'VerifyDomainIdentity', c, { Domain: 'example.com' });
      await call(v1, 'PutIdentityPolicy', c, {
        Identity: 'example.com',
        PolicyName: 'p',
        Policy: policyFor(c, 'example.com'),
      });
      await call(v1, 'DeleteIdentity', c, { Identity: 'example.com' });
      expect(await call(v1, 'DeleteIdentity', c, { Identity: 'example.com' })).toEqual({});
      await call(v1, 'VerifyDomainIdentity', c, { Domain: 'example.com' });
      expect(await call(v1, 'ListIdentityPolicies', c, { Identity: 'example.com' })).toEqual({
        PolicyNames: [],
      });
      await call(v1, 'VerifyEmailAddress', c, { EmailAddress: 'a@example.com' });
      await call(v1, 'DeleteVerifiedEmailAddress', c, { EmailAddress: 'a@example.com' });
      expect(await call(v1, 'ListIdentities', c, {})).toEqual({ Identities: ['example.com'] });
    });

    it('sets notification topics, headers and forwarding; unknown identities get the recorded MessageRejected', async () => {
      const c = ctx();
      await call(v1, 'VerifyEmailIdentity', c, { EmailAddress: 'ann@example.com' });
      expect(
        await callError(v1, 'SetIdentityFeedbackForwardingEnabled', c, {
          Identity: 'ann@example.com',
          ForwardingEnabled: false,
        }),
      ).toMatchObject({
        code: 'InvalidParameterValue',
        status: 400,
      });
      const topic = `arn:aws:sns:us-east-1:${c.caller.accountId}:feedback`;
      await call(v1, 'SetIdentityNotificationTopic', c, {
        Identity: 'ann@example.com',
        NotificationType: 'Bounce',
        SnsTopic: topic,
      });
      await call(v1, 'SetIdentityNotificationTopic', c, {
        Identity: 'ann@example.com',
        NotificationType: 'Complaint',
        SnsTopic: topic,
      });
      await call(v1, 'SetIdentityFeedbackForwardingEnabled', c, {
        Identity: 'ann@example.com',
        ForwardingEnabled: false,
      });
      await call(v1, 'SetIdentityHeadersInNotificationsEnabled', c, {
        Identity: 'ann@example.com',
        NotificationType: 'Delivery',
        Enabled: true,
      });
      expect(
        await call(v1, 'GetIdentityNotificationAttributes', c, { Identities: ['ann@example.com'] }),
      ).toEqual({
        NotificationAttributes: {
          'ann@example.com': {
            BounceTopic: topic,
            ComplaintTopic: topic,
            ForwardingEnabled: false,
            HeadersInBounceNotificationsEnabled: false,
            HeadersInComplaintNotificationsEnabled: false,
            HeadersInDeliveryNotificationsEnabled: true,
          },
        },
      });
      expect(
        await callError(v1, 'SetIdentityHeadersInNotificationsEnabled', c, {
          Identity: 'unknown@example.com',
          NotificationType: 'Bounce',
          Enabled: true,
        }),
      ).toEqual({
        code: 'MessageRejected',
        status: 400,
        message: 'Identity unknown@example.com is not verified or does not exist.',
      });
      expect(
        await callError(v1, 'SetIdentityHeadersInNotificationsEnabled', c, {
          Identity: 'ann@example.com',
          NotificationType: 'InvalidType',
          Enabled: true,
        }),
      ).toEqual({
        code: 'InvalidParameterValue',
        status: 400,
        message: 'Invalid notification type: InvalidType. Valid values are: Bounce, Complaint, Delivery.',
      });
    });

    it('sets a MAIL FROM subdomain and refuses one outside the identity domain', async () => {
      const c = ctx();
      await call(v1, 'VerifyDomainIdentity', c, { Domain: 'example.com' });
      await call(v1, 'SetIdentityMailFromDomain', c, {
        Identity: 'example.com',
        MailFromDomain: 'bounce.example.com',
        BehaviorOnMXFailure: 'RejectMessage',
      });
      expect(
        await call(v1, 'GetIdentityMailFromDomainAttributes', c, { Identities: ['example.com'] }),
      ).toEqual({
        MailFromDomainAttributes: {
          'example.com': {
            MailFromDomain: 'bounce.example.com',
            MailFromDomainStatus: 'Success',
            BehaviorOnMXFailure: 'RejectMessage',
          },
        },
      });
      expect(
        await callError(v1, 'SetIdentityMailFromDomain', c, {
          Identity: 'example.com',
          MailFromDomain: 'bounce.other.com',
        }),
      ).toMatchObject({
        code: 'InvalidParameterValue',
        status: 400,
      });
      expect(
        await callError(v1, 'SetIdentityMailFromDomain', c, {
          Identity: 'unknown.example',
          MailFromDomain: 'bounce.unknown.example',
        }),
      ).toEqual({
        code: 'InvalidParameterValue',
        status: 400,
        message: 'Identity <unknown.example> does not exist.',
      });
    });
  });

  describe('identity policies', () => {
    it('upserts, answers the text as submitted, returns only existing names, deletes idempotently', async () => {
      const c = ctx();
      await call(v1, 'VerifyDomainIdentity', c, { Domain: 'example.com' });
      const text = policyFor(c, 'example.com');
      await call(v1, 'PutIdentityPolicy', c, { Identity: 'example.com', PolicyName: 'p1', Policy: text });
      await call(v1, 'PutIdentityPolicy', c, { Identity: 'example.com', PolicyName: 'p1', Policy: text });
      expect(
        await call(v1, 'GetIdentityPolicies', c, { Identity: 'example.com', PolicyNames: ['p1', 'nope'] }),
      ).toEqual({
        Policies: { p1: text },
      });
      expect(await call(v1, 'ListIdentityPolicies', c, { Identity: 'example.com' })).toEqual({
        PolicyNames: ['p1'],
      });
      await call(v1, 'DeleteIdentityPolicy', c, { Identity: 'example.com', PolicyName: 'p1' });
      expect(
        await call(v1, 'DeleteIdentityPolicy', c, { Identity: 'example.com', PolicyName: 'p1' }),
      ).toEqual({});
      expect(await call(v1, 'ListIdentityPolicies', c, { Identity: 'example.com' })).toEqual({
        PolicyNames: [],
      });
    });

    it('accepts the identity ARN in place of its name', async () => {
      const c = ctx();
      await call(v1, 'VerifyDomainIdentity', c, { Domain: 'example.com' });
      const arn = `arn:aws:ses:us-east-1:${c.caller.accountId}:identity/example.com`;
      await call(v1, 'PutIdentityPolicy', c, {
        Identity: arn,
        PolicyName: 'p1',
        Policy: policyFor(c, 'example.com'),
      });
      expect(await call(v1, 'ListIdentityPolicies', c, { Identity: 'example.com' })).toEqual({
        PolicyNames: ['p1'],
      });
    });

    it('enforces names, identity existence, validity, size and the 20-policy limit', async () => {
      const c = ctx();
      await call(v1, 'VerifyDomainIdentity', c, { Domain: 'example.com' });
      const ok = policyFor(c, 'example.com');
      expect(
        await callError(v1, 'PutIdentityPolicy', c, {
          Identity: 'example.com',
          PolicyName: 'bad name',
          Policy: ok,
        }),
      ).toEqual({
        code: 'InvalidParameterValue',
        status: 400,
        message:
          'PolicyName is invalid. Policy names must only include alpha-numeric characters, dashes, and underscores.',
      });
      expect(
        await callError(v1, 'PutIdentityPolicy', c, {
          Identity: 'example.com',
          PolicyName: 'x'.repeat(65),
          Policy: ok,
        }),
      ).toEqual({
        code: 'ValidationError',
        status: 400,
        message:
          "1 validation error detected: Value at 'policyName' failed to satisfy constraint: Member must have length less than or equal to 64",
      });
      expect(
        await call(v1, 'PutIdentityPolicy', c, {
          Identity: 'example.com',
          PolicyName: 'x'.repeat(64),
          Policy: ok,
        }),
      ).toEqual({});
      expect(
        await callError(v1, 'PutIdentityPolicy', c, { Identity: 'other.com', PolicyName: 'p', Policy: ok }),
      ).toEqual({
        code: 'MessageRejected',
        status: 400,
        message: 'Identity other.com is not verified or does not exist.',
      });
      expect(
        await callError(v1, 'PutIdentityPolicy', c, {
          Identity: 'example.com',
          PolicyName: 'p',
          Policy: '{nope',
        }),
      ).toEqual({
        code: 'InvalidPolicy',
        status: 400,
        message: 'Syntax errors in policy.',
      });
      expect(
        await callError(v1, 'PutIdentityPolicy', c, {
          Identity: 'example.com',
          PolicyName: 'p',
          Policy: policyFor(c, 'example.com', { Condition: { StringEquals: { 'AWS:SourceAccount': '1' } } }),
        }),
      ).toEqual({
        code: 'InvalidPolicy',
        status: 400,
        message: "Unknown or unapplicable condition field 'AWS:SourceAccount'.",
      });
      expect(
        await callError(v1, 'PutIdentityPolicy', c, {
          Identity: 'example.com',
          PolicyName: 'p',
          Policy: policyFor(c, 'example.com', { Sid: 'S'.repeat(4000) }),
        }),
      ).toEqual({
        code: 'InvalidPolicy',
        status: 400,
        message: 'Policy exceeds the maximum allowed size of 4096 bytes.',
      });
      for (let n = 2; n <= 20; n++)
        await call(v1, 'PutIdentityPolicy', c, { Identity: 'example.com', PolicyName: `p${n}`, Policy: ok });
      expect(
        await callError(v1, 'PutIdentityPolicy', c, {
          Identity: 'example.com',
          PolicyName: 'p21',
          Policy: ok,
        }),
      ).toEqual({
        code: 'InvalidParameterValue',
        status: 400,
        message: 'Number of policies for <example.com> exceeds max allowed number of policies per resource',
      });
      // Replacing one of the 20 is not adding one.
      expect(
        await call(v1, 'PutIdentityPolicy', c, { Identity: 'example.com', PolicyName: 'p20', Policy: ok }),
      ).toEqual({});
    });
  });

  describe('templates', () => {
    it('creates, gets, updates, lists, renders and deletes', async () => {
      const c = ctx();
      const tpl = {
        TemplateName: 'hello-world',
        SubjectPart: 'Hi {{name}}',
        TextPart: 'Dear {{name}}',
        HtmlPart: '<p>{{name}}</p>',
      };
      expect(await call(v1, 'CreateTemplate', c, { Template: tpl })).toEqual({});
      expect(await callError(v1, 'CreateTemplate', c, { Template: tpl })).toEqual({
        code: 'AlreadyExists',
        status: 400,
        message: 'Template hello-world already exists.',
      });
      expect(await call(v1, 'GetTemplate', c, { TemplateName: 'hello-world' })).toEqual({ Template: tpl });
      await call(v1, 'UpdateTemplate', c, { Template: { ...tpl, TextPart: 'Bye {{name}}' } });
      expect((await call(v1, 'GetTemplate', c, { TemplateName: 'hello-world' })).Template.TextPart).toBe(
        'Bye {{name}}',
      );
      expect(await call(v1, 'ListTemplates', c, {})).toEqual({
        TemplatesMetadata: [{ Name: 'hello-world', CreatedTimestamp: c.now }],
      });
      const { RenderedTemplate } = await call(v1, 'TestRenderTemplate', c, {
        TemplateName: 'hello-world',
        TemplateData: '{"name":"Ann"}',
      });
      expect(RenderedTemplate).toContain('Subject: Hi Ann');
      expect(RenderedTemplate).toContain('Bye Ann');
      expect(RenderedTemplate).toContain('<p>Ann</p>');
      expect(
        await callError(v1, 'TestRenderTemplate', c, { TemplateName: 'hello-world', TemplateData: '{}' }),
      ).toEqual({
        code: 'MissingRenderingAttribute',
        status: 400,
        message: "Attribute 'name' is not present in the rendering data.",
      });
      expect(
        await callError(v1, 'TestRenderTemplate', c, { TemplateName: 'hello-world', TemplateData: 'nope' }),
      ).toMatchObject({ code: 'InvalidRenderingParameter', status: 400 });
      await call(v1, 'DeleteTemplate', c, { TemplateName: 'hello-world' });
      expect(await call(v1, 'ListTemplates', c, {})).toEqual({ TemplatesMetadata: [] });
      expect(await callError(v1, 'GetTemplate', c, { TemplateName: 'hello-world' })).toEqual({
        code: 'TemplateDoesNotExist',
        status: 400,
        message: 'Template hello-world does not exist.',
      });
      expect(await callError(v1, 'UpdateTemplate', c, { Template: tpl })).toMatchObject({
        code: 'TemplateDoesNotExist',
      });
      expect(
        await callError(v1, 'TestRenderTemplate', c, { TemplateName: 'hello-world', TemplateData: '{}' }),
      ).toMatchObject({ code: 'TemplateDoesNotExist' });
    });

    it('refuses a template that does not parse', async () => {
      const c = ctx();
      expect(
        await callError(v1, 'CreateTemplate', c, {
          Template: { TemplateName: 't', SubjectPart: '{{#if a}}' },
        }),
      ).toMatchObject({ code: 'InvalidTemplate', status: 400 });
    });

    it('pages templates 10 at a time by default', async () => {
      const c = ctx();
      for (let n = 0; n < 12; n++)
        await call(v1, 'CreateTemplate', c, {
          Template: { TemplateName: `t${String(n).padStart(2, '0')}`, SubjectPart: 's' },
        });
      const p1 = await call(v1, 'ListTemplates', c, {});
      expect(p1.TemplatesMetadata).toHaveLength(10);
      const p2 = await call(v1, 'ListTemplates', c, { NextToken: p1.NextToken });
      expect(p2.TemplatesMetadata.map((t: { Name: string }) => t.Name)).toEqual(['t10', 't11']);
      expect(p2.NextToken).toBeUndefined();
    });
  });

  describe('configuration sets', () => {
    const sns = { TopicARN: 'arn:aws:sns:us-east-1:111111111111:events' };
    it('creates, describes with event destinations, and refuses duplicates', async () => {
      const c = ctx();
      await call(v1, 'CreateConfigurationSet', c, { ConfigurationSet: { Name: 'cs' } });
      expect(await callError(v1, 'CreateConfigurationSet', c, { ConfigurationSet: { Name: 'cs' } })).toEqual({
        code: 'ConfigurationSetAlreadyExists',
        status: 400,
        message: 'Configuration set <cs> already exists.',
      });
      const dest = {
        Name: 'ed',
        Enabled: true,
        MatchingEventTypes: ['send', 'open', 'bounce', 'delivery', 'click'],
        SNSDestination: sns,
      };
      await call(v1, 'CreateConfigurationSetEventDestination', c, {
        ConfigurationSetName: 'cs',
        EventDestination: dest,
      });
      expect(
        await callError(v1, 'CreateConfigurationSetEventDestination', c, {
          ConfigurationSetName: 'cs',
          EventDestination: dest,
        }),
      ).toMatchObject({
        code: 'EventDestinationAlreadyExists',
        status: 400,
      });
      expect(
        await call(v1, 'DescribeConfigurationSet', c, {
          ConfigurationSetName: 'cs',
          ConfigurationSetAttributeNames: ['eventDestinations'],
        }),
      ).toEqual({
        ConfigurationSet: { Name: 'cs' },
        EventDestinations: [
          {
            Enabled: true,
            MatchingEventTypes: ['bounce', 'click', 'delivery', 'open', 'send'],
            Name: 'ed',
            SNSDestination: sns,
          },
        ],
      });
      await call(v1, 'UpdateConfigurationSetEventDestination', c, {
        ConfigurationSetName: 'cs',
        EventDestination: { ...dest, Enabled: false, MatchingEventTypes: ['reject'] },
      });
      const d = await call(v1, 'DescribeConfigurationSet', c, {
        ConfigurationSetName: 'cs',
        ConfigurationSetAttributeNames: ['eventDestinations'],
      });
      expect(d.EventDestinations[0]).toMatchObject({ Enabled: false, MatchingEventTypes: ['reject'] });
      expect(await call(v1, 'ListConfigurationSets', c, {})).toEqual({ ConfigurationSets: [{ Name: 'cs' }] });
    });

    it('answers missing sets and destinations with the recorded AWS errors', async () => {
      const c = ctx();
      expect(
        await callError(v1, 'DeleteConfigurationSet', c, {
          ConfigurationSetName: 'non-existent-configuration-set',
        }),
      ).toEqual({
        code: 'ConfigurationSetDoesNotExist',
        status: 400,
        message: 'Configuration set <non-existent-configuration-set> does not exist.',
      });
      expect(
        await callError(v1, 'CreateConfigurationSetEventDestination', c, {
          ConfigurationSetName: 'nope',
          EventDestination: { Name: 'ed', MatchingEventTypes: ['send'], SNSDestination: sns },
        }),
      ).toEqual({
        code: 'ConfigurationSetDoesNotExist',
        status: 400,
        message: 'Configuration set <nope> does not exist.',
      });
      await call(v1, 'CreateConfigurationSet', c, { ConfigurationSet: { Name: 'cs1' } });
      expect(
        await callError(v1, 'DeleteConfigurationSetEventDestination', c, {
          ConfigurationSetName: 'cs1',
          EventDestinationName: 'ed',
        }),
      ).toEqual({
        code: 'EventDestinationDoesNotExist',
        status: 400,
        message: 'No EventDestination found for cs1',
      });
      expect(
        await callError(v1, 'CreateConfigurationSet', c, { ConfigurationSet: { Name: 'bad name' } }),
      ).toMatchObject({ code: 'InvalidConfigurationSet', status: 400 });
    });

    it('keeps tracking, delivery, reputation and sending options', async () => {
      const c = ctx();
      await call(v1, 'CreateConfigurationSet', c, { ConfigurationSet: { Name: 'cs' } });
      await call(v1, 'CreateConfigurationSetTrackingOptions', c, {
        ConfigurationSetName: 'cs',
        TrackingOptions: { CustomRedirectDomain: 't.example.com' },
      });
      expect(
        await callError(v1, 'CreateConfigurationSetTrackingOptions', c, {
          ConfigurationSetName: 'cs',
          TrackingOptions: {},
        }),
      ).toMatchObject({
        code: 'TrackingOptionsAlreadyExistsException',
      });
      await call(v1, 'PutConfigurationSetDeliveryOptions', c, {
        ConfigurationSetName: 'cs',
        DeliveryOptions: { TlsPolicy: 'Require' },
      });
      await call(v1, 'UpdateConfigurationSetSendingEnabled', c, {
        ConfigurationSetName: 'cs',
        Enabled: false,
      });
      await call(v1, 'UpdateConfigurationSetReputationMetricsEnabled', c, {
        ConfigurationSetName: 'cs',
        Enabled: true,
      });
      expect(
        await call(v1, 'DescribeConfigurationSet', c, {
          ConfigurationSetName: 'cs',
          ConfigurationSetAttributeNames: ['trackingOptions', 'deliveryOptions', 'reputationOptions'],
        }),
      ).toEqual({
        ConfigurationSet: { Name: 'cs' },
        TrackingOptions: { CustomRedirectDomain: 't.example.com' },
        DeliveryOptions: { TlsPolicy: 'Require' },
        ReputationOptions: { SendingEnabled: false, ReputationMetricsEnabled: true },
      });
      await call(v1, 'DeleteConfigurationSetTrackingOptions', c, { ConfigurationSetName: 'cs' });
      expect(
        await callError(v1, 'DeleteConfigurationSetTrackingOptions', c, { ConfigurationSetName: 'cs' }),
      ).toMatchObject({
        code: 'TrackingOptionsDoesNotExistException',
      });
      await call(v1, 'DeleteConfigurationSet', c, { ConfigurationSetName: 'cs' });
      expect(await call(v1, 'ListConfigurationSets', c, {})).toEqual({ ConfigurationSets: [] });
    });
  });

  describe('account', () => {
    it('reports the sandbox quota 200 / 1 and SentLast24Hours from the ledger', async () => {
      const c = ctx();
      expect(await call(v1, 'GetSendQuota', c)).toEqual({
        Max24HourSend: 200,
        MaxSendRate: 1,
        SentLast24Hours: 0,
      });
      await recordSend(store, c.caller.accountId, c.region, new Date(c.now.getTime() - 1000), 3);
      expect(await call(v1, 'GetSendQuota', c)).toEqual({
        Max24HourSend: 200,
        MaxSendRate: 1,
        SentLast24Hours: 3,
      });
    });

    it('toggles account sending', async () => {
      const c = ctx();
      expect(await call(v1, 'GetAccountSendingEnabled', c)).toEqual({ Enabled: true });
      await call(v1, 'UpdateAccountSendingEnabled', c, { Enabled: false });
      expect(await call(v1, 'GetAccountSendingEnabled', c)).toEqual({ Enabled: false });
    });
  });

  describe('authorization declarations', () => {
    it('uses ses:<Operation> on * for identity, policy, template and account operations', async () => {
      const c = ctx();
      for (const name of [
        'VerifyEmailIdentity',
        'PutIdentityPolicy',
        'CreateTemplate',
        'GetSendQuota',
        'ListIdentities',
      ]) {
        expect(await v1[name]!.authorize!(c, {})).toEqual([{ action: `ses:${name}`, resource: '*' }]);
      }
    });
    it('names the configuration set ARN for operations on one set', async () => {
      const c = ctx();
      expect(await v1.DescribeConfigurationSet!.authorize!(c, { ConfigurationSetName: 'cs' })).toEqual([
        {
          action: 'ses:DescribeConfigurationSet',
          resource: `arn:aws:ses:us-east-1:${c.caller.accountId}:configuration-set/cs`,
        },
      ]);
    });
  });
});
