import { sql, type Kysely } from 'kysely';
import type { SchemaMigration } from './types.js';

// An outbox row's MIME bytes move to a table of their own. SQLite writes a row's whole record on
// every update, overflow pages and all: with the bytes in the row, the claim and the settle of a
// 10 KB message each rewrote its 10 KB (twice the WAL a message needs, checkpointed once more).
// The bytes are written once, when the message is accepted, and go with their row (cascade).
// All or nothing: PostgreSQL's migrations run in a transaction; SQLite's do not (Kysely runs its DDL
// autocommitted), so this one makes its own, and a crash or a full disk during the copy leaves the
// store as it was. The copy needs room for the bytes once more while it runs.
export const outboxBodiesMigration: SchemaMigration = {
  async up(db, dialect) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const move = async (tx: Kysely<any>) => {
      await tx.schema
        .createTable('outbox_bodies')
        .addColumn('message_id', 'text', (c) =>
          c.primaryKey().references('outbox.message_id').onDelete('cascade'),
        )
        .addColumn('raw', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
        .execute();
      await sql`insert into outbox_bodies (message_id, raw) select message_id, raw from outbox`.execute(tx);
      await tx.schema.alterTable('outbox').dropColumn('raw').execute();
    };
    if (dialect === 'sqlite') await db.transaction().execute(move);
    else await move(db);
  },
};
