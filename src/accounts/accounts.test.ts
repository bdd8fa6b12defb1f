import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../store/database.js';
import { resolveAccessKey } from '../iam/principals.js';
import { testBox } from '../iam/test-context.js';
import { AccountExistsError, createAccount, listAccounts } from './accounts.js';
import { ensureDefaultAccount } from './default-account.js';

describe.each(testDialects())('accounts (%s)', (dialect) => {
  const stores: Store[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const open = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    return store;
  };

  it('creates an account with a root key that resolves, and lists accounts', async () => {
    const store = await open();
    const box = testBox();
    const creds = await createAccount(store, box);
    expect(creds.AccountId).toMatch(/^[1-9]\d{11}$/);
    expect(creds.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(creds.SecretAccessKey).toHaveLength(40);
    const r = await resolveAccessKey(store, box, creds.AccessKeyId, new Date());
    expect(r?.key.secretAccessKey).toBe(creds.SecretAccessKey);
    expect(r?.caller.principal.arn).toBe(`arn:aws:iam::${creds.AccountId}:root`);
    await createAccount(store, box, { accountId: '222233334444' });
    expect((await listAccounts(store)).map((a) => a.AccountId).sort()).toEqual(
      [creds.AccountId, '222233334444'].sort(),
    );
    await expect(createAccount(store, box, { accountId: '222233334444' })).rejects.toBeInstanceOf(
      AccountExistsError,
    );
    const raw = await store.db.selectFrom('iam_access_keys').select('secret_sealed').execute();
    for (const row of raw) expect(row.secret_sealed).not.toContain(creds.SecretAccessKey);
  });

  it('first start generates the root key once and keeps it in root-credentials.json (0600)', async () => {
    const store = await open();
    const box = testBox();
    const dataDir = mkdtempSync(join(tmpdir(), 'sesame-acct-'));
    dirs.push(dataDir);
    const config = { accountId: '000000000000', dataDir };
    const first = await ensureDefaultAccount(store, box, config);
    expect(first.created).toBe(true);
    if (!first.created) throw new Error('unreachable');
    expect(first.generated).toBe(true);
    const file = join(dataDir, 'root-credentials.json');
    expect(first.credentialsFile).toBe(file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first.credentials);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = await ensureDefaultAccount(store, box, config);
    expect(second).toEqual({ created: false, accountId: '000000000000' });
  });

  it('writes root-credentials.json before the account commits: a start that fails after it loses nothing', async () => {
    const store = await open();
    const box = testBox();
    const dataDir = mkdtempSync(join(tmpdir(), 'sesame-acct-'));
    dirs.push(dataDir);
    const config = { accountId: '000000000001', dataDir };
    const file = join(dataDir, 'root-credentials.json');
    // The account's insert fails (a row in the way): the file is there already, the account is not.
    await store.db
      .insertInto('iam_generations')
      .values({ account_id: '000000000001', generation: 0 })
      .execute();
    await expect(ensureDefaultAccount(store, box, config)).rejects.toThrow();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ AccountId: '000000000001' });
    expect(await listAccounts(store)).toEqual([]);
    // The next start makes the account with a key that is in the file.
    await store.db.deleteFrom('iam_generations').execute();
    const r = await ensureDefaultAccount(store, box, config);
    if (!r.created) throw new Error('expected the account to be created');
    const written = JSON.parse(readFileSync(file, 'utf8')) as {
      AccessKeyId: string;
      SecretAccessKey: string;
    };
    expect(written).toEqual(r.credentials);
    const resolved = await resolveAccessKey(store, box, written.AccessKeyId, new Date());
    expect(resolved?.key.secretAccessKey).toBe(written.SecretAccessKey);
  });

  it('uses the configured root key instead of generating one, and installs it later too', async () => {
    const store = await open();
    const box = testBox();
    const config = {
      accountId: '000000000000',
      dataDir: '',
      rootAccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      rootSecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    };
    const r = await ensureDefaultAccount(store, box, config);
    expect(r).toMatchObject({
      created: true,
      generated: false,
      credentials: { AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
    });
    const resolved = await resolveAccessKey(store, box, 'AKIAIOSFODNN7EXAMPLE', new Date());
    expect(resolved?.key.secretAccessKey).toBe('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    await ensureDefaultAccount(store, box, {
      ...config,
      rootAccessKeyId: 'AKIASECONDKEY0000000',
      rootSecretAccessKey: 'x'.repeat(40),
    });
    expect((await resolveAccessKey(store, box, 'AKIASECONDKEY0000000', new Date()))?.caller.accountId).toBe(
      '000000000000',
    );
  });
});
