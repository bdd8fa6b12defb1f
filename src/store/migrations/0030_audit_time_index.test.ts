import { describe, expect, it } from 'vitest';
import { openTestStore, sql } from '../database.js';

describe('migration 0030_audit_time_index', () => {
  it('lets retention find old audit records through the index (SQLite query plan)', async () => {
    const store = await openTestStore('sqlite');
    try {
      const plan = await sql<{ detail: string }>`
        explain query plan select seq from audit_events where event_time < ${5} limit 5000`.execute(store.db);
      expect(plan.rows.map((r) => r.detail).join(' | ')).toMatch(/USING (COVERING )?INDEX audit_events_time/);
    } finally {
      await store.close();
    }
  });
});
