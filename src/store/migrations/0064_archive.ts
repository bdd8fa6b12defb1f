import type { SchemaMigration } from './types.js';

// The mail archive of configuration sets with ArchivingOptions: each message as it was handed to
// the receiving server, with its recipients, searchable by time, sender, recipient and subject.
export const archiveMigration: SchemaMigration = {
  async up(db, dialect) {
    await db.schema
      .createTable('ses_archived_messages')
      .addColumn('archive_id', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('configuration_set', 'text', (c) => c.notNull())
      .addColumn('from_address', 'text')
      .addColumn('recipients', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('raw', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('archived_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_archived_messages_pk', ['archive_id', 'message_id'])
      .execute();
    await db.schema
      .createIndex('ses_archived_messages_time')
      .on('ses_archived_messages')
      .columns(['account_id', 'archive_id', 'archived_at', 'message_id'])
      .execute();
  },
};
