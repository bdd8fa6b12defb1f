import type { SchemaMigration } from './types.js';

// Audit retention (SESAME_AUDIT_RETENTION_DAYS) deletes the records older than a cutoff, across
// every account and the unauthenticated ones: an index on the time alone keeps that a range scan.
export const auditTimeIndexMigration: SchemaMigration = {
  async up(db) {
    await db.schema.createIndex('audit_events_time').on('audit_events').columns(['event_time']).execute();
  },
};
