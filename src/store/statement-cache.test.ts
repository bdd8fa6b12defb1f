import { describe, it, expect } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { withStatementCache } from './database.js';

function fresh() {
  const sqlite = new BetterSqlite3(':memory:');
  sqlite.exec(
    "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')",
  );
  return sqlite;
}

describe('withStatementCache', () => {
  it('returns one reusable statement per SQL text, with per-call parameters', () => {
    const db = withStatementCache(fresh());
    const s1 = db.prepare('SELECT v FROM t WHERE k = ?');
    const s2 = db.prepare('SELECT v FROM t WHERE k = ?');
    expect(s2).toBe(s1);
    expect(s1.all([1])).toEqual([{ v: 'a' }]);
    expect(s2.all([3])).toEqual([{ v: 'c' }]);
    expect(db.prepare('SELECT v FROM t WHERE k = ? ')).not.toBe(s1);
    db.close();
  });

  it('drops the least recently used statement past the cap', () => {
    const db = withStatementCache(fresh(), 2);
    const a = db.prepare('SELECT 1');
    db.prepare('SELECT 2');
    db.prepare('SELECT 1'); // 'SELECT 1' is now the most recent
    db.prepare('SELECT 3'); // evicts 'SELECT 2'
    expect(db.cacheSize()).toBe(2);
    expect(db.prepare('SELECT 1')).toBe(a);
    const b2 = db.prepare('SELECT 2');
    expect(db.prepare('SELECT 2')).toBe(b2);
    expect(db.cacheSize()).toBe(2);
    db.close();
  });

  it('prepares a fresh statement while the cached one is still being iterated', () => {
    const db = withStatementCache(fresh());
    const sqlText = 'SELECT k FROM t ORDER BY k';
    const outer = db.prepare(sqlText);
    const seen: number[][] = [];
    for (const row of outer.iterate([]) as Iterable<{ k: number }>) {
      const inner = db.prepare(sqlText);
      expect(inner).not.toBe(outer);
      seen.push([row.k, (inner.all([]) as unknown[]).length]);
    }
    expect(seen).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(db.prepare(sqlText)).toBe(outer);
    db.close();
  });
});
