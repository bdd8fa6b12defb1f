import type { SchemaMigration } from './types.js';

// SES v2 import and export jobs: one row per job (its request, status and progress, and the lease
// of the worker running it: the row is its own queue entry), and the records an import could not
// apply, kept for the failure report.
export const importExportJobsMigration: SchemaMigration = {
  async up(db) {
    await db.schema
      .createTable('ses_jobs')
      .addColumn('job_id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('source_type', 'text', (c) => c.notNull())
      .addColumn('request', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('processed_records', 'bigint', (c) => c.notNull())
      .addColumn('failed_records', 'bigint', (c) => c.notNull())
      .addColumn('exported_records', 'bigint')
      .addColumn('output', 'text')
      .addColumn('error_message', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'bigint')
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('completed_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('ses_jobs_due')
      .on('ses_jobs')
      .columns(['status', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('ses_jobs_account')
      .on('ses_jobs')
      .columns(['account_id', 'region', 'kind', 'created_at', 'job_id'])
      .execute();
    await db.schema
      .createTable('ses_job_failed_records')
      .addColumn('job_id', 'text', (c) => c.notNull())
      .addColumn('line_number', 'bigint', (c) => c.notNull())
      .addColumn('record', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_job_failed_records_pk', ['job_id', 'line_number'])
      .execute();
  },
};
