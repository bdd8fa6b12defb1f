import type { SchemaMigration } from './types.js';

// Facts about the store itself. The first: a check value of the master key (HMAC of a fixed text),
// so that a node holding another key refuses to start instead of failing every signed call.
export const storeMetaMigration: SchemaMigration = {
  async up(db) {
    await db.schema
      .createTable('store_meta')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
};
