import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDialects } from '../database.js';
import { migrations } from './index.js';
import { emptyDatabase } from './test-database.js';

const message = (id: string, raw: Buffer) => ({
  message_id: id,
  account_id: '111111111111',
  region: 'us-east-1',
  principal_arn: 'arn:aws:iam::111111111111:root',
  source: 'a@example.com',
  recipients: '["b@example.net"]',
  raw,
  size: raw.length,
  tags: '[]',
  api_version: '2',
  operation: 'SendEmail',
  created_at: 1,
  next_attempt_at: 1,
});

describe.each(testDialects())('migration 0080_outbox_bodies (%s)', (dialect) => {
  it("moves every accepted message's bytes out of its row, byte for byte, and deletes them with it", async () => {
    const { db, drop } = await emptyDatabase(dialect);
    try {
      for (const [name, m] of Object.entries(migrations)) {
        if (name >= '0080') break;
        await m.up(db, dialect);
      }
      const binary = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x80, 0x41]);
      const text = Buffer.from('Subject: hi\r\n\r\nbody\r\n'.repeat(1000)); // overflow pages on SQLite
      await db
        .insertInto('outbox')
        .values([message('m1', binary), message('m2', text)])
        .execute();
      await migrations['0080_outbox_bodies']!.up(db, dialect);

      const bodies = await db.selectFrom('outbox_bodies').selectAll().orderBy('message_id').execute();
      expect(
        bodies.map((b) => [
          b.message_id,
          Buffer.from(b.raw as Uint8Array).equals(b.message_id === 'm1' ? binary : text),
        ]),
      ).toEqual([
        ['m1', true],
        ['m2', true],
      ]);
      const outbox = (await db.introspection.getTables()).find((t) => t.name === 'outbox')!;
      expect(outbox.columns.map((c) => c.name)).not.toContain('raw');
      expect(outbox.columns.map((c) => c.name)).toContain('size');

      await db.deleteFrom('outbox').where('message_id', '=', 'm1').execute();
      expect(
        (await db.selectFrom('outbox_bodies').select('message_id').execute()).map((b) => b.message_id),
      ).toEqual(['m2']);
      // A body without its row is refused: the bytes never outlive (or precede) their message.
      await expect(
        db.insertInto('outbox_bodies').values({ message_id: 'nope', raw: binary }).execute(),
      ).rejects.toThrow(/foreign key/i);
    } finally {
      await drop();
    }
  });
});

// PostgreSQL runs every migration in a transaction (the migrator's); SQLite's is this one's own.
describe('migration 0080_outbox_bodies (sqlite)', () => {
  const dialect = 'sqlite';
  it('leaves the store as it was when a step fails, and runs again once it can', async () => {
    const { db, drop } = await emptyDatabase(dialect);
    try {
      for (const [name, m] of Object.entries(migrations)) {
        if (name >= '0080') break;
        await m.up(db, dialect);
      }
      await db
        .insertInto('outbox')
        .values([message('m1', Buffer.from('bytes'))])
        .execute();
      // A view on the column makes SQLite refuse to drop it: the last step fails, after the copy.
      await sql`create view outbox_sizes as select message_id, length(raw) as n from outbox`.execute(db);
      await expect(migrations['0080_outbox_bodies']!.up(db, dialect)).rejects.toThrow(/outbox_sizes/);
      const tables = (await db.introspection.getTables()).map((t) => t.name);
      expect(tables).not.toContain('outbox_bodies');
      expect((await db.selectFrom('outbox').select('raw').executeTakeFirstOrThrow()).raw).toEqual(
        Buffer.from('bytes'),
      );

      await sql`drop view outbox_sizes`.execute(db);
      await migrations['0080_outbox_bodies']!.up(db, dialect);
      const body = await db.selectFrom('outbox_bodies').selectAll().executeTakeFirstOrThrow();
      expect([body.message_id, Buffer.from(body.raw as Uint8Array).toString()]).toEqual(['m1', 'bytes']);
    } finally {
      await drop();
    }
  });
});
