import type { SchemaMigration } from './types.js';

export const iamMigration: SchemaMigration = {
  async up() {},
};
