import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from './database.js';
import { compiledStatement } from './compiled-query.js';

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
      'compiledStatement: a value was not given as p(i): us-east-1',
    );
  });
});
