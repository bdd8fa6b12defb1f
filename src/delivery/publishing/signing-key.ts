// The HMAC key that signs published events: `event-signing.key` in the data folder (hex, mode 0600).
// Subscribers verify `x-sesame-signature` with it. Every node of one store signs with the same key
// (src/store/shared-secrets.ts): the first node's, written into each node's data folder.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../store/database.js';
import type { SecretBox } from '../../store/secret-box.js';
import { readIfPresent, sharedSecret, writeAtomically } from '../../store/shared-secrets.js';

export const SIGNING_KEY_FILE = 'event-signing.key';

function parseKey(file: string, text: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${file} must hold 32 bytes as hex`);
  return Buffer.from(hex, 'hex');
}

/** The data folder's key, generated there on first use (a node without a store: tools, tests). */
export function loadOrCreateSigningKey(dataDir: string): Buffer {
  const file = join(dataDir, SIGNING_KEY_FILE);
  if (existsSync(file)) return parseKey(file, readFileSync(file, 'utf8'));
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  // 'wx': another process that got there first wins; read its key.
  try {
    writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') return loadOrCreateSigningKey(dataDir);
    throw e;
  }
  return key;
}

/**
 * The store's signing key: the first node offers its data folder's (or a new one); a node whose
 * folder holds another key gets the store's written over it, since events are verified with one key.
 */
export async function resolveSigningKey(store: Store, box: SecretBox, dataDir: string): Promise<Buffer> {
  const file = join(dataDir, SIGNING_KEY_FILE);
  const local = await readIfPresent(file);
  const localKey = local === undefined ? undefined : parseKey(file, local);
  const hex = await sharedSecret(store, box, 'event_signing_key', async () =>
    (localKey ?? randomBytes(32)).toString('hex'),
  );
  const key = parseKey('the store', hex);
  if (!localKey?.equals(key)) await writeAtomically(file, `${hex}\n`, 0o600);
  return key;
}
