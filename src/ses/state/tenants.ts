// Tenants and their resource associations (identities, configuration sets, templates). Deleting a
// tenant removes its associations, never the resources; deleting a resource removes its associations.
import { randomBytes } from 'node:crypto';
import type { Store } from '../../store/database.js';
import type { SesTenantResourceRow, SesTenantRow } from '../../store/schema/ses-v2-extras.js';
import { readJson, type Tag } from './json.js';

export type TenantResourceType = 'EMAIL_IDENTITY' | 'CONFIGURATION_SET' | 'EMAIL_TEMPLATE';

export interface Tenant {
  name: string;
  tenantId: string;
  arn: string;
  tags: Tag[];
  createdAt: Date;
}

export const tenantArn = (region: string, accountId: string, name: string, id: string): string =>
  `arn:aws:ses:${region}:${accountId}:tenant/${name}/${id}`;

/** `tn-` and 30 hex digits, as SES answers. */
export const newTenantId = (): string => `tn-${randomBytes(15).toString('hex')}`;

const toTenant = (r: SesTenantRow): Tenant => ({
  name: r.name,
  tenantId: r.tenant_id,
  arn: tenantArn(r.region, r.account_id, r.name, r.tenant_id),
  tags: readJson<Tag[]>(r.tags, []),
  createdAt: new Date(Number(r.created_at)),
});

/** The tenant stored under `name`, or under `name/id` (`resource_name`, as tag ARNs name it). */
async function tenantWhere(
  store: Store,
  accountId: string,
  region: string,
  column: 'name' | 'resource_name',
  value: string,
): Promise<Tenant | undefined> {
  const row = await store.db
    .selectFrom('ses_tenants')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where(column, '=', value)
    .executeTakeFirst();
  return row ? toTenant(row) : undefined;
}

export const getTenant = (store: Store, accountId: string, region: string, name: string) =>
  tenantWhere(store, accountId, region, 'name', name);

/** The tenant a tag ARN names as `name/id`. */
export const getTenantByResourceName = (
  store: Store,
  accountId: string,
  region: string,
  resourceName: string,
) => tenantWhere(store, accountId, region, 'resource_name', resourceName);

/** The tenant whose ARN is given (name and id must both match). */
export async function getTenantByArn(
  store: Store,
  accountId: string,
  region: string,
  arn: string,
): Promise<Tenant | undefined> {
  const m = /^arn:aws[a-z-]*:ses:([a-z0-9-]+):(\d{12}):tenant\/([^/]+)\/([^/]+)$/.exec(arn);
  if (!m || m[1] !== region || m[2] !== accountId) return undefined;
  const t = await getTenant(store, accountId, region, m[3]!);
  return t && t.tenantId === m[4] ? t : undefined;
}

export async function insertTenant(
  store: Store,
  accountId: string,
  region: string,
  t: { name: string; tenantId: string; tags: Tag[] },
  now: Date,
): Promise<boolean> {
  const res = await store.db
    .insertInto('ses_tenants')
    .values({
      account_id: accountId,
      region,
      name: t.name,
      tenant_id: t.tenantId,
      resource_name: `${t.name}/${t.tenantId}`,
      tags: JSON.stringify(t.tags),
      created_at: now.getTime(),
    })
    .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteTenant(
  store: Store,
  accountId: string,
  region: string,
  name: string,
): Promise<boolean> {
  return store.db.transaction().execute(async (trx) => {
    const t = await trx
      .selectFrom('ses_tenants')
      .select('tenant_id')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .executeTakeFirst();
    if (!t) return false;
    await trx
      .deleteFrom('ses_tenant_resources')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('tenant_name', '=', name)
      .execute();
    await trx
      .deleteFrom('ses_reputation_entities')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('entity_reference', '=', tenantArn(region, accountId, name, t.tenant_id))
      .execute();
    await trx
      .deleteFrom('ses_tenants')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .execute();
    return true;
  });
}

export async function listTenants(
  store: Store,
  accountId: string,
  region: string,
  opts: { after?: string; limit: number },
): Promise<Tenant[]> {
  let q = store.db
    .selectFrom('ses_tenants')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region);
  if (opts.after !== undefined) q = q.where('name', '>', opts.after);
  return (await q.orderBy('name').limit(opts.limit).execute()).map(toTenant);
}

export type AssociationWrite = 'created' | 'exists';

export async function associate(
  store: Store,
  accountId: string,
  region: string,
  tenant: string,
  resourceArn: string,
  type: TenantResourceType,
  now: Date,
): Promise<AssociationWrite> {
  const res = await store.db
    .insertInto('ses_tenant_resources')
    .values({
      account_id: accountId,
      region,
      tenant_name: tenant,
      resource_arn: resourceArn,
      resource_type: type,
      created_at: now.getTime(),
    })
    .onConflict((oc) => oc.columns(['account_id', 'region', 'tenant_name', 'resource_arn']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0 ? 'created' : 'exists';
}

export async function dissociate(
  store: Store,
  accountId: string,
  region: string,
  tenant: string,
  resourceArn: string,
): Promise<boolean> {
  const res = await store.db
    .deleteFrom('ses_tenant_resources')
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('tenant_name', '=', tenant)
    .where('resource_arn', '=', resourceArn)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Every association of a resource (when the resource is deleted). */
export async function dropResourceAssociations(
  store: Store,
  accountId: string,
  region: string,
  resourceArn: string,
): Promise<void> {
  await store.db
    .deleteFrom('ses_tenant_resources')
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('resource_arn', '=', resourceArn)
    .execute();
}

export async function tenantResources(
  store: Store,
  accountId: string,
  region: string,
  tenant: string,
  opts: { type?: string; after?: string; limit: number },
): Promise<SesTenantResourceRow[]> {
  let q = store.db
    .selectFrom('ses_tenant_resources')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('tenant_name', '=', tenant);
  if (opts.type !== undefined) q = q.where('resource_type', '=', opts.type);
  if (opts.after !== undefined) q = q.where('resource_arn', '>', opts.after);
  return q.orderBy('resource_arn').limit(opts.limit).execute();
}

export async function resourceTenants(
  store: Store,
  accountId: string,
  region: string,
  resourceArn: string,
  opts: { after?: string; limit: number },
): Promise<(SesTenantResourceRow & { tenant_id: string })[]> {
  let q = store.db
    .selectFrom('ses_tenant_resources as r')
    .innerJoin('ses_tenants as t', (j) =>
      j
        .onRef('t.account_id', '=', 'r.account_id')
        .onRef('t.region', '=', 'r.region')
        .onRef('t.name', '=', 'r.tenant_name'),
    )
    .selectAll('r')
    .select('t.tenant_id')
    .where('r.account_id', '=', accountId)
    .where('r.region', '=', region)
    .where('r.resource_arn', '=', resourceArn);
  if (opts.after !== undefined) q = q.where('r.tenant_name', '>', opts.after);
  return q.orderBy('r.tenant_name').limit(opts.limit).execute();
}

/** The ARNs among `arns` that are associated with the tenant. */
export async function associatedArns(
  store: Store,
  accountId: string,
  region: string,
  tenant: string,
  arns: readonly string[],
): Promise<Set<string>> {
  if (arns.length === 0) return new Set();
  const rows = await store.db
    .selectFrom('ses_tenant_resources')
    .select('resource_arn')
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('tenant_name', '=', tenant)
    .where('resource_arn', 'in', [...arns])
    .execute();
  return new Set(rows.map((r) => r.resource_arn));
}
