// SES v2 tenants: CRUD and resource associations (identities, configuration sets and templates of
// the caller's account and region). Sends that name a TenantName use only associated resources
// (src/ses/send/tenant.ts); events and statistics carry the tenant.
import type { AuthorizationCheck, CallContext, OperationTable } from '../../api/operation.js';
import type { AwsError } from '../../errors/aws-error.js';
import { onAnyResource } from '../authz.js';
import { alreadyExists, badRequest, notFound, texts } from '../errors.js';
import { getConfigurationSet } from '../state/configuration-sets.js';
import { getIdentity, tagsOf } from '../state/identities.js';
import { normalizeIdentity } from '../state/identity-names.js';
import type { Tag } from '../state/json.js';
import { pageSize, toPage } from '../state/paging.js';
import { getEntityRow, entityState, tenantRates } from '../state/reputation.js';
import { getTemplate } from '../state/templates.js';
import {
  associate,
  deleteTenant,
  dissociate,
  getTenant,
  insertTenant,
  listTenants,
  newTenantId,
  resourceTenants,
  tenantArn,
  tenantResources,
  type Tenant,
  type TenantResourceType,
} from '../state/tenants.js';
import { afterToken, withContext } from './common.js';
import { checkTags, requestTagContext, resourceTagContext } from './tag-rules.js';

export const TENANT_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export const tenantTexts = {
  name: 'Tenant name can contain up to 64 alphanumeric characters, including letters, numbers, hyphens (-) and underscores (_) only.',
  resourceArn: (arn: string) =>
    `Invalid resource ARN <${arn}>: only email identities, configuration sets and email templates can be associated with a tenant.`,
  resourceNotFound: (arn: string) => `Resource <${arn}> does not exist.`,
  associationExists: (arn: string, t: string) =>
    `Resource <${arn}> is already associated with tenant <${t}>.`,
  associationNotFound: (arn: string, t: string) => `Resource <${arn}> is not associated with tenant <${t}>.`,
  filter:
    'The only supported filter key is RESOURCE_TYPE, with a value of EMAIL_IDENTITY, CONFIGURATION_SET or EMAIL_TEMPLATE.',
};

const RESOURCE_TYPES: Record<string, TenantResourceType> = {
  identity: 'EMAIL_IDENTITY',
  'configuration-set': 'CONFIGURATION_SET',
  template: 'EMAIL_TEMPLATE',
};

interface AssociableResource {
  arn: string;
  type: TenantResourceType;
  /** Reads the resource: its tags when it exists. */
  read(ctx: CallContext): Promise<{ tags: Tag[] } | undefined>;
}

/** An identity, configuration set or template ARN of the caller's account and region. */
export function associable(ctx: CallContext, arn: string): AssociableResource | AwsError {
  const m = /^arn:aws[a-z-]*:ses:([a-z0-9-]+):(\d{12}):(identity|configuration-set|template)\/(.+)$/.exec(
    arn,
  );
  if (!m || m[1] !== ctx.region || m[2] !== ctx.caller.accountId)
    return badRequest(tenantTexts.resourceArn(arn));
  const kind = m[3]!;
  const name = m[4]!;
  const { store } = ctx;
  const account = ctx.caller.accountId;
  const read = async (): Promise<{ tags: Tag[] } | undefined> => {
    if (kind === 'identity') {
      const row = await getIdentity(store, account, ctx.region, normalizeIdentity(name));
      return row ? { tags: tagsOf(row) } : undefined;
    }
    if (kind === 'configuration-set') return getConfigurationSet(store, account, ctx.region, name);
    return getTemplate(store, account, ctx.region, name);
  };
  const stored =
    kind === 'identity' ? arn.replace(/identity\/.+$/, `identity/${normalizeIdentity(name)}`) : arn;
  return { arn: stored, type: RESOURCE_TYPES[kind]!, read };
}

function checkName(name: string | undefined): string {
  if (!TENANT_NAME.test(name ?? '')) throw badRequest(tenantTexts.name);
  return name as string;
}

async function existingTenant(ctx: CallContext, name: string): Promise<Tenant> {
  const t = await getTenant(ctx.store, ctx.caller.accountId, ctx.region, name);
  if (!t) throw notFound(texts.tenantNotFound(name));
  return t;
}

/** `ses:<op>` on the tenant (its ARN when it exists, `tenant/NAME/*` otherwise) with its tags. */
async function tenantCheck(
  ctx: CallContext,
  operation: string,
  name: string | undefined,
): Promise<AuthorizationCheck> {
  const t =
    name !== undefined ? await getTenant(ctx.store, ctx.caller.accountId, ctx.region, name) : undefined;
  return {
    action: `ses:${operation}`,
    resource: t?.arn ?? tenantArn(ctx.region, ctx.caller.accountId, name ?? '', '*'),
    ...withContext(resourceTagContext(t?.tags)),
  };
}

/** The tenant and the associated resource (SAR: both are the action's resources). */
async function associationChecks(
  ctx: CallContext,
  operation: string,
  i: { TenantName?: string; ResourceArn?: string },
): Promise<AuthorizationCheck[]> {
  const checks = [await tenantCheck(ctx, operation, i.TenantName)];
  const r = associable(ctx, i.ResourceArn ?? '');
  if (!('arn' in r)) return checks;
  const found = await r.read(ctx);
  checks.push({
    action: `ses:${operation}`,
    resource: r.arn,
    ...withContext(resourceTagContext(found?.tags)),
  });
  return checks;
}

export async function tenantSendingStatus(ctx: CallContext, t: Tenant): Promise<string> {
  const [row, rates] = await Promise.all([
    getEntityRow(ctx.store, ctx.caller.accountId, ctx.region, t.arn),
    tenantRates(ctx.store, ctx.caller.accountId, ctx.region, t.name, ctx.now),
  ]);
  return entityState(ctx.region, row, rates, ctx.now).aggregate;
}

const info = (t: Tenant) => ({
  TenantName: t.name,
  TenantId: t.tenantId,
  TenantArn: t.arn,
  CreatedTimestamp: t.createdAt,
});

export const tenantOperations: OperationTable = {
  CreateTenant: {
    authorize: (ctx: CallContext, i: { TenantName?: string; Tags?: Tag[] }) => [
      {
        action: 'ses:CreateTenant',
        resource: tenantArn(ctx.region, ctx.caller.accountId, i.TenantName ?? '', '*'),
        ...withContext(requestTagContext(i.Tags)),
      },
    ],
    async handle(ctx: CallContext, i: { TenantName: string; Tags?: Tag[] }) {
      const name = checkName(i.TenantName);
      const tags = checkTags(i.Tags);
      const tenantId = newTenantId();
      if (
        !(await insertTenant(ctx.store, ctx.caller.accountId, ctx.region, { name, tenantId, tags }, ctx.now))
      )
        throw alreadyExists(texts.tenantExists(name));
      const t = await existingTenant(ctx, name);
      return { ...info(t), Tags: t.tags, SendingStatus: 'ENABLED' };
    },
  },
  GetTenant: {
    authorize: async (ctx, i: { TenantName?: string }) => [await tenantCheck(ctx, 'GetTenant', i.TenantName)],
    async handle(ctx: CallContext, i: { TenantName: string }) {
      const t = await existingTenant(ctx, i.TenantName);
      return { Tenant: { ...info(t), Tags: t.tags, SendingStatus: await tenantSendingStatus(ctx, t) } };
    },
  },
  DeleteTenant: {
    authorize: async (ctx, i: { TenantName?: string }) => [
      await tenantCheck(ctx, 'DeleteTenant', i.TenantName),
    ],
    async handle(ctx: CallContext, i: { TenantName: string }) {
      if (!(await deleteTenant(ctx.store, ctx.caller.accountId, ctx.region, i.TenantName)))
        throw notFound(texts.tenantNotFound(i.TenantName));
      return {};
    },
  },
  ListTenants: {
    authorize: onAnyResource('ListTenants'),
    async handle(ctx: CallContext, i: { NextToken?: string; PageSize?: number }) {
      const after = afterToken(i.NextToken);
      const size = pageSize(i.PageSize, 100, 1000);
      const rows = await listTenants(ctx.store, ctx.caller.accountId, ctx.region, {
        ...(after !== undefined ? { after } : {}),
        limit: size + 1,
      });
      const page = toPage(rows, size, (t) => t.name);
      return { Tenants: page.items.map(info), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
    },
  },
  CreateTenantResourceAssociation: {
    authorize: (ctx, i: { TenantName?: string; ResourceArn?: string }) =>
      associationChecks(ctx, 'CreateTenantResourceAssociation', i),
    async handle(ctx: CallContext, i: { TenantName: string; ResourceArn: string }) {
      const t = await existingTenant(ctx, i.TenantName);
      const r = associable(ctx, i.ResourceArn);
      if (!('arn' in r)) throw r;
      if (!(await r.read(ctx))) throw notFound(tenantTexts.resourceNotFound(i.ResourceArn));
      const res = await associate(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        t.name,
        r.arn,
        r.type,
        ctx.now,
      );
      if (res === 'exists') throw alreadyExists(tenantTexts.associationExists(i.ResourceArn, t.name));
      return {};
    },
  },
  DeleteTenantResourceAssociation: {
    authorize: (ctx, i: { TenantName?: string; ResourceArn?: string }) =>
      associationChecks(ctx, 'DeleteTenantResourceAssociation', i),
    async handle(ctx: CallContext, i: { TenantName: string; ResourceArn: string }) {
      const t = await existingTenant(ctx, i.TenantName);
      const r = associable(ctx, i.ResourceArn);
      if (!('arn' in r)) throw r;
      if (!(await dissociate(ctx.store, ctx.caller.accountId, ctx.region, t.name, r.arn)))
        throw notFound(tenantTexts.associationNotFound(i.ResourceArn, t.name));
      return {};
    },
  },
  ListTenantResources: {
    authorize: async (ctx, i: { TenantName?: string }) => [
      await tenantCheck(ctx, 'ListTenantResources', i.TenantName),
    ],
    async handle(
      ctx: CallContext,
      i: { TenantName: string; Filter?: Record<string, string>; NextToken?: string; PageSize?: number },
    ) {
      const t = await existingTenant(ctx, i.TenantName);
      const filter = i.Filter ?? {};
      const keys = Object.keys(filter);
      const type = filter.RESOURCE_TYPE;
      if (
        keys.some((k) => k !== 'RESOURCE_TYPE') ||
        (type !== undefined && !Object.values(RESOURCE_TYPES).includes(type as TenantResourceType))
      )
        throw badRequest(tenantTexts.filter);
      const after = afterToken(i.NextToken);
      const size = pageSize(i.PageSize, 100, 1000);
      const rows = await tenantResources(ctx.store, ctx.caller.accountId, ctx.region, t.name, {
        ...(type !== undefined ? { type } : {}),
        ...(after !== undefined ? { after } : {}),
        limit: size + 1,
      });
      const page = toPage(rows, size, (r) => r.resource_arn);
      return {
        TenantResources: page.items.map((r) => ({
          ResourceType: r.resource_type,
          ResourceArn: r.resource_arn,
        })),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  },
  ListResourceTenants: {
    async authorize(ctx: CallContext, i: { ResourceArn?: string }): Promise<AuthorizationCheck[]> {
      const r = associable(ctx, i.ResourceArn ?? '');
      const found = 'arn' in r ? await r.read(ctx) : undefined;
      return [
        {
          action: 'ses:ListResourceTenants',
          resource: 'arn' in r ? r.arn : (i.ResourceArn ?? ''),
          ...withContext(resourceTagContext(found?.tags)),
        },
      ];
    },
    async handle(ctx: CallContext, i: { ResourceArn: string; NextToken?: string; PageSize?: number }) {
      const r = associable(ctx, i.ResourceArn);
      if (!('arn' in r)) throw r;
      if (!(await r.read(ctx))) throw notFound(tenantTexts.resourceNotFound(i.ResourceArn));
      const after = afterToken(i.NextToken);
      const size = pageSize(i.PageSize, 100, 1000);
      const rows = await resourceTenants(ctx.store, ctx.caller.accountId, ctx.region, r.arn, {
        ...(after !== undefined ? { after } : {}),
        limit: size + 1,
      });
      const page = toPage(rows, size, (x) => x.tenant_name);
      return {
        ResourceTenants: page.items.map((x) => ({
          TenantName: x.tenant_name,
          TenantId: x.tenant_id,
          ResourceArn: x.resource_arn,
          AssociatedTimestamp: new Date(Number(x.created_at)),
        })),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  },
};
