import type { SchemaMigration } from './types.js';

export const auditMigration: SchemaMigration = {
  async up(db, dialect) {
    await db.schema
      .createTable('audit_events')
      .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
        dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('event_id', 'text', (c) => c.notNull().unique())
      .addColumn('event_time', 'bigint', (c) => c.notNull())
      .addColumn('account_id', 'text')
      .addColumn('region', 'text')
      .addColumn('principal_arn', 'text')
      .addColumn('access_key_id', 'text')
      .addColumn('source_ip', 'text')
      .addColumn('user_agent', 'text')
      .addColumn('event_source', 'text', (c) => c.notNull())
      .addColumn('event_name', 'text', (c) => c.notNull())
      .addColumn('actions', 'text', (c) => c.notNull())
      .addColumn('resources', 'text', (c) => c.notNull())
      .addColumn('decision', 'text', (c) => c.notNull())
      .addColumn('explanation', 'text')
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('request_id', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('audit_events_account_time')
      .on('audit_events')
      .columns(['account_id', 'event_time'])
      .execute();
    await db.schema
      .createIndex('audit_events_principal')
      .on('audit_events')
      .columns(['principal_arn', 'seq'])
      .execute();
  },
};
