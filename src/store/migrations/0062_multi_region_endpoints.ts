import type { SchemaMigration } from './types.js';

// Multi-region endpoints, kept in their primary region; the id is unique across regions (sends
// name only the id).
export const multiRegionEndpointsMigration: SchemaMigration = {
  async up(db) {
    await db.schema
      .createTable('ses_multi_region_endpoints')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('endpoint_id', 'text', (c) => c.notNull().unique())
      .addColumn('regions', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_multi_region_endpoints_pk', ['account_id', 'region', 'name'])
      .execute();
  },
};
