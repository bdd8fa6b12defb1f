import type { SchemaMigration } from './types.js';

export const outboxMigration: SchemaMigration = {
  async up() {},
};
