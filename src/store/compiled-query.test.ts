import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from './database.js';
import { compiledStatement } from './compiled-query.js';
import { insertRows } from './prepared-insert.js';
import { batchedWrite } from './write-batch.js';

describe.each(testDialects())('compiledStatement on %s', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store.close();
  });

  // A value used twice and out of order: the SQL's parameters follow the statement, not the list.
  const add = compiledStatement((db, p) =>
    db
      .insertInto('ses_sending_ledger_minutes')
      .values({ account_id: p(1), region: p(0), minute: p(2) as never, recipients: p(3) as never })
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'region', 'minute'])
          .doUpdateSet({ recipients: sql<number>`ses_sending_ledger_minutes.recipients + ${p(3)}` }),
      ),
  );

  it('runs the SQL compiled once with each call’s values in their places', async () => {
    await add(store, ['us-east-1', '111122223333', 60_000, 2]);
    await add(store, ['us-east-1', '111122223333', 60_000, 5]);
    await add(store, ['eu-west-1', '111122223333', 120_000, 1]);
    const rows = await store.db
      .selectFrom('ses_sending_ledger_minutes')
      .select(['account_id', 'region', 'minute', 'recipients'])
      .orderBy('minute')
      .execute();
    expect(rows.map((r) => [r.account_id, r.region, Number(r.minute), Number(r.recipients)])).toEqual([
      ['111122223333', 'us-east-1', 60_000, 7],
      ['111122223333', 'eu-west-1', 120_000, 1],
    ]);
  });

  it('refuses a statement built with a literal value instead of p(i)', async () => {
    const bad = compiledStatement((db, p) =>
      db.insertInto('ses_sending_ledger_minutes').values({
        account_id: p(0),
        region: 'us-east-1',
        minute: 0,
        recipients: 1,
      }),
    );
    await expect(bad(store, ['111122223333'])).rejects.toThrow(
      'compiled statement: a value was not given as p(i): us-east-1',
    );
  });

  // The delivery events' insert: several rows, ON CONFLICT DO NOTHING, RETURNING what was new.
  const event = (id: string, type: string) => ({
    event_id: id,
    message_id: 'm-compiled',
    account_id: '111122223333',
    region: 'us-east-1',
    event_type: type,
    recipients: '["a@example.com"]',
    recipient_count: 1,
    configuration_set: null,
    source_arn: null,
    event_time: 1_700_000_000_000,
    payload: '{}',
    tenant_name: null,
  });
  const insertEvents = (s: Store, ids: [string, string][]) =>
    insertRows(
      s,
      'delivery_events',
      ids.map(([id, type]) => event(id, type)),
      { conflictDoNothing: 'event_id', returning: 'event_id' },
    );

  it('inserts several rows at once and answers only the ones that were new', async () => {
    expect(
      await insertEvents(store, [
        ['e1', 'Send'],
        ['e2', 'Delivery'],
      ]),
    ).toEqual(['e1', 'e2']);
    // Again, with one seen before: the same compiled statement, only e3 is new.
    expect(
      await insertEvents(store, [
        ['e2', 'Delivery'],
        ['e3', 'Bounce'],
      ]),
    ).toEqual(['e3']);
    // Inside a write batch (SQLite: run synchronously on the held connection) the rows come back too.
    expect(
      await batchedWrite(store, (tx) =>
        insertEvents(tx, [
          ['e3', 'Bounce'],
          ['e4', 'Complaint'],
        ]),
      ),
    ).toEqual(['e4']);
    const stored = await store.db
      .selectFrom('delivery_events')
      .select(['event_id', 'event_type'])
      .where('message_id', '=', 'm-compiled')
      .orderBy('event_id')
      .execute();
    expect(stored).toEqual([
      { event_id: 'e1', event_type: 'Send' },
      { event_id: 'e2', event_type: 'Delivery' },
      { event_id: 'e3', event_type: 'Bounce' },
      { event_id: 'e4', event_type: 'Complaint' },
    ]);
  });
});
