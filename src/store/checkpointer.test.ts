import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openStore } from './database.js';
import { startCheckpointer } from './checkpointer.js';

const walPages = (db: BetterSqlite3.Database) =>
  (db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[])[0]!;

describe('background WAL checkpoints', () => {
  it('the store never checkpoints in its commits; the worker does, and stops with the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sesame-ckpt-'));
    try {
      const store = await openStore({ dataDir: dir });
      const probe = new BetterSqlite3(join(dir, 'sesame.db'));
      // The request path's connection has automatic checkpoints off...
      const auto = await store.db.executeQuery<{ wal_autocheckpoint: number }>({
        sql: 'pragma wal_autocheckpoint',
        parameters: [],
        query: { kind: 'RawNode' } as never,
        queryId: { queryId: 'x' } as never,
      });
      expect(auto.rows[0]!.wal_autocheckpoint).toBe(0);
      // ...yet what it writes reaches the database file: the worker checkpoints it.
      for (let i = 0; i < 200; i++)
        await store.db
          .insertInto('iam_generations')
          .values({ account_id: String(i).padStart(12, '0'), generation: i })
          .execute();
      await expect
        .poll(() => {
          const w = walPages(probe);
          return w.log > 0 && w.checkpointed === w.log;
        })
        .toBe(true);
      probe.close();
      await store.close();
      expect(statSync(join(dir, 'sesame.db')).size).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives checkpoints back to the commits when the worker cannot run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sesame-ckpt-'));
    const db = new BetterSqlite3(join(dir, 'x.db'));
    db.pragma('journal_mode = WAL');
    try {
      const errors: string[] = [];
      // A file that does not exist: the worker's connection fails (fileMustExist) and it exits.
      const c = startCheckpointer(db, join(dir, 'missing.db'), (m) => errors.push(m));
      await expect.poll(() => db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      expect(errors.join('\n')).toMatch(/unable to open database file/);
      await c.stop();
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
