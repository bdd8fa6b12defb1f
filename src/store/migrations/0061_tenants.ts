import type { SchemaMigration } from './types.js';

// Tenants and the resources associated with them; sends and their events remember the tenant.
export const tenantsMigration: SchemaMigration = {
  async up(db) {
    await db.schema
      .createTable('ses_tenants')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      // `name/tenant_id`: the resource part of the tenant's ARN (TagResource names it so).
      .addColumn('resource_name', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_tenants_pk', ['account_id', 'region', 'name'])
      .execute();
    await db.schema
      .createTable('ses_tenant_resources')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('tenant_name', 'text', (c) => c.notNull())
      .addColumn('resource_arn', 'text', (c) => c.notNull())
      .addColumn('resource_type', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_tenant_resources_pk', [
        'account_id',
        'region',
        'tenant_name',
        'resource_arn',
      ])
      .execute();
    await db.schema
      .createIndex('ses_tenant_resources_by_resource')
      .on('ses_tenant_resources')
      .columns(['account_id', 'region', 'resource_arn', 'tenant_name'])
      .execute();
    await db.schema.alterTable('outbox').addColumn('tenant_name', 'text').execute();
    await db.schema.alterTable('delivery_events').addColumn('tenant_name', 'text').execute();
  },
};
