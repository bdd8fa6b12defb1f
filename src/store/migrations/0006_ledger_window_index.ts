import type { SchemaMigration } from './types.js';

// SentLast24Hours sums a day of ledger rows on every send. The window index from 0002 needed a
// table lookup per row for `recipients`; this one carries it, so the sum reads the index alone.
// (Per-minute buckets would have changed the window's edges to whole minutes, or needed a second
// write per send; the covering index keeps the query and its results as they are.)
export const ledgerWindowIndexMigration: SchemaMigration = {
  async up(db) {
    await db.schema
      .createIndex('ses_sending_ledger_window_cover')
      .on('ses_sending_ledger')
      .columns(['account_id', 'region', 'sent_at', 'recipients'])
      .execute();
    // Same leading columns: the old index only cost a second write per send.
    await db.schema.dropIndex('ses_sending_ledger_window').execute();
  },
};
