import type { SchemaMigration } from './types.js';

export const receivingMigration: SchemaMigration = {
  async up(db) {
    await db.schema
      .createTable('ses_receipt_rule_sets')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('rules', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_receipt_rule_sets_pk', ['account_id', 'region', 'name'])
      .execute();
    await db.schema
      .createTable('ses_receipt_active')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('rule_set', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_receipt_active_pk', ['account_id', 'region'])
      .execute();
    await db.schema
      .createTable('ses_receipt_filters')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('policy', 'text', (c) => c.notNull())
      .addColumn('cidr', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_receipt_filters_pk', ['account_id', 'region', 'name'])
      .execute();

    await db.schema
      .createTable('inbound_messages')
      .addColumn('message_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('mail_from', 'text', (c) => c.notNull())
      .addColumn('recipients', 'text', (c) => c.notNull())
      .addColumn('remote_ip', 'text', (c) => c.notNull())
      .addColumn('helo', 'text', (c) => c.notNull())
      .addColumn('tls', 'integer', (c) => c.notNull())
      .addColumn('rule_set', 'text', (c) => c.notNull())
      .addColumn('plan', 'text', (c) => c.notNull())
      .addColumn('verdicts', 'text', (c) => c.notNull())
      .addColumn('added_headers', 'text', (c) => c.notNull())
      .addColumn('rule_index', 'integer', (c) => c.notNull())
      .addColumn('action_index', 'integer', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'bigint')
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .addColumn('trace', 'text', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .execute();
    // Action workers claim due queued rows, oldest first (as the outbox's).
    await db.schema
      .createIndex('inbound_messages_due')
      .on('inbound_messages')
      .columns(['status', 'next_attempt_at'])
      .execute();
  },
};
