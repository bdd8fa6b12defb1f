import type { SchemaMigration } from './types.js';

// Dedicated IP pools per (account, region); the node's declared sending addresses with their pool
// and warm-up; and how many recipients each address carried per UTC day (the warm-up cap counts them).
export const dedicatedIpsMigration: SchemaMigration = {
  async up(db) {
    await db.schema
      .createTable('ses_dedicated_ip_pools')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('scaling_mode', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_dedicated_ip_pools_pk', ['account_id', 'region', 'name'])
      .execute();
    // An address belongs to one account and region at a time (the operator's declaration decides).
    await db.schema
      .createTable('ses_dedicated_ips')
      .addColumn('ip', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('pool_name', 'text', (c) => c.notNull())
      .addColumn('warmup_percentage', 'integer', (c) => c.notNull())
      .addColumn('warmup_updated_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ses_dedicated_ips_pool')
      .on('ses_dedicated_ips')
      .columns(['account_id', 'region', 'pool_name', 'ip'])
      .execute();
    await db.schema
      .createTable('ses_dedicated_ip_usage')
      .addColumn('ip', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('recipients', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_dedicated_ip_usage_pk', ['ip', 'day'])
      .execute();
  },
};
