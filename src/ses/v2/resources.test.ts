import { SelectQueryNode, TableNode, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import type { CallContext } from '../../api/operation.js';
import { AwsError } from '../../errors/aws-error.js';
import { tagResource } from '../state/tags.js';
import { call, testContext } from '../test-context.js';
import { sesV2Operations as v2 } from './index.js';

const t = (Key: string, Value: string) => ({ Key, Value });

/** As the dispatcher runs a call: authorize, then handle, with the same context and input objects. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loosely typed outputs
async function dispatched(ctx: CallContext, name: string, input: Record<string, unknown>): Promise<any> {
  await v2[name]!.authorize!(ctx, input);
  return v2[name]!.handle(ctx, input);
}

async function errorOf(p: Promise<unknown>): Promise<{ code: string; status: number; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AwsError) return { code: e.code, status: e.httpStatus, message: e.message };
    throw e;
  }
  throw new Error('succeeded; an error was expected');
}

/** The store, seen through a view that counts the SELECTs on one table. */
function countingReads(store: Store, table: string): { store: Store; reads: () => number } {
  let n = 0;
  const plugin: KyselyPlugin = {
    transformQuery({ node }) {
      if (
        SelectQueryNode.is(node) &&
        node.from?.froms.some((f) => TableNode.is(f) && f.table.identifier.name === table)
      )
        n++;
      return node;
    },
    transformResult: ({ result }) => Promise.resolve(result),
  };
  return { store: { ...store, db: store.db.withPlugin(plugin) }, reads: () => n };
}

const policyFor = (c: CallContext, identity: string, action: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: '222222222222' },
        Action: action,
        Resource: `arn:aws:ses:${c.region}:${c.caller.accountId}:identity/${identity}`,
      },
    ],
  });

describe.each(testDialects())('SES v2 resource reads on %s', (dialect) => {
  let store: Store;
  let seq = 0;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => store.close());
  const ctx = () => testContext(store, { accountId: String(777777777777 + ++seq * 10), apiVersion: '2' });
  const retag = (c: CallContext, kind: 'identity' | 'configuration-set' | 'template', name: string) =>
    tagResource(
      store,
      { accountId: c.caller.accountId, region: c.region, kind, name },
      [t('k', 'later')],
      50,
    );

  it('hands the handler the row authorize read, and reads afresh for another call', async () => {
    const c = ctx();
    await call(v2, 'CreateEmailIdentity', c, { EmailIdentity: 'a@x.com', Tags: [t('k', 'first')] });
    const input = { EmailIdentity: 'a@X.COM' };
    const checks = await v2.GetEmailIdentity!.authorize!(c, input);
    expect(checks[0]!.context).toEqual({ 'aws:ResourceTag/k': 'first' });
    // Written after authorize: the call goes on with the row its authorization saw.
    await retag(c, 'identity', 'a@x.com');
    expect((await v2.GetEmailIdentity!.handle(c, input)).Tags).toEqual([t('k', 'first')]);
    // Taken once: the same input handled again, another input, or another context read the store.
    expect((await v2.GetEmailIdentity!.handle(c, input)).Tags).toEqual([t('k', 'later')]);
    expect((await dispatched(c, 'GetEmailIdentity', { EmailIdentity: 'a@x.com' })).Tags).toEqual([
      t('k', 'later'),
    ]);
    const other = { EmailIdentity: 'a@x.com' };
    await v2.GetEmailIdentity!.authorize!(c, other);
    await store.db.deleteFrom('ses_identities').where('account_id', '=', c.caller.accountId).execute();
    expect(await errorOf(v2.GetEmailIdentity!.handle({ ...c }, other))).toEqual({
      code: 'NotFoundException',
      status: 404,
      message: 'Email identity a@x.com does not exist.',
    });
  });

  it('reads the identity policies once per call: the handler answers with those authorize read', async () => {
    const base = ctx();
    await call(v2, 'CreateEmailIdentity', base, { EmailIdentity: 'a@x.com' });
    const p1 = policyFor(base, 'a@x.com', 'ses:SendEmail');
    const p2 = policyFor(base, 'a@x.com', 'ses:SendRawEmail');
    await call(v2, 'CreateEmailIdentityPolicy', base, {
      EmailIdentity: 'a@x.com',
      PolicyName: 'p1',
      Policy: p1,
    });
    const counted = countingReads(store, 'ses_identity_policies');
    const c = { ...base, store: counted.store };
    for (const op of ['GetEmailIdentity', 'GetEmailIdentityPolicies']) {
      const before = counted.reads();
      const input = { EmailIdentity: 'a@X.COM ' };
      const checks = await v2[op]!.authorize!(c, input);
      expect(checks[0]!.resourcePolicies!.map((p) => [p.id, p.text])).toEqual([['a@x.com/p1', p1]]);
      // Written after authorize: the answer is the set authorization saw, read once.
      await call(v2, 'CreateEmailIdentityPolicy', base, {
        EmailIdentity: 'a@x.com',
        PolicyName: 'p2',
        Policy: p2,
      });
      expect((await v2[op]!.handle(c, input)).Policies).toEqual({ p1 });
      expect(counted.reads() - before).toBe(1);
      // Without authorize (or taken already), the handler reads them, once.
      expect((await v2[op]!.handle(c, input)).Policies).toEqual({ p1, p2 });
      expect(counted.reads() - before).toBe(2);
      await call(v2, 'DeleteEmailIdentityPolicy', base, { EmailIdentity: 'a@x.com', PolicyName: 'p2' });
    }
    // A missing identity is still refused first, with no further read.
    const before = counted.reads();
    expect(await errorOf(dispatched(c, 'GetEmailIdentityPolicies', { EmailIdentity: 'No@x.com' }))).toEqual({
      code: 'NotFoundException',
      status: 404,
      message: 'Email identity No@x.com does not exist.',
    });
    expect(counted.reads() - before).toBe(1);
    // Operations that do not answer with the policies read them only to authorize.
    await dispatched(c, 'PutEmailIdentityFeedbackAttributes', {
      EmailIdentity: 'a@x.com',
      EmailForwardingEnabled: true,
    });
    expect(counted.reads() - before).toBe(2);
  });

  it('does the same for configuration sets, templates and ListTagsForResource', async () => {
    const c = ctx();
    await call(v2, 'CreateConfigurationSet', c, { ConfigurationSetName: 'cs', Tags: [t('k', 'first')] });
    await call(v2, 'CreateEmailTemplate', c, {
      TemplateName: 'tpl',
      TemplateContent: { Subject: 's' },
      Tags: [t('k', 'first')],
    });
    const set = { ConfigurationSetName: 'cs' };
    const tpl = { TemplateName: 'tpl' };
    const arn = { ResourceArn: `arn:aws:ses:${c.region}:${c.caller.accountId}:template/tpl` };
    await v2.GetConfigurationSet!.authorize!(c, set);
    await v2.GetEmailTemplate!.authorize!(c, tpl);
    await v2.ListTagsForResource!.authorize!(c, arn);
    await retag(c, 'configuration-set', 'cs');
    await retag(c, 'template', 'tpl');
    expect((await v2.GetConfigurationSet!.handle(c, set)).Tags).toEqual([t('k', 'first')]);
    expect((await v2.GetEmailTemplate!.handle(c, tpl)).Tags).toEqual([t('k', 'first')]);
    expect(await v2.ListTagsForResource!.handle(c, arn)).toEqual({ Tags: [t('k', 'first')] });
    expect(await dispatched(c, 'ListTagsForResource', { ...arn })).toEqual({ Tags: [t('k', 'later')] });
  });

  it('answers a missing resource with its NotFoundException, naming it as the request did', async () => {
    const c = ctx();
    expect(await errorOf(dispatched(c, 'GetEmailIdentity', { EmailIdentity: 'Nobody@X.com' }))).toEqual({
      code: 'NotFoundException',
      status: 404,
      message: 'Email identity Nobody@X.com does not exist.',
    });
    expect(await errorOf(dispatched(c, 'GetConfigurationSet', { ConfigurationSetName: 'none' }))).toEqual({
      code: 'NotFoundException',
      status: 404,
      message: 'Configuration set <none> does not exist.',
    });
    expect(await errorOf(dispatched(c, 'GetEmailTemplate', { TemplateName: 'none' }))).toEqual({
      code: 'NotFoundException',
      status: 404,
      message: 'Template none does not exist.',
    });
    // DKIM on a missing identity is refused as unverified, not as missing.
    expect(
      await errorOf(
        dispatched(c, 'PutEmailIdentityDkimAttributes', { EmailIdentity: 'x.org', SigningEnabled: true }),
      ),
    ).toEqual({
      code: 'BadRequestException',
      status: 400,
      message: 'Domain x.org is not verified for DKIM signing.',
    });
  });

  it('declares each check: identities with their policies, other kinds without, creates with request tags', async () => {
    const c = ctx();
    const a = c.caller.accountId;
    expect(await v2.DeleteEmailIdentity!.authorize!(c, { EmailIdentity: 'B@Y.com' })).toStrictEqual([
      {
        action: 'ses:DeleteEmailIdentity',
        resource: `arn:aws:ses:us-east-1:${a}:identity/B@y.com`,
        resourcePolicies: [],
      },
    ]);
    expect(await v2.DeleteConfigurationSet!.authorize!(c, { ConfigurationSetName: 'cs' })).toStrictEqual([
      { action: 'ses:DeleteConfigurationSet', resource: `arn:aws:ses:us-east-1:${a}:configuration-set/cs` },
    ]);
    expect(await v2.UpdateEmailTemplate!.authorize!(c, { TemplateName: 'tpl' })).toStrictEqual([
      { action: 'ses:UpdateEmailTemplate', resource: `arn:aws:ses:us-east-1:${a}:template/tpl` },
    ]);
    expect(await v2.CreateEmailIdentity!.authorize!(c, { EmailIdentity: 'Ex.COM' })).toStrictEqual([
      { action: 'ses:CreateEmailIdentity', resource: `arn:aws:ses:us-east-1:${a}:identity/ex.com` },
    ]);
    expect(
      await v2.CreateEmailTemplate!.authorize!(c, { TemplateName: 'T', Tags: [t('team', 'mail')] }),
    ).toStrictEqual([
      {
        action: 'ses:CreateEmailTemplate',
        resource: `arn:aws:ses:us-east-1:${a}:template/T`,
        context: { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'mail' },
      },
    ]);
  });
});
