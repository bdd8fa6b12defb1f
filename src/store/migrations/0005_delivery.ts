import type { SchemaMigration } from './types.js';

export const deliveryMigration: SchemaMigration = {
  async up(db, dialect) {
    const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
    await db.schema
      .createTable('captured_messages')
      .addColumn('capture_id', 'text', (c) => c.primaryKey())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('principal_arn', 'text', (c) => c.notNull())
      .addColumn('mail_from', 'text', (c) => c.notNull())
      .addColumn('from_address', 'text')
      .addColumn('recipients', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('raw', bytes, (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('delivered_at', 'bigint', (c) => c.notNull())
      .execute();
    // The mailbox: an account's messages, newest first.
    await db.schema
      .createIndex('captured_account_time')
      .on('captured_messages')
      .columns(['account_id', 'delivered_at'])
      .execute();

    await db.schema
      .createTable('delivery_events')
      .addColumn('event_id', 'text', (c) => c.primaryKey())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('recipients', 'text', (c) => c.notNull())
      .addColumn('recipient_count', 'integer', (c) => c.notNull())
      .addColumn('configuration_set', 'text')
      .addColumn('source_arn', 'text')
      .addColumn('event_time', 'bigint', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .execute();
    // Statistics scan an account's recent events; the timeline and retries read one message's.
    await db.schema
      .createIndex('delivery_events_account_time')
      .on('delivery_events')
      .columns(['account_id', 'region', 'event_time'])
      .execute();
    await db.schema
      .createIndex('delivery_events_message')
      .on('delivery_events')
      .columns(['message_id'])
      .execute();

    await db.schema
      .createTable('delivery_dkim_keys')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('selector', 'text', (c) => c.notNull())
      .addColumn('private_key', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('delivery_dkim_keys_pk', ['account_id', 'region', 'domain'])
      .execute();
  },
};
