import type { SchemaMigration } from './types.js';

// MaxSendRate as one token bucket per (account, region) in the database, so that nodes sharing a
// PostgreSQL share the rate (each node's own bucket would let N nodes send N times the rate).
// SQLite keeps its bucket in memory (one node); the table exists there too, unused.
export const sendRateBucketsMigration: SchemaMigration = {
  async up(db) {
    await db.schema
      .createTable('ses_send_rate_buckets')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('tokens', 'double precision', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      // Whether the last take was granted (the statement's answer: RETURNING sees only new values).
      .addColumn('granted', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_send_rate_buckets_pk', ['account_id', 'region'])
      .execute();
  },
};
