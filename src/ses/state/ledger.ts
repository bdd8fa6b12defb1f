// The ledger of accepted recipients, filled by the send path: SentLast24Hours is the rolling sum
// over the last 24 hours (spec §5.3: quotas count recipients, not messages).
import type { Store } from '../../store/database.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

export async function recordSend(
  store: Store,
  accountId: string,
  region: string,
  at: Date,
  recipients: number,
): Promise<void> {
  if (recipients <= 0) return;
  await store.db
    .insertInto('ses_sending_ledger')
    .values({ account_id: accountId, region, sent_at: at.getTime(), recipients })
    .execute();
}

/** Recipients accepted in (now - 24 h, now]. */
export async function sentInLast24Hours(
  store: Store,
  accountId: string,
  region: string,
  now: Date,
): Promise<number> {
  const row = await store.db
    .selectFrom('ses_sending_ledger')
    .select((eb) => eb.fn.sum<number | string | null>('recipients').as('total'))
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('sent_at', '>', now.getTime() - DAY_MS)
    .where('sent_at', '<=', now.getTime())
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}
