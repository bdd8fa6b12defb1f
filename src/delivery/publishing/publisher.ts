// The publisher: claims due publications under a short lease, POSTs each signed body, deletes it on
// a 2xx, otherwise retries with bounded exponential backoff; after `maxAttempts` failures the row
// moves to event_dead_letters. Several processes may run one each: a claim leases a batch of rows,
// and every settle is fenced by that lease.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Store } from '../../store/database.js';
import type { Database } from '../../store/schema.js';
import type { EventPublicationRow } from '../../store/schema/publishing.js';
import { backoffMs } from '../lease.js';
import { SIGNATURE_HEADER, signBody } from './envelope.js';

export interface PublisherTuning {
  pollMs: number;
  /** Attempts before a dead letter. */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  leaseMs: number;
  requestTimeoutMs: number;
  batch: number;
}

export const DEFAULT_PUBLISHER_TUNING: PublisherTuning = {
  pollMs: 200,
  maxAttempts: 8,
  retryBaseMs: 1000,
  retryMaxMs: 5 * 60_000,
  leaseMs: 60_000,
  requestTimeoutMs: 10_000,
  batch: 20,
};

export interface PublisherDeps {
  store: Store;
  key: Buffer;
  log: { warn(o: object, m: string): void; debug(o: object, m: string): void };
  tuning?: Partial<PublisherTuning>;
  now?: () => Date;
}

export interface PublisherHandle {
  stop(): Promise<void>;
  /** Runs one claim-and-post round (tests). */
  runOnce(): Promise<number>;
}

const CONTENT_TYPES: Record<string, string> = {
  sns: 'text/plain; charset=UTF-8',
  eventbridge: 'application/json',
};

/** Posts one publication; resolves to undefined on success or the failure text. */
async function post(row: EventPublicationRow, key: Buffer, timeoutMs: number): Promise<string | undefined> {
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPES[row.kind] ?? 'application/json',
    [SIGNATURE_HEADER]: signBody(key, row.body),
    'user-agent': 'Sesame-Event-Publisher/1.0',
  };
  // A receipt rule's Event invocation of a Lambda function (src/inbound/publish.ts).
  if (row.kind === 'lambda') headers['x-amz-invocation-type'] = 'Event';
  if (row.kind === 'sns') {
    const env = JSON.parse(row.body) as { MessageId: string };
    headers['x-amz-sns-message-type'] = 'Notification';
    headers['x-amz-sns-message-id'] = env.MessageId;
    headers['x-amz-sns-topic-arn'] = row.target;
  }
  try {
    const res = await fetch(row.url, {
      method: 'POST',
      headers,
      body: row.body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.status >= 200 && res.status < 300 ? undefined : `HTTP ${res.status}`;
  } catch (e) {
    const err = e as { message?: string; cause?: { code?: string; message?: string } };
    return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
  }
}

export function startPublisher(deps: PublisherDeps): PublisherHandle {
  const tuning = { ...DEFAULT_PUBLISHER_TUNING, ...deps.tuning };
  const now = deps.now ?? (() => new Date());
  const db = deps.store.db;
  let stopping = false;
  const abort = new AbortController();

  /**
   * Leases up to `batch` due, unleased publications. PostgreSQL: the ids are picked with
   * FOR UPDATE SKIP LOCKED, then leased, in one transaction (as lease.ts claims the outbox): an
   * `IN (SELECT … LIMIT n)` inside the UPDATE may be re-run per row by the planner, and its window
   * then slides past the limit. SQLite: one statement, which takes the write lock as it starts.
   */
  async function claim(): Promise<EventPublicationRow[]> {
    const t = now().getTime();
    const due = (q: Kysely<Database>) =>
      q
        .selectFrom('event_publications')
        .select('publication_id')
        .where('next_attempt_at', '<=', t)
        .where('lease_until', '<', t)
        .orderBy('next_attempt_at')
        .limit(tuning.batch);
    const rows =
      deps.store.dialect === 'postgres'
        ? await db.transaction().execute(async (trx) => {
            const ids = (await due(trx).forUpdate().skipLocked().execute()).map((r) => r.publication_id);
            if (ids.length === 0) return [];
            return trx
              .updateTable('event_publications')
              .set({ lease_until: t + tuning.leaseMs })
              .where('publication_id', 'in', ids)
              .returningAll()
              .execute();
          })
        : await db
            .updateTable('event_publications')
            .set({ lease_until: t + tuning.leaseMs })
            .where('publication_id', 'in', due(db))
            .returningAll()
            .execute();
    return rows.sort((a, b) => Number(a.next_attempt_at) - Number(b.next_attempt_at));
  }

  async function settle(row: EventPublicationRow, failure: string | undefined): Promise<void> {
    // Every settle is fenced by the lease this round took: if it expired and another publisher
    // holds the row now, the row is theirs to settle (its attempts and lease stay as they set them).
    const lease = Number(row.lease_until);
    if (failure === undefined) {
      await db
        .deleteFrom('event_publications')
        .where('publication_id', '=', row.publication_id)
        .where('lease_until', '=', lease)
        .execute();
      return;
    }
    const attempts = Number(row.attempts) + 1;
    const t = now().getTime();
    if (attempts >= tuning.maxAttempts) {
      deps.log.warn(
        { publicationId: row.publication_id, url: row.url, attempts, failure },
        'event publication dead-lettered',
      );
      await db.transaction().execute(async (trx) => {
        const gone = await trx
          .deleteFrom('event_publications')
          .where('publication_id', '=', row.publication_id)
          .where('lease_until', '=', lease)
          .executeTakeFirst();
        if (Number(gone.numDeletedRows) === 0) return; // another publisher holds it now
        await trx
          .insertInto('event_dead_letters')
          .values({
            publication_id: row.publication_id,
            event_id: row.event_id,
            message_id: row.message_id,
            account_id: row.account_id,
            kind: row.kind,
            target: row.target,
            url: row.url,
            body: row.body,
            attempts,
            last_error: failure,
            created_at: Number(row.created_at),
            failed_at: t,
          })
          .onConflict((oc) => oc.column('publication_id').doNothing())
          .execute();
      });
      return;
    }
    await db
      .updateTable('event_publications')
      .set({
        attempts,
        next_attempt_at: t + backoffMs(attempts, tuning.retryBaseMs, tuning.retryMaxMs),
        lease_until: 0,
        last_error: failure,
      })
      .where('publication_id', '=', row.publication_id)
      .where('lease_until', '=', lease)
      .execute();
  }

  async function runOnce(): Promise<number> {
    const rows = await claim();
    await Promise.all(rows.map(async (r) => settle(r, await post(r, deps.key, tuning.requestTimeoutMs))));
    return rows.length;
  }

  const loop = (async () => {
    while (!stopping) {
      let n = 0;
      try {
        n = await runOnce();
      } catch (err) {
        deps.log.warn({ err }, 'event publishing round failed');
      }
      if (stopping) break;
      if (n === 0) await sleep(tuning.pollMs, undefined, { signal: abort.signal }).catch(() => undefined);
    }
  })();

  return {
    runOnce,
    async stop() {
      stopping = true;
      abort.abort();
      await loop;
    },
  };
}

/** Dead letters of an account, newest first (operators and tests). */
export async function listDeadLetters(store: Store, accountId: string) {
  return store.db
    .selectFrom('event_dead_letters')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('failed_at', 'desc')
    .execute();
}
