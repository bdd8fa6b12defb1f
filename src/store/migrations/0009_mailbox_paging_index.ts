import type { SchemaMigration } from './types.js';

// The mailbox lists an account's messages newest first, paged by (delivered_at, capture_id). With
// the id in the index, a page starts where the previous one ended and needs no sort, however deep
// it is (the old index made each deeper page read and discard every newer message).
export const mailboxPagingIndexMigration: SchemaMigration = {
  async up(db) {
    await db.schema
      .createIndex('captured_account_time_id')
      .on('captured_messages')
      .columns(['account_id', 'delivered_at', 'capture_id'])
      .execute();
    await db.schema.dropIndex('captured_account_time').execute();
  },
};
