// Sending limits that hold across the processes sharing one store: nodes on one PostgreSQL, and
// the workers of one node (SESAME_WORKERS) on SQLite as on PostgreSQL. A store written by this
// process alone (`store.shared` false) keeps the rate bucket in memory and the quota count in the
// ledger cache (ledger.ts); a shared one:
//
// - MaxSendRate is one token bucket per (account, region) in the database, taken in one statement
//   (refilled by PostgreSQL's clock; on SQLite, whose writers share one machine, by theirs), so N
//   processes share one rate instead of N.
// - The 24-hour quota: the send path checks a count that may miss the last second of other
//   processes' sends (ledger.ts). Far from the limit that cannot matter: the shared rate bounds
//   what the others accept meanwhile. Within that margin of the limit (or with no rate limit at
//   all), a send re-counts and commits under a lock of its account (PostgreSQL: an advisory lock;
//   SQLite: the write lock its transaction took at BEGIN IMMEDIATE), so exactly the quota is
//   accepted — while commits take under LAG_SECONDS, which the margin assumes.
import { sql } from 'kysely';
import type { Store } from '../../store/database.js';
import { compiledQuery } from '../../store/compiled-query.js';
import { batchedOnSqlite } from '../../store/write-batch.js';
import { sentInLast24Hours } from '../state/index.js';

/** What the margin covers: the cached count's age (1 s) plus commits in flight. */
export const LAG_SECONDS = 5;
/** SES's most recipients in one message: the bucket admits one send that overdraws it. */
const MAX_RECIPIENTS = 50;

const dbNowMs = sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

/**
 * The bucket taken in one statement, compiled once per dialect (it runs on every send): values are
 * account, region, capacity, tokens after a first take, recipients, rate, and (SQLite) now in ms.
 */
const takeTokens = compiledQuery<{ granted: number }>((db, p, dialect) => {
  const pg = dialect === 'postgres';
  const nowMs = pg ? dbNowMs : sql<number>`${p(6)}`;
  const [least, greatest, float] = pg ? ['least', 'greatest', sql`::float8`] : ['min', 'max', sql``];
  const refilled = sql<number>`${sql.raw(least)}(${p(2)}${float}, b.tokens + ${sql.raw(greatest)}(0, ${nowMs} - b.updated_at) / 1000.0 * ${p(5)}${float})`;
  const ok = sql`${refilled} >= 1`;
  const statement = sql`
      insert into ses_send_rate_buckets as b (account_id, region, tokens, updated_at, granted)
      values (${p(0)}, ${p(1)}, ${p(3)}${float}, ${nowMs}, 1)
      on conflict (account_id, region) do update set
        tokens = case when ${ok} then ${refilled} - ${p(4)} else ${refilled} end,
        updated_at = ${sql.raw(greatest)}(b.updated_at, ${nowMs}),
        granted = case when ${ok} then 1 else 0 end
      returning granted`;
  return { compile: () => statement.compile(db) };
});

/** Takes `recipients` tokens from the shared bucket if any budget remains (SES admits the send). */
export async function takeSharedRate(
  store: Store,
  accountId: string,
  region: string,
  maxSendRate: number,
  recipients: number,
  now = new Date(),
): Promise<boolean> {
  const capacity = Math.max(maxSendRate, 1);
  const values = [accountId, region, capacity, capacity - recipients, recipients, maxSendRate, now.getTime()];
  const take = async (tx: Store) => Number((await takeTokens(tx, values))[0]?.granted) === 1;
  // SQLite: with the other writes of the moment, the write lock waited for without blocking.
  return batchedOnSqlite(store, 'statement', take);
}

/** Whether this send must take the exact (locked) path for the 24-hour quota. */
export function quotaNeedsLock(
  store: Store,
  account: { max24HourSend: number; maxSendRate: number },
  projected: number,
): boolean {
  if (!store.shared || account.max24HourSend < 0) return false;
  if (account.maxSendRate < 0) return true;
  return projected + Math.ceil(account.maxSendRate * LAG_SECONDS) + MAX_RECIPIENTS > account.max24HourSend;
}

/**
 * Inside the send's transaction: holds the account's lock until commit, re-counts, and answers which
 * of `counts` (each message's quota-counted recipients, in entry order) still fit, taken in order as
 * the unlocked path takes them (an entry that does not fit is skipped; a smaller one after it may).
 * A single send that does not fit is refused; a bulk send keeps the entries that fit (the others
 * answer ACCOUNT_DAILY_QUOTA_EXCEEDED) instead of failing whole because another process's sends
 * landed in between.
 */
export async function fitQuotaUnderLock(
  tx: Store,
  accountId: string,
  region: string,
  now: Date,
  counts: readonly number[],
  max24HourSend: number,
): Promise<boolean[]> {
  // SQLite: BEGIN IMMEDIATE took the write lock, which no other process's send passes.
  if (tx.dialect === 'postgres')
    await sql`select pg_advisory_xact_lock(hashtext(${`ses-quota/${accountId}/${region}`}))`.execute(tx.db);
  let sent = await sentInLast24Hours(tx, accountId, region, now);
  return counts.map((n) => {
    if (sent + n > max24HourSend) return false;
    sent += n;
    return true;
  });
}
