import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from './database.js';
import { batchedWrite } from './write-batch.js';
import { insertRow } from './prepared-insert.js';

const event = (name: string) => ({
  event_id: name,
  event_time: 1,
  account_id: null,
  region: null,
  principal_arn: null,
  access_key_id: null,
  source_ip: null,
  user_agent: null,
  event_source: 'test',
  event_name: name,
  actions: '[]',
  resources: '[]',
  decision: 'Allowed',
  explanation: null,
  error_code: null,
  error_message: null,
  request_id: name,
});

describe.each(testDialects())('group commit on %s', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store.close();
  });
  const names = async () =>
    (await store.db.selectFrom('audit_events').select('event_name').orderBy('event_name').execute()).map(
      (r) => r.event_name,
    );

  it('runs writes queued in the same turn in one transaction, each resolved after the commit', async () => {
    const seen: unknown[] = [];
    const write = (n: string) =>
      batchedWrite(store, async (tx) => {
        seen.push(tx.db);
        await tx.db.insertInto('audit_events').values(event(n)).execute();
        return n;
      });
    const results = await Promise.all([write('a1'), write('a2'), write('a3')]);
    expect(results).toEqual(['a1', 'a2', 'a3']);
    expect(new Set(seen).size).toBe(1); // one shared transaction
    expect(seen[0]).not.toBe(store.db);
    expect(await names()).toEqual(['a1', 'a2', 'a3']);
  });

  it('fails only the write that failed: the others are retried alone and kept', async () => {
    const good = (n: string) =>
      batchedWrite(store, (tx) => tx.db.insertInto('audit_events').values(event(n)).execute());
    const bad = batchedWrite(store, async (tx) => {
      await tx.db.insertInto('audit_events').values(event('b-bad')).execute();
      throw new Error('refused');
    });
    const outcome = await Promise.allSettled([good('b1'), bad, good('b2')]);
    expect(outcome.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcome[1] as PromiseRejectedResult).reason).toEqual(new Error('refused'));
    // The failed write's own insert was rolled back with it.
    expect((await names()).filter((n) => n.startsWith('b'))).toEqual(['b1', 'b2']);
  });

  it('queues writes that arrive during a commit for the next transaction', async () => {
    const seen: unknown[] = [];
    const first = batchedWrite(store, async (tx) => {
      seen.push(tx.db);
      await new Promise((r) => setTimeout(r, 20));
    });
    await new Promise((r) => setTimeout(r, 5)); // the first transaction is running now
    const later = [1, 2].map(() =>
      batchedWrite(store, async (tx) => {
        seen.push(tx.db);
      }),
    );
    await Promise.all([first, ...later]);
    expect(seen).toHaveLength(3);
    expect(seen[1]).toBe(seen[2]);
    expect(seen[1]).not.toBe(seen[0]);
  });

  it('runs hot one-row writes synchronously on SQLite only, inside the shared transaction', async () => {
    const sync: boolean[] = [];
    const w = (n: string, fail = false) =>
      batchedWrite(store, async (tx) => {
        sync.push(typeof tx.syncRun === 'function');
        await insertRow(tx, 'audit_events', event(n));
        if (fail) throw new Error('after insert');
      });
    const outcome = await Promise.allSettled([w('c1'), w('c-bad', true), w('c2')]);
    expect(outcome.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(sync.every((s) => s === (dialect === 'sqlite'))).toBe(true);
    // The synchronous insert of the failed write was rolled back with its transaction.
    expect((await names()).filter((n) => n.startsWith('c'))).toEqual(['c1', 'c2']);
  });

  it('waits for another transaction on the connection instead of writing into it', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const other = store.db.transaction().execute(async (trx) => {
      await trx.insertInto('audit_events').values(event('d-rolled-back')).execute();
      await held;
      throw new Error('roll back');
    });
    await new Promise((r) => setTimeout(r, 5)); // the other transaction has begun
    const batch = Promise.all([
      batchedWrite(store, (tx) => insertRow(tx, 'audit_events', event('d1'))),
      batchedWrite(store, (tx) => insertRow(tx, 'audit_events', event('d2'))),
    ]);
    await new Promise((r) => setTimeout(r, 20));
    release();
    await expect(other).rejects.toThrow('roll back');
    await batch;
    // Had the batch written into the other transaction, its rows would have been rolled back too.
    expect((await names()).filter((n) => n.startsWith('d'))).toEqual(['d1', 'd2']);
  });
});
