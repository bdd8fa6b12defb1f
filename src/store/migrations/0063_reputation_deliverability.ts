import type { SchemaMigration } from './types.js';

// Reputation entities' chosen policy and customer-managed status; account features (VDM, automatic
// warm-up, the Deliverability dashboard subscription); predictive inbox placement test reports.
export const reputationDeliverabilityMigration: SchemaMigration = {
  async up(db, dialect) {
    await db.schema
      .createTable('ses_reputation_entities')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('entity_reference', 'text', (c) => c.notNull())
      .addColumn('policy', 'text')
      .addColumn('customer_status', 'text')
      .addColumn('customer_cause', 'text')
      .addColumn('customer_updated_at', 'bigint')
      .addPrimaryKeyConstraint('ses_reputation_entities_pk', ['account_id', 'region', 'entity_reference'])
      .execute();
    await db.schema
      .createTable('ses_account_features')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('auto_warmup_enabled', 'integer')
      .addColumn('vdm_attributes', 'text')
      .addColumn('dashboard', 'text')
      .addPrimaryKeyConstraint('ses_account_features_pk', ['account_id', 'region'])
      .execute();
    await db.schema
      .createTable('ses_deliverability_test_reports')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('report_name', 'text')
      .addColumn('from_address', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('message', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_deliverability_test_reports_pk', ['account_id', 'region', 'report_id'])
      .execute();
  },
};
