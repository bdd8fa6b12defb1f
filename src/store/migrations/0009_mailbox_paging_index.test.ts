import { describe, expect, it } from 'vitest';
import { openTestStore, sql } from '../database.js';

describe('migration 0009_mailbox_paging_index', () => {
  it('lets a deep mailbox page seek the index with no sort (SQLite query plan)', async () => {
    const store = await openTestStore('sqlite');
    try {
      const plan = await sql<{ detail: string }>`
        explain query plan select capture_id from captured_messages
        where account_id = ${'111122223333'} and (delivered_at, capture_id) < (${5}, ${'x'})
        order by delivered_at desc, capture_id desc limit 100`.execute(store.db);
      const text = plan.rows.map((r) => r.detail).join(' | ');
      expect(text).toMatch(/USING (COVERING )?INDEX captured_account_time_id/);
      expect(text).not.toContain('TEMP B-TREE');
    } finally {
      await store.close();
    }
  });
});
