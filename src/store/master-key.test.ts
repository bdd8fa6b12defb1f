import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config.js';
import { createAccount } from '../accounts/accounts.js';
import { openTestStore, testDialects, type Store } from './database.js';
import { resolveMasterKey } from './master-key.js';
import { createSecretBox, parseMasterKey } from './secret-box.js';

const K1 = '11'.repeat(32);
const K2 = '22'.repeat(32);

describe.each(testDialects())('the master key checked against the store (%s)', (dialect) => {
  const stores: Store[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const fresh = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    const dir = mkdtempSync(join(tmpdir(), 'sesame-key-'));
    dirs.push(dir);
    return { store, dir };
  };
  const rowCount = async (store: Store) =>
    (await store.db.selectFrom('store_meta').selectAll().execute()).length;

  it('records the first key and refuses any other after it', async () => {
    const { store, dir } = await fresh();
    expect((await resolveMasterKey(store, dir, K1)).equals(parseMasterKey(K1))).toBe(true);
    expect((await resolveMasterKey(store, dir, K1)).equals(parseMasterKey(K1))).toBe(true);
    await expect(resolveMasterKey(store, dir, K2)).rejects.toThrow(
      new ConfigError(
        "SESAME_MASTER_KEY does not match the master key this store's secrets are sealed with: every node on one database needs the same SESAME_MASTER_KEY (the first node keeps it in its data folder, master.key, unless it was given one)",
      ),
    );
    // The data folder's key is checked the same way.
    writeFileSync(join(dir, 'master.key'), `${K2}\n`);
    await expect(resolveMasterKey(store, dir)).rejects.toThrow(
      `The master key in ${join(dir, 'master.key')} does not match`,
    );
  });

  it('generates a key only for a store that has none, never for one that has', async () => {
    const { store, dir } = await fresh();
    const generated = await resolveMasterKey(store, dir);
    expect(existsSync(join(dir, 'master.key'))).toBe(true);
    const other = mkdtempSync(join(tmpdir(), 'sesame-key-'));
    dirs.push(other);
    await expect(resolveMasterKey(store, other)).rejects.toThrow(
      /SESAME_MASTER_KEY is not set and .* does not exist, but this store already has a master key/,
    );
    expect(existsSync(join(other, 'master.key'))).toBe(false);
    expect((await resolveMasterKey(store, other, generated.toString('base64'))).equals(generated)).toBe(true);
  });

  it('a store from before the check value: the key must open its sealed secrets before it is recorded', async () => {
    const { store, dir } = await fresh();
    await createAccount(store, createSecretBox(parseMasterKey(K1)), { accountId: '123456789012' });
    await expect(resolveMasterKey(store, dir, K2)).rejects.toThrow(/does not match/);
    expect(await rowCount(store)).toBe(0);
    await resolveMasterKey(store, dir, K1);
    expect(await rowCount(store)).toBe(1);
  });
});
