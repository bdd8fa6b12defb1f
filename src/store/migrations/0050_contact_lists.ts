import type { SchemaMigration } from './types.js';

// SES v2 list management: the contact list of each (account, region) — SES allows one, so that
// pair is its key and a second create conflicts atomically — its contacts, and the list options a
// message was sent with (delivery bounces recipients who unsubscribed).
export const contactListsMigration: SchemaMigration = {
  async up(db) {
    await db.schema
      .createTable('ses_contact_lists')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('topics', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_contact_lists_pk', ['account_id', 'region'])
      .execute();

    await db.schema
      .createTable('ses_contacts')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('list_name', 'text', (c) => c.notNull())
      .addColumn('email_key', 'text', (c) => c.notNull())
      .addColumn('email_address', 'text', (c) => c.notNull())
      .addColumn('topic_preferences', 'text', (c) => c.notNull())
      .addColumn('unsubscribe_all', 'integer', (c) => c.notNull())
      .addColumn('attributes_data', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_contacts_pk', ['account_id', 'region', 'list_name', 'email_key'])
      .execute();

    // JSON {ContactListName, TopicName?} of a v2 send with ListManagementOptions.
    await db.schema.alterTable('outbox').addColumn('list_management', 'text').execute();
  },
};
