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
 * The bucket taken in one statement, compiled once per dialect (it runs on every send or group of
 * sends): values are account, region, capacity, the tokens taken, the budget the take needs, rate,
 * and (SQLite) now in ms. One send needs a budget of 1 (SES admits it while any remains); a group
 * needs what its last send would find left after the others, 1 + the others' recipients.
 */
const takeTokens = compiledQuery<{ granted: number }>((db, p, dialect) => {
  const pg = dialect === 'postgres';
  const nowMs = pg ? dbNowMs : sql<number>`${p(6)}`;
  const [least, greatest, float] = pg ? ['least', 'greatest', sql`::float8`] : ['min', 'max', sql``];
  const refilled = sql<number>`${sql.raw(least)}(${p(2)}${float}, b.tokens + ${sql.raw(greatest)}(0, ${nowMs} - b.updated_at) / 1000.0 * ${p(5)}${float})`;
  const ok = sql`${refilled} >= ${p(4)}${float}`;
  const fresh = sql`${p(2)}${float} >= ${p(4)}${float}`; // a new bucket is full
  const statement = sql`
      insert into ses_send_rate_buckets as b (account_id, region, tokens, updated_at, granted)
      values (${p(0)}, ${p(1)}, case when ${fresh} then ${p(2)}${float} - ${p(3)} else ${p(2)}${float} end,
        ${nowMs}, case when ${fresh} then 1 else 0 end)
      on conflict (account_id, region) do update set
        tokens = case when ${ok} then ${refilled} - ${p(3)} else ${refilled} end,
        updated_at = ${sql.raw(greatest)}(b.updated_at, ${nowMs}),
        granted = case when ${ok} then 1 else 0 end
      returning granted`;
  return { compile: () => statement.compile(db) };
});

interface PendingTake {
  recipients: number;
  now: Date;
  resolve: (granted: boolean) => void;
  reject: (e: unknown) => void;
}

/** Per store, the takes of one bucket waiting for this turn of the event loop to end. */
const waiting = new WeakMap<object, Map<string, PendingTake[]>>();

/**
 * Takes `recipients` tokens from the shared bucket if any budget remains (SES admits the send).
 * The sends of one turn of the event loop take together, in one statement when the bucket grants
 * them all; otherwise one by one in their order, so that each is answered exactly as alone.
 */
export function takeSharedRate(
  store: Store,
  accountId: string,
  region: string,
  maxSendRate: number,
  recipients: number,
  now = new Date(),
): Promise<boolean> {
  let buckets = waiting.get(store.key);
  if (!buckets) waiting.set(store.key, (buckets = new Map()));
  const key = `${accountId}\u0000${region}\u0000${maxSendRate}`;
  return new Promise((resolve, reject) => {
    let group = buckets.get(key);
    if (!group) {
      const taking: PendingTake[] = (group = []);
      buckets.set(key, taking);
      setImmediate(() => {
        buckets.delete(key);
        void takeGroup(store, accountId, region, maxSendRate, taking);
      });
    }
    group.push({ recipients, now, resolve, reject });
  });
}

async function takeGroup(
  store: Store,
  accountId: string,
  region: string,
  maxSendRate: number,
  group: PendingTake[],
): Promise<void> {
  const take = (counts: number[], now: Date) => {
    const total = counts.reduce((a, b) => a + b, 0);
    const needed = 1 + total - counts[counts.length - 1]!;
    const capacity = Math.max(maxSendRate, 1);
    const values = [accountId, region, capacity, total, needed, maxSendRate, now.getTime()];
    const run = async (tx: Store) => Number((await takeTokens(tx, values))[0]?.granted) === 1;
    // SQLite: with the other writes of the moment, the write lock waited for without blocking.
    return batchedOnSqlite(store, 'statement', run);
  };
  try {
    const latest = new Date(Math.max(...group.map((t) => t.now.getTime())));
    if (
      group.length > 1 &&
      (await take(
        group.map((t) => t.recipients),
        latest,
      ))
    ) {
      for (const t of group) t.resolve(true);
      return;
    }
    for (const t of group) t.resolve(await take([t.recipients], t.now));
  } catch (e) {
    for (const t of group) t.reject(e); // those already answered keep their answer
  }
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
