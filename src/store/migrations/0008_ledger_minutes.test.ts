import { describe, expect, it } from 'vitest';
import { Kysely, SqliteDialect } from 'kysely';
import BetterSqlite3 from 'better-sqlite3';
import { migrations } from './index.js';

describe('migration 0008_ledger_minutes', () => {
  it("folds a database's per-send ledger rows into per-minute rows and drops the old table", async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
    try {
      for (const [name, m] of Object.entries(migrations)) {
        if (name >= '0008') break;
        await m.up(db, 'sqlite');
      }
      const minute = Date.parse('2026-11-28T12:00:00Z');
      await db
        .insertInto('ses_sending_ledger')
        .values([
          { account_id: 'A', region: 'r', sent_at: minute + 1, recipients: 2 },
          { account_id: 'A', region: 'r', sent_at: minute + 59_999, recipients: 3 },
          { account_id: 'A', region: 'r', sent_at: minute + 60_000, recipients: 4 },
          { account_id: 'B', region: 'r', sent_at: minute + 5, recipients: 1 },
        ])
        .execute();
      await migrations['0008_ledger_minutes']!.up(db, 'sqlite');
      const rows = await db
        .selectFrom('ses_sending_ledger_minutes')
        .selectAll()
        .orderBy('account_id')
        .orderBy('minute')
        .execute();
      expect(rows).toEqual([
        { account_id: 'A', region: 'r', minute, recipients: 5 },
        { account_id: 'A', region: 'r', minute: minute + 60_000, recipients: 4 },
        { account_id: 'B', region: 'r', minute, recipients: 1 },
      ]);
      const tables = (await db.introspection.getTables()).map((t) => t.name);
      expect(tables).not.toContain('ses_sending_ledger');
    } finally {
      await db.destroy();
    }
  });
});
