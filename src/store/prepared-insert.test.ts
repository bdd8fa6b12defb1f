import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from './database.js';
import { insertRow } from './prepared-insert.js';

const row = (n: string, explanation: string | null) => ({
  event_id: n,
  event_time: 7,
  account_id: null,
  region: 'us-east-1',
  principal_arn: null,
  access_key_id: null,
  source_ip: null,
  user_agent: null,
  event_source: 'test',
  event_name: n,
  actions: '[]',
  resources: '[]',
  decision: 'Allowed',
  explanation,
  error_code: null,
  error_message: null,
  request_id: n,
});

describe.each(testDialects())('insertRow on %s', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store.close();
  });

  it("reuses the compiled SQL with each row's own values, nulls and strings alike", async () => {
    await insertRow(store, 'audit_events', row('first', null));
    await insertRow(store, 'audit_events', row('second', '{"x":1}'));
    await insertRow(store, 'audit_events', { ...row('third', null), region: null });
    const rows = await store.db
      .selectFrom('audit_events')
      .select(['event_name', 'region', 'explanation', 'event_time'])
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => [r.event_name, r.region, r.explanation, Number(r.event_time)])).toEqual([
      ['first', 'us-east-1', null, 7],
      ['second', 'us-east-1', '{"x":1}', 7],
      ['third', null, null, 7],
    ]);
  });

  it('fails like Kysely on a constraint violation (nothing cached wrongly)', async () => {
    await expect(insertRow(store, 'audit_events', row('first', null))).rejects.toThrow();
  });
});
