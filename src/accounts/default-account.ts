// First start (docs/server-core.md, and the Quick start of README.md): account SESAME_ACCOUNT_ID (000000000000) and its
// root key — the configured one, or a generated one kept in `${dataDir}/root-credentials.json`
// (mode 0600). The file is written before the account is committed: a start that fails after it
// (a port in use, a crash) cannot leave an account whose only key was never written down.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import type { Store } from '../store/database.js';
import type { SecretBox } from '../store/secret-box.js';
import { bindSecretBox } from '../iam/secrets.js';
import { bumpGeneration } from '../iam/generation.js';
import { newAccessKeyId, newSecretAccessKey } from '../iam/ids.js';
import { AccountExistsError, accountExists, createAccount, type AccountCredentials } from './accounts.js';

export type DefaultAccountResult =
  | { created: false; accountId: string }
  /** `generated`: the key was made here (print it once); false when it came from the configuration. */
  | {
      created: true;
      accountId: string;
      generated: boolean;
      credentials: AccountCredentials;
      credentialsFile?: string;
    };

export const ROOT_CREDENTIALS_FILE = 'root-credentials.json';

export async function ensureDefaultAccount(
  store: Store,
  box: SecretBox,
  config: Pick<Config, 'accountId' | 'rootAccessKeyId' | 'rootSecretAccessKey' | 'dataDir'>,
): Promise<DefaultAccountResult> {
  bindSecretBox(store, box);
  const accountId = config.accountId;
  if (await accountExists(store, accountId)) {
    await ensureConfiguredRootKey(store, box, config);
    return { created: false, accountId };
  }
  const configured =
    config.rootAccessKeyId !== undefined && config.rootSecretAccessKey !== undefined
      ? { accessKeyId: config.rootAccessKeyId, secretAccessKey: config.rootSecretAccessKey }
      : undefined;
  if (configured) {
    const credentials = await createAccount(store, box, { accountId, rootKey: configured });
    return { created: true, accountId, generated: false, credentials };
  }
  const rootKey = { accessKeyId: newAccessKeyId('AKIA'), secretAccessKey: newSecretAccessKey() };
  let credentialsFile: string | undefined;
  if (config.dataDir) {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    credentialsFile = join(config.dataDir, ROOT_CREDENTIALS_FILE);
    const written: AccountCredentials = {
      AccountId: accountId,
      AccessKeyId: rootKey.accessKeyId,
      SecretAccessKey: rootKey.secretAccessKey,
    };
    writeFileSync(credentialsFile, JSON.stringify(written, null, 2) + '\n', { mode: 0o600 });
  }
  let credentials: AccountCredentials;
  try {
    credentials = await createAccount(store, box, { accountId, rootKey });
  } catch (e) {
    // Another node on the same database created it first: this key was never stored.
    if (credentialsFile && e instanceof AccountExistsError) {
      rmSync(credentialsFile, { force: true });
      return { created: false, accountId };
    }
    throw e;
  }
  return {
    created: true,
    accountId,
    generated: true,
    credentials,
    ...(credentialsFile ? { credentialsFile } : {}),
  };
}

/**
 * A root key configured after the account was first created is installed too (the configuration
 * is the operator's word); an existing key with that id keeps its stored secret unless it differs.
 */
async function ensureConfiguredRootKey(
  store: Store,
  box: SecretBox,
  config: Pick<Config, 'accountId' | 'rootAccessKeyId' | 'rootSecretAccessKey'>,
): Promise<void> {
  const { rootAccessKeyId: id, rootSecretAccessKey: secret } = config;
  if (id === undefined || secret === undefined) return;
  const row = await store.db
    .selectFrom('iam_access_keys')
    .selectAll()
    .where('access_key_id', '=', id)
    .executeTakeFirst();
  if (row) {
    if (row.account_id !== config.accountId || row.owner_kind !== 'root')
      throw new Error(`SESAME_ROOT_ACCESS_KEY_ID ${id} already belongs to another principal`);
    if (box.open(row.secret_sealed) !== secret) {
      await store.db
        .updateTable('iam_access_keys')
        .set({ secret_sealed: box.seal(secret) })
        .where('access_key_id', '=', id)
        .execute();
      await bumpGeneration(store, config.accountId);
    }
    return;
  }
  await store.db
    .insertInto('iam_access_keys')
    .values({
      access_key_id: id,
      account_id: config.accountId,
      owner_kind: 'root',
      user_id: null,
      secret_sealed: box.seal(secret),
      status: 'Active',
      created_at: Date.now(),
      last_used_at: null,
      last_used_service: null,
      last_used_region: null,
    })
    .execute();
}

/** The root credentials file of the data folder, when there is one (shown at every start). */
export function rootCredentialsFile(dataDir: string): string | undefined {
  const file = join(dataDir, ROOT_CREDENTIALS_FILE);
  return dataDir && existsSync(file) ? file : undefined;
}
