import { sql } from 'kysely';
import type { SchemaMigration } from './types.js';

// The quota ledger becomes one row per (account, region, minute): a send adds to its minute's row,
// and SentLast24Hours sums at most 1,441 rows however busy the account is (a row per send made
// every send scan a day of rows, so sends got slower as the day filled up).
export const ledgerMinutesMigration: SchemaMigration = {
  async up(db) {
    await db.schema
      .createTable('ses_sending_ledger_minutes')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('minute', 'bigint', (c) => c.notNull()) // epoch ms of the minute's start
      .addColumn('recipients', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_sending_ledger_minutes_pk', ['account_id', 'region', 'minute'])
      .execute();
    // Existing rows fold into their minutes (the same SQL on both engines).
    await sql`
      insert into ses_sending_ledger_minutes (account_id, region, minute, recipients)
      select account_id, region, sent_at - (sent_at % 60000), sum(recipients)
      from ses_sending_ledger
      group by account_id, region, sent_at - (sent_at % 60000)`.execute(db);
    await db.schema.dropTable('ses_sending_ledger').execute();
  },
};
