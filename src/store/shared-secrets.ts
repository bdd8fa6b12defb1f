// Secrets every node of one store must hold alike: the key that signs published events (a subscriber
// verifies every event with one key, whichever node delivered it) and the SMTP listeners' generated
// certificate (a client that pins it must meet the same one on every node). The store keeps a copy
// sealed with the master key (which every node already shares, src/store/master-key.ts); the first
// node to start publishes its own, and every node writes the store's into its data folder, where
// operators read the signing key and may place their own certificate.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from './database.js';
import type { SecretBox } from './secret-box.js';

const PREFIX = 'shared_secret:';

async function readShared(store: Store, box: SecretBox, name: string): Promise<string | undefined> {
  const row = await store.db
    .selectFrom('store_meta')
    .select('value')
    .where('name', '=', PREFIX + name)
    .executeTakeFirst();
  return row === undefined ? undefined : box.open(row.value);
}

/**
 * The store's value of secret `name`; when it has none yet, `candidate()` is offered and the first
 * node's offer wins (two nodes starting at once both read back the one stored).
 */
export async function sharedSecret(
  store: Store,
  box: SecretBox,
  name: string,
  candidate: () => Promise<string>,
): Promise<string> {
  const stored = await readShared(store, box, name);
  if (stored !== undefined) return stored;
  await store.db
    .insertInto('store_meta')
    .values({ name: PREFIX + name, value: box.seal(await candidate()) })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const won = await readShared(store, box, name);
  if (won === undefined) throw new Error(`shared secret ${name} was not stored`);
  return won;
}

/**
 * Replaces the store's value of `name` with `next` when it still is `current` (another node may
 * have replaced it first); answers the value the store holds afterwards.
 */
export async function replaceSharedSecret(
  store: Store,
  box: SecretBox,
  name: string,
  current: string,
  next: string,
): Promise<string> {
  const row = await store.db
    .selectFrom('store_meta')
    .select('value')
    .where('name', '=', PREFIX + name)
    .executeTakeFirst();
  // Sealed values differ at every seal: the one read stands for `current` in the swap.
  if (row !== undefined && box.open(row.value) === current)
    await store.db
      .updateTable('store_meta')
      .set({ value: box.seal(next) })
      .where('name', '=', PREFIX + name)
      .where('value', '=', row.value)
      .execute();
  const now = await readShared(store, box, name);
  if (now === undefined) throw new Error(`shared secret ${name} was not stored`);
  return now;
}

export async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Writes via a temporary file and rename so a crash never leaves half a key behind. */
export async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, text, { mode });
  await chmod(tmp, mode); // the umask may have narrowed or widened what writeFile set
  await rename(tmp, path);
}
