import { sql } from 'kysely';
import type { SchemaMigration } from './types.js';

// An outbox row's MIME bytes move to a table of their own. SQLite writes a row's whole record on
// every update, overflow pages and all: with the bytes in the row, the claim and the settle of a
// 10 KB message each rewrote its 10 KB (twice the WAL a message needs, checkpointed once more).
// The bytes are written once, when the message is accepted, and go with their row (cascade).
export const outboxBodiesMigration: SchemaMigration = {
  async up(db, dialect) {
    await db.schema
      .createTable('outbox_bodies')
      .addColumn('message_id', 'text', (c) =>
        c.primaryKey().references('outbox.message_id').onDelete('cascade'),
      )
      .addColumn('raw', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
      .execute();
    await sql`insert into outbox_bodies (message_id, raw) select message_id, raw from outbox`.execute(db);
    await db.schema.alterTable('outbox').dropColumn('raw').execute();
  },
};
