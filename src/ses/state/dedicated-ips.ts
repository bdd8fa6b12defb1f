// Dedicated IP pools and the node's dedicated sending addresses (declared by the operator with
// SESAME_DEDICATED_IPS), their pool and warm-up. An address not moved to a pool of its own is in
// SES's default pool; MANAGED pools hold no address Sesame can show (SES picks their IPs).
import type { Store } from '../../store/database.js';
import type { SesDedicatedIpPoolRow, SesDedicatedIpRow } from '../../store/schema/ses-v2-extras.js';
import { readJson, type Tag } from './json.js';

export const DEFAULT_POOL = 'ses-default-dedicated-pool';
/** SES's automatic warm-up plan takes about 45 days from 0 to 100 %. */
export const AUTO_WARMUP_DAYS = 45;
const DAY_MS = 86_400_000;

export interface DedicatedIpPool {
  name: string;
  scalingMode: 'STANDARD' | 'MANAGED';
  tags: Tag[];
}

export interface DedicatedIp {
  ip: string;
  accountId: string;
  region: string;
  poolName: string;
  /** The percentage now: the stored one, advanced by automatic warm-up when it is on. */
  warmupPercentage: number;
  warmupStatus: 'IN_PROGRESS' | 'DONE';
}

const toPool = (r: SesDedicatedIpPoolRow): DedicatedIpPool => ({
  name: r.name,
  scalingMode: r.scaling_mode === 'MANAGED' ? 'MANAGED' : 'STANDARD',
  tags: readJson<Tag[]>(r.tags, []),
});

/** The warm-up percentage of an address at `now`. */
export function warmupPercentage(row: SesDedicatedIpRow, autoWarmup: boolean, now: Date): number {
  const base = Number(row.warmup_percentage);
  if (!autoWarmup || base >= 100) return Math.min(100, base);
  const days = Math.floor((now.getTime() - Number(row.warmup_updated_at)) / DAY_MS);
  return Math.min(100, base + Math.floor((Math.max(0, days) * 100) / AUTO_WARMUP_DAYS));
}

export function toDedicatedIp(row: SesDedicatedIpRow, autoWarmup: boolean, now: Date): DedicatedIp {
  const pct = warmupPercentage(row, autoWarmup, now);
  return {
    ip: row.ip,
    accountId: row.account_id,
    region: row.region,
    poolName: row.pool_name,
    warmupPercentage: pct,
    warmupStatus: pct >= 100 ? 'DONE' : 'IN_PROGRESS',
  };
}

export async function getPool(
  store: Store,
  accountId: string,
  region: string,
  name: string,
): Promise<DedicatedIpPool | undefined> {
  const row = await store.db
    .selectFrom('ses_dedicated_ip_pools')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? toPool(row) : undefined;
}

/** True when created; false when the name is taken. */
export async function insertPool(
  store: Store,
  accountId: string,
  region: string,
  pool: DedicatedIpPool,
  now: Date,
): Promise<boolean> {
  const res = await store.db
    .insertInto('ses_dedicated_ip_pools')
    .values({
      account_id: accountId,
      region,
      name: pool.name,
      scaling_mode: pool.scalingMode,
      tags: JSON.stringify(pool.tags),
      created_at: now.getTime(),
    })
    .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function setPoolScalingMode(
  store: Store,
  accountId: string,
  region: string,
  name: string,
  mode: 'STANDARD' | 'MANAGED',
): Promise<void> {
  await store.db
    .updateTable('ses_dedicated_ip_pools')
    .set({ scaling_mode: mode })
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('name', '=', name)
    .execute();
}

/** Deletes the pool; its addresses go back to the default pool. False when there was none. */
export async function deletePool(
  store: Store,
  accountId: string,
  region: string,
  name: string,
): Promise<boolean> {
  return store.db.transaction().execute(async (trx) => {
    const res = await trx
      .deleteFrom('ses_dedicated_ip_pools')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) return false;
    await trx
      .updateTable('ses_dedicated_ips')
      .set({ pool_name: DEFAULT_POOL })
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('pool_name', '=', name)
      .execute();
    return true;
  });
}

export async function listPools(
  store: Store,
  accountId: string,
  region: string,
  opts: { after?: string; limit: number },
): Promise<string[]> {
  let q = store.db
    .selectFrom('ses_dedicated_ip_pools')
    .select('name')
    .where('account_id', '=', accountId)
    .where('region', '=', region);
  if (opts.after !== undefined) q = q.where('name', '>', opts.after);
  const rows = await q.orderBy('name').limit(opts.limit).execute();
  return rows.map((r) => r.name);
}

export async function getDedicatedIpRow(
  store: Store,
  accountId: string,
  region: string,
  ip: string,
): Promise<SesDedicatedIpRow | undefined> {
  return store.db
    .selectFrom('ses_dedicated_ips')
    .selectAll()
    .where('ip', '=', ip)
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .executeTakeFirst();
}

export async function listDedicatedIpRows(
  store: Store,
  accountId: string,
  region: string,
  opts: { pool?: string; after?: string; limit: number },
): Promise<SesDedicatedIpRow[]> {
  let q = store.db
    .selectFrom('ses_dedicated_ips')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region);
  if (opts.pool !== undefined) q = q.where('pool_name', '=', opts.pool);
  if (opts.after !== undefined) q = q.where('ip', '>', opts.after);
  return q.orderBy('ip').limit(opts.limit).execute();
}

export async function moveDedicatedIp(store: Store, ip: string, pool: string): Promise<void> {
  await store.db.updateTable('ses_dedicated_ips').set({ pool_name: pool }).where('ip', '=', ip).execute();
}

export async function setWarmupPercentage(
  store: Store,
  ip: string,
  percentage: number,
  now: Date,
): Promise<void> {
  await store.db
    .updateTable('ses_dedicated_ips')
    .set({ warmup_percentage: percentage, warmup_updated_at: now.getTime() })
    .where('ip', '=', ip)
    .execute();
}

export interface DeclaredAddress {
  ip: string;
  accountId: string;
  region: string;
}

/**
 * Makes the store hold the operator's declared addresses: a new address joins the default pool,
 * fully warmed (it is one the node already sends from; a warm-up is started with
 * PutDedicatedIpWarmupAttributes); an address declared for another account or region than before
 * moves there and back to the default pool. Addresses no longer declared are kept: in a cluster
 * other nodes may declare them.
 */
export async function declareDedicatedIps(
  store: Store,
  addresses: readonly DeclaredAddress[],
  now: Date,
): Promise<void> {
  for (const a of addresses) {
    const existing = await store.db
      .selectFrom('ses_dedicated_ips')
      .select(['account_id', 'region'])
      .where('ip', '=', a.ip)
      .executeTakeFirst();
    if (!existing) {
      await store.db
        .insertInto('ses_dedicated_ips')
        .values({
          ip: a.ip,
          account_id: a.accountId,
          region: a.region,
          pool_name: DEFAULT_POOL,
          warmup_percentage: 100,
          warmup_updated_at: now.getTime(),
          created_at: now.getTime(),
        })
        .onConflict((oc) => oc.column('ip').doNothing())
        .execute();
    } else if (existing.account_id !== a.accountId || existing.region !== a.region) {
      await store.db
        .updateTable('ses_dedicated_ips')
        .set({ account_id: a.accountId, region: a.region, pool_name: DEFAULT_POOL })
        .where('ip', '=', a.ip)
        .execute();
    }
  }
}

/** UTC day of a time, the key of the per-address daily count. */
export const utcDay = (d: Date): string => d.toISOString().slice(0, 10);

export async function recipientsSentToday(
  store: Store,
  ips: readonly string[],
  now: Date,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (ips.length === 0) return out;
  const rows = await store.db
    .selectFrom('ses_dedicated_ip_usage')
    .select(['ip', 'recipients'])
    .where('ip', 'in', [...ips])
    .where('day', '=', utcDay(now))
    .execute();
  for (const r of rows) out.set(r.ip, Number(r.recipients));
  return out;
}

export async function countIpUsage(store: Store, ip: string, recipients: number, now: Date): Promise<void> {
  await store.db
    .insertInto('ses_dedicated_ip_usage')
    .values({ ip, day: utcDay(now), recipients })
    .onConflict((oc) =>
      oc
        .columns(['ip', 'day'])
        .doUpdateSet((eb) => ({ recipients: eb('ses_dedicated_ip_usage.recipients', '+', recipients) })),
    )
    .execute();
}
