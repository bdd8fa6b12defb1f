import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import type { CallContext } from '../../api/operation.js';
import { decide } from '../../authz/index.js';
import { parsePolicy } from '../../policy/index.js';
import { call, callError, testContext } from '../test-context.js';
import { sesV2Operations as v2 } from './index.js';
import { tagTexts } from './tag-rules.js';
import { arnTexts } from './tag-arn.js';
import { regionTexts } from './tags.js';

const t = (Key: string, Value: string) => ({ Key, Value });
const bad = (message: string) => ({ code: 'BadRequestException', status: 400, message });
const notFound = (message: string) => ({ code: 'NotFoundException', status: 404, message });

/** The checks an operation asks for (authorization is declared, then decided by authz/). */
async function checksOf(ctx: CallContext, name: string, input: Record<string, unknown>) {
  return v2[name]!.authorize!(ctx, input);
}

/** The caller as an IAM user holding one inline policy. */
function asUser(ctx: CallContext, statements: object[]): CallContext {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const parsed = parsePolicy(text);
  if (!parsed.ok) throw new Error('policy');
  const a = ctx.caller.accountId;
  return {
    ...ctx,
    caller: {
      ...ctx.caller,
      principal: { kind: 'User', arn: `arn:aws:iam::${a}:user/u`, accountId: a },
      identityPolicies: [{ id: 'p', source: 'user', policy: parsed.policy, text }],
      userName: 'u',
      userId: 'AIDAEXAMPLE',
    },
  };
}

async function decisionOf(ctx: CallContext, name: string, input: Record<string, unknown>) {
  const checks = await checksOf(ctx, name, input);
  return checks.map((c) => decide(ctx, c).decision);
}

describe.each(testDialects())('SES v2 tagging on %s', (dialect) => {
  let store: Store;
  let seq = 0;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => store.close());
  const ctx = (region = 'us-east-1') =>
    testContext(store, { accountId: String(555555555555 + ++seq * 10), apiVersion: '2', region });
  const arnOf = (c: CallContext, resource: string, region = c.region) =>
    `arn:aws:ses:${region}:${c.caller.accountId}:${resource}`;

  it('lists the tags given at creation; tags, overwrites and untags identities', async () => {
    const c = ctx();
    await call(v2, 'CreateEmailIdentity', c, {
      EmailIdentity: 'Example.COM',
      Tags: [t('team', 'mail'), t('env', 'dev')],
    });
    const ResourceArn = arnOf(c, 'identity/example.com');
    expect(await call(v2, 'ListTagsForResource', c, { ResourceArn })).toEqual({
      Tags: [t('team', 'mail'), t('env', 'dev')],
    });
    expect(
      await call(v2, 'TagResource', c, { ResourceArn, Tags: [t('env', 'prod'), t('cost', '42')] }),
    ).toEqual({});
    expect(await call(v2, 'UntagResource', c, { ResourceArn, TagKeys: ['team', 'cost', 'absent'] })).toEqual(
      {},
    );
    expect(await call(v2, 'ListTagsForResource', c, { ResourceArn })).toEqual({ Tags: [t('env', 'prod')] });
    expect((await call(v2, 'GetEmailIdentity', c, { EmailIdentity: 'example.com' })).Tags).toEqual([
      t('env', 'prod'),
    ]);
    await call(v2, 'DeleteEmailIdentity', c, { EmailIdentity: 'example.com' });
    expect(await callError(v2, 'ListTagsForResource', c, { ResourceArn })).toEqual(
      notFound('No EmailIdentity present with name: example.com'),
    );
    await call(v2, 'CreateEmailIdentity', c, { EmailIdentity: 'example.com' });
    expect(await call(v2, 'ListTagsForResource', c, { ResourceArn })).toEqual({ Tags: [] });
  });

  it('tags configuration sets and templates created with Tags', async () => {
    const c = ctx();
    await call(v2, 'CreateConfigurationSet', c, { ConfigurationSetName: 'cs', Tags: [t('a', '1')] });
    await call(v2, 'CreateEmailTemplate', c, {
      TemplateName: 'tpl',
      TemplateContent: { Subject: 's', Text: 'x' },
      Tags: [t('b', '2')],
    });
    const cs = arnOf(c, 'configuration-set/cs');
    const tpl = arnOf(c, 'template/tpl');
    await call(v2, 'TagResource', c, { ResourceArn: cs, Tags: [t('c', '')] });
    expect(await call(v2, 'ListTagsForResource', c, { ResourceArn: cs })).toEqual({
      Tags: [t('a', '1'), t('c', '')],
    });
    expect(await call(v2, 'ListTagsForResource', c, { ResourceArn: tpl })).toEqual({ Tags: [t('b', '2')] });
    expect((await call(v2, 'GetConfigurationSet', c, { ConfigurationSetName: 'cs' })).Tags).toEqual([
      t('a', '1'),
      t('c', ''),
    ]);
    expect((await call(v2, 'GetEmailTemplate', c, { TemplateName: 'tpl' })).Tags).toEqual([t('b', '2')]);
  });

  it('refuses bad tags on create and creates nothing', async () => {
    const c = ctx();
    const many = Array.from({ length: 51 }, (_, i) => t(`k${i}`, 'v'));
    expect(
      await callError(v2, 'CreateEmailIdentity', c, { EmailIdentity: 'a@example.com', Tags: many }),
    ).toEqual(bad(tagTexts.tooMany));
    expect(await callError(v2, 'GetEmailIdentity', c, { EmailIdentity: 'a@example.com' })).toMatchObject({
      code: 'NotFoundException',
    });
    expect(
      await callError(v2, 'CreateConfigurationSet', c, {
        ConfigurationSetName: 'cs',
        Tags: [t('aws:x', 'v')],
      }),
    ).toEqual(bad(tagTexts.systemTag));
    expect(await callError(v2, 'GetConfigurationSet', c, { ConfigurationSetName: 'cs' })).toMatchObject({
      code: 'NotFoundException',
    });
    expect(
      await callError(v2, 'CreateEmailTemplate', c, {
        TemplateName: 'tpl',
        TemplateContent: { Subject: 's' },
        Tags: [t('k', '1'), t('k', '2')],
      }),
    ).toEqual(bad(tagTexts.duplicate));
  });

  it('applies the 50-tag limit to the merged list', async () => {
    const c = ctx();
    await call(v2, 'CreateConfigurationSet', c, {
      ConfigurationSetName: 'full',
      Tags: Array.from({ length: 50 }, (_, i) => t(`k${i}`, 'v')),
    });
    const ResourceArn = arnOf(c, 'configuration-set/full');
    expect(await call(v2, 'TagResource', c, { ResourceArn, Tags: [t('k7', 'changed')] })).toEqual({});
    expect(await callError(v2, 'TagResource', c, { ResourceArn, Tags: [t('k50', 'v')] })).toEqual(
      bad(tagTexts.tooManyAfterMerge),
    );
    expect(
      await callError(v2, 'TagResource', c, {
        ResourceArn,
        Tags: Array.from({ length: 51 }, (_, i) => t(`n${i}`, '')),
      }),
    ).toEqual(bad(tagTexts.tooMany));
    expect((await call(v2, 'ListTagsForResource', c, { ResourceArn })).Tags).toHaveLength(50);
  });

  it('answers the ARN and input refusals', async () => {
    const c = ctx();
    await call(v2, 'CreateEmailTemplate', c, { TemplateName: 'tpl', TemplateContent: { Subject: 's' } });
    const tpl = arnOf(c, 'template/tpl');
    expect(
      await callError(v2, 'TagResource', c, { ResourceArn: 'invalid-arn', Tags: [t('k', 'v')] }),
    ).toEqual(bad(arnTexts.format));
    expect(
      await callError(v2, 'ListTagsForResource', c, {
        ResourceArn: tpl.replace(c.caller.accountId, '999999999999'),
      }),
    ).toEqual(bad(arnTexts.otherAccount));
    expect(
      await callError(v2, 'TagResource', c, { ResourceArn: arnOf(c, 'template/none'), Tags: [t('k', 'v')] }),
    ).toEqual(notFound('No Template present with name: none'));
    expect(
      await callError(v2, 'UntagResource', c, {
        ResourceArn: arnOf(c, 'configuration-set/none'),
        TagKeys: ['k'],
      }),
    ).toEqual(notFound('No ConfigurationSet present with name: none'));
    expect(
      await callError(v2, 'ListTagsForResource', c, { ResourceArn: arnOf(c, 'contact-list/news') }),
    ).toEqual(notFound('No ContactList present with name: news'));
    expect(await callError(v2, 'TagResource', c, { ResourceArn: tpl, Tags: [] })).toEqual(
      bad(tagTexts.emptyList),
    );
    expect(await callError(v2, 'TagResource', c, { ResourceArn: tpl, Tags: [t('AWS:k', 'v')] })).toEqual(
      bad(tagTexts.systemTag),
    );
    expect(await callError(v2, 'UntagResource', c, { ResourceArn: tpl, TagKeys: ['aws:k'] })).toEqual(
      bad(tagTexts.systemTag),
    );
  });

  it('compares the ARN region for Tag and Untag, reads in the request region for List', async () => {
    const c = ctx('eu-west-1');
    await call(v2, 'CreateEmailTemplate', c, {
      TemplateName: 'tpl',
      TemplateContent: { Subject: 's' },
      Tags: [t('k', 'v')],
    });
    const elsewhere = arnOf(c, 'template/tpl', 'us-east-1');
    expect(await callError(v2, 'TagResource', c, { ResourceArn: elsewhere, Tags: [t('x', 'y')] })).toEqual(
      bad(regionTexts.tag),
    );
    expect(await callError(v2, 'UntagResource', c, { ResourceArn: elsewhere, TagKeys: ['k'] })).toEqual(
      bad(regionTexts.untag),
    );
    expect(await call(v2, 'ListTagsForResource', c, { ResourceArn: elsewhere })).toEqual({
      Tags: [t('k', 'v')],
    });
  });

  describe('authorization', () => {
    it('checks ses:TagResource on the ARN with request tags, resource tags and the identity policies', async () => {
      const c = ctx();
      await call(v2, 'CreateEmailIdentity', c, { EmailIdentity: 'example.com', Tags: [t('team', 'mail')] });
      const ResourceArn = arnOf(c, 'identity/example.com');
      expect(await checksOf(c, 'TagResource', { ResourceArn, Tags: [t('env', 'prod')] })).toEqual([
        {
          action: 'ses:TagResource',
          resource: ResourceArn,
          context: {
            'aws:TagKeys': ['env'],
            'aws:RequestTag/env': 'prod',
            'aws:ResourceTag/team': 'mail',
          },
          resourcePolicies: [],
        },
      ]);
      expect(await checksOf(c, 'UntagResource', { ResourceArn, TagKeys: ['a', 'b'] })).toEqual([
        {
          action: 'ses:UntagResource',
          resource: ResourceArn,
          context: { 'aws:TagKeys': ['a', 'b'], 'aws:ResourceTag/team': 'mail' },
          resourcePolicies: [],
        },
      ]);
      const tpl = arnOf(c, 'template/none');
      expect(await checksOf(c, 'ListTagsForResource', { ResourceArn: tpl })).toEqual([
        { action: 'ses:ListTagsForResource', resource: tpl },
      ]);
      expect(await checksOf(c, 'ListTagsForResource', { ResourceArn: 'junk' })).toEqual([
        { action: 'ses:ListTagsForResource', resource: 'junk' },
      ]);
    });

    it('gives create calls with Tags the request-tag keys, and none without', async () => {
      const c = ctx();
      expect(
        await checksOf(c, 'CreateConfigurationSet', {
          ConfigurationSetName: 'cs',
          Tags: [t('team', 'mail')],
        }),
      ).toEqual([
        {
          action: 'ses:CreateConfigurationSet',
          resource: arnOf(c, 'configuration-set/cs'),
          context: { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'mail' },
        },
      ]);
      expect(await checksOf(c, 'CreateEmailTemplate', { TemplateName: 'x' })).toEqual([
        { action: 'ses:CreateEmailTemplate', resource: arnOf(c, 'template/x') },
      ]);
      expect(
        await checksOf(c, 'CreateEmailIdentity', { EmailIdentity: 'a@x.com', Tags: [t('k', 'v')] }),
      ).toEqual([
        {
          action: 'ses:CreateEmailIdentity',
          resource: arnOf(c, 'identity/a@x.com'),
          context: { 'aws:TagKeys': ['k'], 'aws:RequestTag/k': 'v' },
        },
      ]);
    });

    it('passes the tags of existing identities, sets and templates to their other operations', async () => {
      const c = ctx();
      await call(v2, 'CreateEmailIdentity', c, { EmailIdentity: 'a@x.com', Tags: [t('team', 'mail')] });
      await call(v2, 'CreateConfigurationSet', c, { ConfigurationSetName: 'cs', Tags: [t('env', 'prod')] });
      await call(v2, 'CreateEmailTemplate', c, {
        TemplateName: 'tpl',
        TemplateContent: { Subject: 's' },
        Tags: [t('o', 'p')],
      });
      expect((await checksOf(c, 'GetEmailIdentity', { EmailIdentity: 'a@x.com' }))[0]!.context).toEqual({
        'aws:ResourceTag/team': 'mail',
      });
      expect(
        (await checksOf(c, 'DeleteConfigurationSet', { ConfigurationSetName: 'cs' }))[0]!.context,
      ).toEqual({
        'aws:ResourceTag/env': 'prod',
      });
      expect((await checksOf(c, 'GetEmailTemplate', { TemplateName: 'tpl' }))[0]!.context).toEqual({
        'aws:ResourceTag/o': 'p',
      });
      expect((await checksOf(c, 'GetEmailTemplate', { TemplateName: 'other' }))[0]!.context).toBeUndefined();
    });

    it('decides aws:RequestTag and aws:ResourceTag conditions exactly', async () => {
      const c = ctx();
      await call(v2, 'CreateConfigurationSet', c, {
        ConfigurationSetName: 'mine',
        Tags: [t('team', 'mail')],
      });
      await call(v2, 'CreateConfigurationSet', c, {
        ConfigurationSetName: 'theirs',
        Tags: [t('team', 'web')],
      });
      const u = asUser(c, [
        {
          Effect: 'Allow',
          Action: 'ses:TagResource',
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestTag/team': 'mail' } },
        },
        {
          Effect: 'Allow',
          Action: 'ses:GetConfigurationSet',
          Resource: '*',
          Condition: { StringEquals: { 'aws:ResourceTag/team': 'mail' } },
        },
      ]);
      const mine = arnOf(c, 'configuration-set/mine');
      expect(await decisionOf(u, 'TagResource', { ResourceArn: mine, Tags: [t('team', 'mail')] })).toEqual([
        'Allowed',
      ]);
      expect(await decisionOf(u, 'TagResource', { ResourceArn: mine, Tags: [t('team', 'web')] })).toEqual([
        'ImplicitDeny',
      ]);
      expect(await decisionOf(u, 'TagResource', { ResourceArn: mine, Tags: [t('env', 'x')] })).toEqual([
        'ImplicitDeny',
      ]);
      expect(await decisionOf(u, 'GetConfigurationSet', { ConfigurationSetName: 'mine' })).toEqual([
        'Allowed',
      ]);
      expect(await decisionOf(u, 'GetConfigurationSet', { ConfigurationSetName: 'theirs' })).toEqual([
        'ImplicitDeny',
      ]);
    });
  });
});
