// The account-level suppression list (v2). Addresses compare case-insensitively.
import { sql } from 'kysely';
import { compiledQuery } from '../../store/compiled-query.js';
import type { Store } from '../../store/database.js';
import type { SuppressionReason } from './account.js';

export interface SuppressedDestination {
  emailAddress: string;
  reason: SuppressionReason;
  lastUpdateTime: Date;
  messageId?: string;
  feedbackId?: string;
}

const key = (address: string): string => address.trim().toLowerCase();

/** Adds or replaces an entry (PutSuppressedDestination; bounces and complaints later). */
export async function putSuppressedDestination(
  store: Store,
  accountId: string,
  region: string,
  address: string,
  reason: SuppressionReason,
  now: Date,
  attributes: { messageId?: string; feedbackId?: string } = {},
): Promise<void> {
  const values = {
    reason,
    last_update_time: now.getTime(),
    message_id: attributes.messageId ?? null,
    feedback_id: attributes.feedbackId ?? null,
  };
  await store.db
    .insertInto('ses_suppressed_destinations')
    .values({ account_id: accountId, region, email_address: key(address), ...values })
    .onConflict((oc) => oc.columns(['account_id', 'region', 'email_address']).doUpdateSet(values))
    .execute();
}

/** Adds or replaces many entries at once (import jobs); a repeated address: the last one wins. */
export async function putSuppressedDestinations(
  store: Store,
  accountId: string,
  region: string,
  entries: readonly { emailAddress: string; reason: SuppressionReason }[],
  now: Date,
): Promise<void> {
  const byKey = new Map(entries.map((e) => [key(e.emailAddress), e.reason]));
  if (byKey.size === 0) return;
  await store.db
    .insertInto('ses_suppressed_destinations')
    .values(
      [...byKey].map(([email_address, reason]) => ({
        account_id: accountId,
        region,
        email_address,
        reason,
        last_update_time: now.getTime(),
        message_id: null,
        feedback_id: null,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['account_id', 'region', 'email_address']).doUpdateSet((eb) => ({
        reason: eb.ref('excluded.reason'),
        last_update_time: eb.ref('excluded.last_update_time'),
        message_id: null,
        feedback_id: null,
      })),
    )
    .execute();
}

/** Removes many entries at once (import jobs); addresses not on the list are no error. */
export async function deleteSuppressedDestinations(
  store: Store,
  accountId: string,
  region: string,
  addresses: readonly string[],
): Promise<void> {
  if (addresses.length === 0) return;
  await store.db
    .deleteFrom('ses_suppressed_destinations')
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('email_address', 'in', [...new Set(addresses.map(key))])
    .execute();
}

/** The suppression entry for an address, if any (the send path drops such recipients). */
export async function isSuppressed(
  store: Store,
  accountId: string,
  region: string,
  address: string,
): Promise<SuppressedDestination | undefined> {
  const row = await store.db
    .selectFrom('ses_suppressed_destinations')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('email_address', '=', key(address))
    .executeTakeFirst();
  if (!row) return undefined;
  const d: SuppressedDestination = {
    emailAddress: row.email_address,
    reason: row.reason as SuppressionReason,
    lastUpdateTime: new Date(Number(row.last_update_time)),
  };
  if (row.message_id) d.messageId = row.message_id;
  if (row.feedback_id) d.feedbackId = row.feedback_id;
  return d;
}

export const getSuppressedDestination = isSuppressed;

/**
 * Which of `addresses` (as given) are on the account's list: one statement for a message's
 * recipients, compiled once (delivery asks it for every message).
 */
export async function suppressedAmong(
  store: Store,
  accountId: string,
  region: string,
  addresses: readonly string[],
): Promise<Set<string>> {
  if (addresses.length === 0) return new Set();
  const keys = addresses.map(key);
  const rows =
    keys.length === 1
      ? await SUPPRESSED_ONE(store, [accountId, region, keys[0]])
      : await SUPPRESSED_AMONG(store, [accountId, region, JSON.stringify(keys)]);
  const listed = new Set(rows.map((r) => r.email_address));
  return new Set(addresses.filter((a) => listed.has(key(a))));
}

const suppressedWhere = (inList: boolean) =>
  compiledQuery<{ email_address: string }>((db, p, dialect) =>
    db
      .selectFrom('ses_suppressed_destinations')
      .select('email_address')
      .where('account_id', '=', p(0))
      .where('region', '=', p(1))
      .where(
        'email_address',
        inList ? 'in' : '=',
        // Many keys travel as one JSON array, so the statement's text does not depend on their
        // number (one recipient, the common case, is the cheaper equality).
        !inList
          ? p(2)
          : dialect === 'postgres'
            ? sql<string>`(select jsonb_array_elements_text(${p(2)}::jsonb))`
            : sql<string>`(select value from json_each(${p(2)}))`,
      ),
  );
const SUPPRESSED_ONE = suppressedWhere(false);
const SUPPRESSED_AMONG = suppressedWhere(true);

export async function deleteSuppressedDestination(
  store: Store,
  accountId: string,
  region: string,
  address: string,
): Promise<boolean> {
  const res = await store.db
    .deleteFrom('ses_suppressed_destinations')
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('email_address', '=', key(address))
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export interface ListSuppressedOptions {
  reasons?: SuppressionReason[];
  startDate?: Date;
  endDate?: Date;
  after?: string;
  limit: number;
}

export async function listSuppressedDestinations(
  store: Store,
  accountId: string,
  region: string,
  opts: ListSuppressedOptions,
): Promise<SuppressedDestination[]> {
  let q = store.db
    .selectFrom('ses_suppressed_destinations')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region);
  if (opts.reasons && opts.reasons.length > 0) q = q.where('reason', 'in', opts.reasons);
  if (opts.startDate) q = q.where('last_update_time', '>=', opts.startDate.getTime());
  if (opts.endDate) q = q.where('last_update_time', '<=', opts.endDate.getTime());
  if (opts.after !== undefined) q = q.where('email_address', '>', opts.after);
  const rows = await q.orderBy('email_address').limit(opts.limit).execute();
  return rows.map((r) => ({
    emailAddress: r.email_address,
    reason: r.reason as SuppressionReason,
    lastUpdateTime: new Date(Number(r.last_update_time)),
  }));
}
