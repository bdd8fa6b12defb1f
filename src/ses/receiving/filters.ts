// Stored receipt IP filters (per account and region) and their CIDR syntax.
import ipaddr from 'ipaddr.js';
import type { Store } from '../../store/database.js';
import { invalidateSendState } from '../state/invalidate.js';
import { RECEIPT_LIMITS } from './errors.js';
import type { ReceiptFilter } from './types.js';

interface Scope {
  accountId: string;
  region: string;
}

/**
 * A single IPv4 or IPv6 address or an in-range CIDR block, in plain ASCII (no brackets, zones or
 * IPv4-mapped spellings); returns the address and prefix length, or undefined.
 */
export function parseCidr(text: string): { address: ipaddr.IPv4 | ipaddr.IPv6; bits: number } | undefined {
  if (!/^[0-9A-Fa-f:.]+(\/\d{1,3})?$/.test(text)) return undefined;
  const [addr, prefix] = text.split('/') as [string, string | undefined];
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  if (ipaddr.IPv4.isValidFourPartDecimal(addr)) address = ipaddr.IPv4.parse(addr);
  else if (addr.includes(':') && ipaddr.IPv6.isValid(addr) && !addr.includes('.'))
    address = ipaddr.IPv6.parse(addr);
  else return undefined;
  const max = address.kind() === 'ipv4' ? 32 : 128;
  const bits = prefix === undefined ? max : Number(prefix);
  if (!Number.isInteger(bits) || bits < 0 || bits > max) return undefined;
  return { address, bits };
}

export async function listFilters(store: Store, s: Scope): Promise<ReceiptFilter[]> {
  const rows = await store.db
    .selectFrom('ses_receipt_filters')
    .select(['name', 'policy', 'cidr', 'created_at'])
    .where('account_id', '=', s.accountId)
    .where('region', '=', s.region)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({
    name: r.name,
    policy: r.policy as ReceiptFilter['policy'],
    cidr: r.cidr,
    createdAt: new Date(Number(r.created_at)),
  }));
}

export async function insertFilter(
  store: Store,
  s: Scope,
  f: Omit<ReceiptFilter, 'createdAt'>,
  now: Date,
): Promise<'created' | 'exists' | 'limit'> {
  const outcome = await store.db.transaction().execute(async (trx) => {
    const count = await trx
      .selectFrom('ses_receipt_filters')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', s.accountId)
      .where('region', '=', s.region)
      .executeTakeFirstOrThrow();
    const exists = await trx
      .selectFrom('ses_receipt_filters')
      .select('name')
      .where('account_id', '=', s.accountId)
      .where('region', '=', s.region)
      .where('name', '=', f.name)
      .executeTakeFirst();
    if (exists) return 'exists' as const;
    if (Number(count.n) >= RECEIPT_LIMITS.filters) return 'limit' as const;
    const res = await trx
      .insertInto('ses_receipt_filters')
      .values({
        account_id: s.accountId,
        region: s.region,
        name: f.name,
        policy: f.policy,
        cidr: f.cidr,
        created_at: now.getTime(),
      })
      .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0 ? ('created' as const) : ('exists' as const);
  });
  if (outcome === 'created') await invalidateSendState(store, s.accountId);
  return outcome;
}

/** Deleting a filter that does not exist succeeds (the model declares no error). */
export async function deleteFilter(store: Store, s: Scope, name: string): Promise<void> {
  const res = await store.db
    .deleteFrom('ses_receipt_filters')
    .where('account_id', '=', s.accountId)
    .where('region', '=', s.region)
    .where('name', '=', name)
    .executeTakeFirst();
  if (Number(res.numDeletedRows) > 0) await invalidateSendState(store, s.accountId);
}
