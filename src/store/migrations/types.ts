import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * A schema version. Column conventions, the same on both engines:
 * times are `bigint` epoch milliseconds; booleans are `integer` 0/1; JSON documents are `text`;
 * ids are `text`. Write portable DDL with Kysely's schema builder; branch on `dialect` only when
 * an engine truly needs it.
 */
export interface SchemaMigration {
  // Migrations run on the database as it is at that version, not on today's typed schema.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}
