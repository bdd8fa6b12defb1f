import type { SchemaMigration } from './types.js';

// ListRecommendations: each finding keeps when it was first seen and when it was fixed.
export const recommendationsMigration: SchemaMigration = {
  async up(db) {
    await db.schema
      .createTable('ses_recommendations')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('resource_arn', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('impact', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_recommendations_pk', [
        'account_id',
        'region',
        'resource_arn',
        'type',
        'code',
      ])
      .execute();
  },
};
