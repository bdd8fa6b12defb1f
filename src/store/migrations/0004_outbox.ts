import type { SchemaMigration } from './types.js';

export const outboxMigration: SchemaMigration = {
  async up(db, dialect) {
    await db.schema
      .createTable('outbox')
      .addColumn('message_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('principal_arn', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('from_address', 'text')
      .addColumn('source_arn', 'text')
      .addColumn('recipients', 'text', (c) => c.notNull())
      .addColumn('raw', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('configuration_set', 'text')
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('api_version', 'text', (c) => c.notNull())
      .addColumn('operation', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued'))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'bigint')
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .execute();
    // Workers: the due queued rows, oldest first. Listing: an account's messages, newest first.
    await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
    await db.schema
      .createIndex('outbox_account_time')
      .on('outbox')
      .columns(['account_id', 'created_at'])
      .execute();
  },
};
