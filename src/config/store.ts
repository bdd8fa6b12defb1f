// The store's settings: which database, and the key that seals secrets in it.
import { parseMasterKey } from '../store/secret-box.js';
import { ConfigError, hidePassword, opt, type Env } from './env.js';

export function databaseUrl(env: Env): string | undefined {
  const raw = opt(env, 'SESAME_DATABASE_URL');
  if (raw === undefined) return undefined;
  let protocol = '';
  try {
    protocol = new URL(raw).protocol;
  } catch {
    // not a URL: refused below
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:')
    throw new ConfigError(
      `SESAME_DATABASE_URL must be a postgres:// or postgresql:// URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE), got "${hidePassword(raw)}"`,
    );
  return raw;
}

export function masterKey(env: Env): string | undefined {
  const raw = opt(env, 'SESAME_MASTER_KEY');
  if (raw === undefined) return undefined;
  try {
    parseMasterKey(raw);
  } catch {
    throw new ConfigError('SESAME_MASTER_KEY must be 32 bytes, as 64 hex digits or base64 (value not shown)');
  }
  return raw;
}
