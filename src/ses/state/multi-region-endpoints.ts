// Multi-region endpoints (global endpoints): a name in the primary region, an id unique across
// regions, and the two regions a send through the id is split between.
import { randomBytes } from 'node:crypto';
import type { Store } from '../../store/database.js';
import type { SesMultiRegionEndpointRow } from '../../store/schema/ses-v2-extras.js';
import { readJson, type Tag } from './json.js';

export interface MultiRegionEndpoint {
  accountId: string;
  primaryRegion: string;
  name: string;
  endpointId: string;
  regions: string[];
  tags: Tag[];
  createdAt: Date;
  updatedAt: Date;
}

/** A valid DNS host label, as the SDKs require of EndpointId (`abcd1234.efgh5678`-like). */
export const newEndpointId = (): string =>
  `${randomBytes(4).toString('hex')}.${randomBytes(4).toString('hex')}`;

const toEndpoint = (r: SesMultiRegionEndpointRow): MultiRegionEndpoint => ({
  accountId: r.account_id,
  primaryRegion: r.region,
  name: r.name,
  endpointId: r.endpoint_id,
  regions: readJson<string[]>(r.regions, []),
  tags: readJson<Tag[]>(r.tags, []),
  createdAt: new Date(Number(r.created_at)),
  updatedAt: new Date(Number(r.updated_at)),
});

export async function getEndpoint(
  store: Store,
  accountId: string,
  region: string,
  name: string,
): Promise<MultiRegionEndpoint | undefined> {
  const row = await store.db
    .selectFrom('ses_multi_region_endpoints')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? toEndpoint(row) : undefined;
}

/** The endpoint a send names by id, in any region of the account. */
export async function endpointById(
  store: Store,
  accountId: string,
  endpointId: string,
): Promise<MultiRegionEndpoint | undefined> {
  const row = await store.db
    .selectFrom('ses_multi_region_endpoints')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row ? toEndpoint(row) : undefined;
}

export async function insertEndpoint(store: Store, e: MultiRegionEndpoint): Promise<boolean> {
  const res = await store.db
    .insertInto('ses_multi_region_endpoints')
    .values({
      account_id: e.accountId,
      region: e.primaryRegion,
      name: e.name,
      endpoint_id: e.endpointId,
      regions: JSON.stringify(e.regions),
      tags: JSON.stringify(e.tags),
      created_at: e.createdAt.getTime(),
      updated_at: e.updatedAt.getTime(),
    })
    .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteEndpoint(
  store: Store,
  accountId: string,
  region: string,
  name: string,
): Promise<boolean> {
  const res = await store.db
    .deleteFrom('ses_multi_region_endpoints')
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export async function listEndpoints(
  store: Store,
  accountId: string,
  region: string,
  opts: { after?: string; limit: number },
): Promise<MultiRegionEndpoint[]> {
  let q = store.db
    .selectFrom('ses_multi_region_endpoints')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region);
  if (opts.after !== undefined) q = q.where('name', '>', opts.after);
  return (await q.orderBy('name').limit(opts.limit).execute()).map(toEndpoint);
}

// Sending traffic is split equally between the regions: each endpoint takes them in turn.
const turns = new Map<string, number>();

/** The region the next send through the endpoint goes to. */
export function nextRegion(e: MultiRegionEndpoint): string {
  const n = turns.get(e.endpointId) ?? 0;
  turns.set(e.endpointId, n + 1);
  if (turns.size > 10_000) turns.clear();
  return e.regions[n % e.regions.length] ?? e.primaryRegion;
}
