// The ledger of accepted recipients, filled by the send path (docs/spec/ses.md §5.3: quotas count recipients,
// not messages). One row per (account, region, minute): SentLast24Hours sums the minutes that
// overlap the last 24 hours, so a send leaves the count between 24 h and 24 h + 1 min after it was
// accepted — never early, so the quota is never exceeded at the window's edge.
//
// The send path asks on every message; its answer is kept in memory per account and region and
// kept exact by adding this process's own sends. It is read again when the minute changes (the
// oldest minute leaves the window) and, where other processes send too (nodes on one PostgreSQL,
// a node's workers), at least once a second: the count may lag their sends by that second.
import { sql } from 'kysely';
import type { Store } from '../../store/database.js';
import { foldedStatement } from '../../store/compiled-query.js';

export const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60_000;
const PEER_LAG_MS = 1000;

const minuteOf = (t: number) => t - (t % MINUTE_MS);

interface Counter {
  minute: number;
  readAt: number;
  total: number;
}

const counters = new WeakMap<object, Map<string, Counter>>();
/** Sends counted per store: a count read from the store is kept only if none committed meanwhile. */
const counted = new WeakMap<object, { n: number }>();
const countedOf = (store: Store) => {
  let c = counted.get(store.key);
  if (!c) counted.set(store.key, (c = { n: 0 }));
  return c;
};

/** After the store was emptied wholesale (emulator reset): the next sends read the count again. */
export function forgetSendCounts(store: Store): void {
  counters.delete(store.key);
}

function countersOf(store: Store): Map<string, Counter> {
  let m = counters.get(store.key);
  if (!m) counters.set(store.key, (m = new Map()));
  return m;
}

const addToMinute = foldedStatement((db, p) =>
  db
    .insertInto('ses_sending_ledger_minutes')
    .values({ account_id: p(0), region: p(1), minute: p(2) as never, recipients: p(3) as never })
    .onConflict((oc) =>
      oc
        .columns(['account_id', 'region', 'minute'])
        .doUpdateSet({ recipients: sql<number>`ses_sending_ledger_minutes.recipients + ${p(3)}` }),
    ),
);

/** Records accepted recipients: the ledger row, then the count in memory. */
export async function recordSend(
  store: Store,
  accountId: string,
  region: string,
  at: Date,
  recipients: number,
): Promise<void> {
  await writeSend(store, accountId, region, at, recipients);
  countSend(store, accountId, region, at, recipients);
}

/**
 * The ledger row only, for a write inside a (shared) transaction: call `countSend` once it has
 * committed. Counting before the commit counted twice when a group commit failed and its writes
 * were retried one by one, and counted sends that never committed.
 */
export async function writeSend(
  store: Store,
  accountId: string,
  region: string,
  at: Date,
  recipients: number,
): Promise<void> {
  if (recipients <= 0) return;
  await addToMinute(store, [accountId, region, minuteOf(at.getTime()), recipients]);
}

/** Adds committed recipients to the count in memory (exact while it is kept). */
export function countSend(
  store: Store,
  accountId: string,
  region: string,
  at: Date,
  recipients: number,
): void {
  if (recipients <= 0) return;
  const minute = minuteOf(at.getTime());
  countedOf(store).n++;
  // Keep the cached count exact: a send in the counted minutes adds to it; anything else (a
  // send dated elsewhere, as tests and imports do) makes the next read go to the store.
  const key = `${accountId}\u0000${region}`;
  const c = countersOf(store).get(key);
  if (!c) return;
  if (minute <= c.minute && minute > c.minute - DAY_MS) c.total += recipients;
  else if (minute > c.minute) countersOf(store).delete(key);
}

/** Recipients accepted in the minutes overlapping (now - 24 h, now], read from the store. */
export async function sentInLast24Hours(
  store: Store,
  accountId: string,
  region: string,
  now: Date,
): Promise<number> {
  const t = now.getTime();
  const row = await store.db
    .selectFrom('ses_sending_ledger_minutes')
    .select((eb) => eb.fn.sum<number | string | null>('recipients').as('total'))
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('minute', '>', t - DAY_MS - MINUTE_MS)
    .where('minute', '<=', t)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

/** The same count for the send path: from memory while it is known to be exact. */
export async function sentInLast24HoursForSend(
  store: Store,
  accountId: string,
  region: string,
  now: Date,
): Promise<number> {
  const key = `${accountId}\u0000${region}`;
  const t = now.getTime();
  const minute = minuteOf(t);
  const cached = countersOf(store).get(key);
  if (cached && cached.minute === minute && (!store.shared || t - cached.readAt < PEER_LAG_MS))
    return cached.total;
  const before = countedOf(store).n;
  const total = await sentInLast24Hours(store, accountId, region, now);
  // A send committed during the read may be missing from it: answer, but do not keep it.
  if (countedOf(store).n !== before) return total;
  const m = countersOf(store);
  m.set(key, { minute, readAt: t, total });
  if (m.size > 20_000) m.delete(m.keys().next().value as string);
  return total;
}
