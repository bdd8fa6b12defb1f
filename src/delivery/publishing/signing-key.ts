// The HMAC key that signs published events: `event-signing.key` in the data folder (hex, mode 0600),
// generated on first use. Subscribers verify `x-sesame-signature` with it.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SIGNING_KEY_FILE = 'event-signing.key';

export function loadOrCreateSigningKey(dataDir: string): Buffer {
  const file = join(dataDir, SIGNING_KEY_FILE);
  if (existsSync(file)) {
    const hex = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${file} must hold 32 bytes as hex`);
    return Buffer.from(hex, 'hex');
  }
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
