// Accounts and their root access keys (operator commands: `sesame admin account create`).
import type { Store } from '../store/database.js';
import type { SecretBox } from '../store/secret-box.js';
import { newAccessKeyId, newAccountId, newSecretAccessKey } from '../iam/ids.js';
import { bindSecretBox } from '../iam/secrets.js';

export interface AccountCredentials {
  AccountId: string;
  AccessKeyId: string;
  SecretAccessKey: string;
}

export interface CreateAccountOptions {
  /** 12 digits; generated when absent. */
  accountId?: string;
  /** A root key to install instead of a generated one (SESAME_ROOT_ACCESS_KEY_ID/SECRET). */
  rootKey?: { accessKeyId: string; secretAccessKey: string };
  now?: Date;
}

export class AccountExistsError extends Error {}

/** Creates the account and one active root access key; the secret is stored sealed only. */
export async function createAccount(
  store: Store,
  box: SecretBox,
  opts: CreateAccountOptions = {},
): Promise<AccountCredentials> {
  bindSecretBox(store, box);
  const accountId = opts.accountId ?? newAccountId();
  if (!/^\d{12}$/.test(accountId)) throw new Error(`an account id is 12 digits, got "${accountId}"`);
  const created = (opts.now ?? new Date()).getTime();
  const accessKeyId = opts.rootKey?.accessKeyId ?? newAccessKeyId('AKIA');
  const secretAccessKey = opts.rootKey?.secretAccessKey ?? newSecretAccessKey();
  await store.db.transaction().execute(async (trx) => {
    const exists = await trx
      .selectFrom('accounts')
      .select('id')
      .where('id', '=', accountId)
      .executeTakeFirst();
    if (exists) throw new AccountExistsError(`account ${accountId} already exists`);
    await trx.insertInto('accounts').values({ id: accountId, created_at: created }).execute();
    await trx.insertInto('iam_generations').values({ account_id: accountId, generation: 0 }).execute();
    await trx
      .insertInto('iam_access_keys')
      .values({
        access_key_id: accessKeyId,
        account_id: accountId,
        owner_kind: 'root',
        user_id: null,
        secret_sealed: box.seal(secretAccessKey),
        status: 'Active',
        created_at: created,
        last_used_at: null,
        last_used_service: null,
        last_used_region: null,
      })
      .execute();
  });
  return { AccountId: accountId, AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey };
}

export interface AccountSummary {
  AccountId: string;
  CreateDate: Date;
}

export async function listAccounts(store: Store): Promise<AccountSummary[]> {
  const rows = await store.db.selectFrom('accounts').selectAll().orderBy('id').execute();
  return rows.map((r) => ({ AccountId: r.id, CreateDate: new Date(r.created_at) }));
}

export async function accountExists(store: Store, accountId: string): Promise<boolean> {
  const r = await store.db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst();
  return r !== undefined;
}
