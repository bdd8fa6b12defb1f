// The dedicated address a message leaves from: its configuration set's SendingPoolName names a
// STANDARD pool (or SES's default pool) of the node's declared addresses. Each address in warm-up
// carries at most its warm-up percentage of the account's daily quota per UTC day; the least used
// address with room is taken, and when none has room the message leaves from the node's shared
// address, as SES sends a warming IP's overflow over its shared pool. MANAGED pools are SES's to
// run: their mail leaves from the shared address.
import type { Store } from '../store/database.js';
import type { OutboxRow } from '../store/schema/outbox.js';
import type { RecipientOutcome } from './transports/types.js';
import { getAccountFeatures } from '../ses/state/account-features.js';
import type { ConfigurationSet } from '../ses/state/configuration-sets.js';
import {
  DEFAULT_POOL,
  countIpUsage,
  getPool,
  listDedicatedIpRows,
  recipientsSentToday,
  warmupPercentage,
} from '../ses/state/dedicated-ips.js';

/** SES's production daily quota, the volume a fully warmed address stands for when the account has none. */
const DEFAULT_DAILY_VOLUME = 50_000;

async function dailyVolume(store: Store, accountId: string, region: string): Promise<number> {
  const row = await store.db
    .selectFrom('ses_accounts')
    .select('max_24_hour_send')
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .executeTakeFirst();
  const max = Number(row?.max_24_hour_send ?? -1);
  return max > 0 ? max : DEFAULT_DAILY_VOLUME;
}

/** The local address to bind for `recipients` more recipients of this message, counted; or none. */
export async function sendingAddress(
  store: Store,
  row: Pick<OutboxRow, 'account_id' | 'region'>,
  cs: ConfigurationSet | undefined,
  recipients: number,
  now: Date,
): Promise<string | undefined> {
  const poolName = cs?.deliveryOptions?.SendingPoolName;
  if (!poolName) return undefined;
  if (poolName !== DEFAULT_POOL) {
    const pool = await getPool(store, row.account_id, row.region, poolName);
    if (!pool || pool.scalingMode === 'MANAGED') return undefined;
  }
  const addresses = await listDedicatedIpRows(store, row.account_id, row.region, {
    pool: poolName,
    limit: 1000,
  });
  if (addresses.length === 0) return undefined;
  const [{ autoWarmupEnabled }, volume, used] = await Promise.all([
    getAccountFeatures(store, row.account_id, row.region),
    dailyVolume(store, row.account_id, row.region),
    recipientsSentToday(
      store,
      addresses.map((a) => a.ip),
      now,
    ),
  ]);
  let best: { ip: string; used: number } | undefined;
  for (const a of addresses) {
    const pct = warmupPercentage(a, autoWarmupEnabled, now);
    const cap = pct >= 100 ? Infinity : Math.floor((volume * pct) / 100);
    const sent = used.get(a.ip) ?? 0;
    if (sent + recipients > cap) continue;
    if (!best || sent < best.used) best = { ip: a.ip, used: sent };
  }
  if (!best) return undefined;
  await countIpUsage(store, best.ip, recipients, now);
  return best.ip;
}

/** A dedicated address taken for one attempt, its recipients counted in its day's volume. */
export interface AddressReservation {
  localAddress: string;
  /**
   * In the attempt's closing transaction: gives back the recipients that did not leave (a
   * temporary failure: the next attempt counts them again), so a retried recipient counts once.
   */
  release(tx: Store, outcomes: readonly RecipientOutcome[]): Promise<void>;
}

/** The dedicated address of a message's attempt, counted; undefined when none applies. */
export async function boundAddress(
  store: Store,
  row: Pick<OutboxRow, 'account_id' | 'region'>,
  cs: ConfigurationSet | undefined,
  recipients: number,
  now: Date,
): Promise<AddressReservation | undefined> {
  const localAddress = await sendingAddress(store, row, cs, recipients, now);
  if (!localAddress) return undefined;
  return {
    localAddress,
    release: async (tx, outcomes) => {
      const unsent = outcomes.filter((o) => o.kind === 'failed' && !o.permanent).length;
      if (unsent > 0) await countIpUsage(tx, localAddress, -unsent, now);
    },
  };
}
