import { afterAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../store/database.js';
import { bumpGeneration, currentGeneration, syncGenerations } from './generation.js';

describe.each(testDialects())('IAM generations (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));

  it('bumps per account, persists the counter, and notices writes made by another node', async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    expect(currentGeneration(store, 'a')).toBe(0);
    await bumpGeneration(store, 'a');
    await bumpGeneration(store, 'a');
    expect(currentGeneration(store, 'a')).toBe(2);
    expect(currentGeneration(store, 'b')).toBe(0);
    const row = await store.db
      .selectFrom('iam_generations')
      .selectAll()
      .where('account_id', '=', 'a')
      .executeTakeFirstOrThrow();
    expect(row.generation).toBe(2);
    await syncGenerations(store);
    const seen = currentGeneration(store, 'a');
    await syncGenerations(store);
    expect(currentGeneration(store, 'a')).toBe(seen); // nothing changed: no invalidation
    // Another node's write shows only in the table.
    await store.db
      .updateTable('iam_generations')
      .set({ generation: 7 })
      .where('account_id', '=', 'a')
      .execute();
    await syncGenerations(store);
    expect(currentGeneration(store, 'a')).toBe(seen + 1);
  });
});
