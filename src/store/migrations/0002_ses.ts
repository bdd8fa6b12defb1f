import type { SchemaMigration } from './types.js';

export const sesMigration: SchemaMigration = {
  async up() {},
};
