import type { SchemaMigration } from './types.js';

// DKIM signing attributes of domain identities: Easy DKIM's next key length, or a key and selector
// the owner brought (BYODKIM). No row: Easy DKIM with 2048-bit keys, as before.
export const dkimSigningMigration: SchemaMigration = {
  async up(db) {
    await db.schema
      .createTable('ses_dkim_signing')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('identity', 'text', (c) => c.notNull())
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('selector', 'text')
      .addColumn('private_key', 'text')
      .addColumn('public_key', 'text')
      .addColumn('next_key_length', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_dkim_signing_pk', ['account_id', 'region', 'identity'])
      .execute();
  },
};
