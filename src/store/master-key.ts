// Which master key this node uses, checked against the store. The store records a check value of
// the key (an HMAC of a fixed text: it reveals nothing of the key) when it is first opened; a node
// holding another key — its own generated one, a mistyped SESAME_MASTER_KEY — is refused at start
// instead of answering InternalFailure to every signed call it cannot decrypt a secret for.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/config.js';
import type { Store } from './database.js';
import { createSecretBox, loadOrCreateMasterKey, parseMasterKey } from './secret-box.js';

const CHECK = 'master_key_check';
export const MASTER_KEY_FILE = 'master.key';

export function masterKeyCheck(key: Buffer): string {
  return createHmac('sha256', key).update('sesame master key check v1').digest('base64url');
}

const SHARE =
  'every node on one database needs the same SESAME_MASTER_KEY (the first node keeps it in its data folder, master.key, unless it was given one)';

function mismatch(source: string): ConfigError {
  return new ConfigError(
    `${source} does not match the master key this store's secrets are sealed with: ${SHARE}`,
  );
}

async function readCheck(store: Store): Promise<string | undefined> {
  const row = await store.db
    .selectFrom('store_meta')
    .select('value')
    .where('name', '=', CHECK)
    .executeTakeFirst();
  return row?.value;
}

/** A stored secret the key must open (stores created before the check value existed). */
async function anySealedSecret(store: Store): Promise<string | undefined> {
  const row = await store.db
    .selectFrom('iam_access_keys')
    .select('secret_sealed')
    .limit(1)
    .executeTakeFirst();
  return row?.secret_sealed;
}

function opens(key: Buffer, sealed: string): boolean {
  try {
    createSecretBox(key).open(sealed);
    return true;
  } catch {
    return false;
  }
}

/**
 * SESAME_MASTER_KEY, else the data folder's master.key, else (a store never opened with a key) a
 * key generated into the data folder. Throws a ConfigError naming SESAME_MASTER_KEY when the key
 * does not match the store's; a store that has a key is never given a newly generated one.
 */
export async function resolveMasterKey(store: Store, dataDir: string, configured?: string): Promise<Buffer> {
  const file = join(dataDir, MASTER_KEY_FILE);
  const stored = await readCheck(store);
  let key: Buffer;
  let source: string;
  if (configured !== undefined) {
    key = parseMasterKey(configured);
    source = 'SESAME_MASTER_KEY';
  } else if (existsSync(file)) {
    key = parseMasterKey(readFileSync(file, 'utf8'));
    source = `The master key in ${file}`;
  } else if (stored !== undefined) {
    throw new ConfigError(
      `SESAME_MASTER_KEY is not set and ${file} does not exist, but this store already has a master key: ${SHARE}`,
    );
  } else {
    key = loadOrCreateMasterKey(dataDir);
    source = `The master key in ${file}`;
  }
  const check = masterKeyCheck(key);
  if (stored === undefined) {
    const sealed = await anySealedSecret(store);
    if (sealed !== undefined && !opens(key, sealed)) throw mismatch(source);
    await store.db
      .insertInto('store_meta')
      .values({ name: CHECK, value: check })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  }
  // Read back: two nodes starting at once with different keys cannot both win.
  const recorded = (await readCheck(store)) ?? '';
  if (recorded.length !== check.length || !timingSafeEqual(Buffer.from(recorded), Buffer.from(check)))
    throw mismatch(source);
  return key;
}
