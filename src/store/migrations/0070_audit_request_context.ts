import type { SchemaMigration } from './types.js';

// Each audit record keeps the request context its checks were decided with (JSON, bounded), so the
// console's "Why?" and `policy what-if` can decide the recorded call again. Older records have none.
export const auditRequestContextMigration: SchemaMigration = {
  async up(db) {
    await db.schema.alterTable('audit_events').addColumn('request_context', 'text').execute();
  },
};
