import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, openTestStore, testDialects, type Store } from './database.js';

describe.each(testDialects())('store on %s', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
  });

  it('applies every migration and round-trips an audit row with bigint times as numbers', async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    expect(store.dialect).toBe(dialect);
    const t = 1_795_000_000_123;
    await store.db
      .insertInto('audit_events')
      .values({
        event_id: 'e1',
        event_time: t,
        account_id: '000000000000',
        region: 'us-east-1',
        principal_arn: null,
        access_key_id: null,
        source_ip: '127.0.0.1',
        user_agent: null,
        event_source: 'iam.amazonaws.com',
        event_name: 'ListUsers',
        actions: '["iam:ListUsers"]',
        resources: '["*"]',
        decision: 'Allowed',
        explanation: null,
        error_code: null,
        error_message: null,
        request_id: 'r1',
      })
      .execute();
    const row = await store.db.selectFrom('audit_events').selectAll().executeTakeFirstOrThrow();
    expect(row.event_time).toBe(t);
    expect(typeof row.seq).toBe('number');
    await expect(
      store.db
        .insertInto('audit_events')
        .values({ ...row, seq: undefined })
        .execute(),
    ).rejects.toThrow(/unique|UNIQUE/);
  });
});

describe('the SQLite file', () => {
  it('is readable by its owner only, also when an older version made it 0644', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sesame-db-mode-'));
    try {
      writeFileSync(join(dir, 'sesame.db'), '', { mode: 0o644 });
      const store = await openStore({ dataDir: dir });
      await store.close();
      expect(statSync(join(dir, 'sesame.db')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
