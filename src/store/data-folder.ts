// The data folder (SESAME_DATA_DIR): keys, generated credentials, the SMTP certificate and, on
// SQLite, the database. Made ready (created 0700, owner-only, writable) before anything is put in
// it, so a folder that cannot be used is refused in one line before any state exists.
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../config/config.js';

const REASONS: Record<string, string> = {
  ENOTDIR: 'a part of the path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EEXIST: 'it exists and is not a folder',
};

function refuse(dir: string, e: unknown): never {
  const code = (e as { code?: string }).code ?? '';
  const why = REASONS[code] ?? (e instanceof Error ? e.message : String(e));
  throw new ConfigError(`SESAME_DATA_DIR="${dir}" cannot be used: ${why}${code ? ` (${code})` : ''}`);
}

/** What Sesame keeps in a data folder: a folder holding one of them is a Sesame folder. */
const OWN_FILES = ['sesame.db', 'master.key', 'root-credentials.json', 'operator-token', 'smtp-tls.key'];

/**
 * Whether an existing folder is ours to tighten: empty, or already holding Sesame's files. A folder
 * that holds other things (a home, /tmp, a project) keeps its mode: 0700 would lock others out.
 */
function isSesameFolder(dir: string): boolean {
  const entries = readdirSync(dir);
  return entries.length === 0 || entries.some((e) => OWN_FILES.includes(e));
}

/** Creates the folder (mode 0700) or tightens an existing one of ours, and proves it writable. */
export function prepareDataFolder(dir: string): string {
  try {
    if (existsSync(dir) && !statSync(dir).isDirectory())
      throw Object.assign(new Error('not a folder'), { code: 'EEXIST' });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (statSync(dir).uid === process.getuid?.() && isSesameFolder(dir)) chmodSync(dir, 0o700);
    const probe = join(dir, `.write-test-${process.pid}`);
    writeFileSync(probe, '', { mode: 0o600 });
    rmSync(probe);
  } catch (e) {
    refuse(dir, e);
  }
  return resolve(dir);
}

/** Whether the folder holds a SQLite store (operator commands refuse to create one by accident). */
export function hasSqliteStore(dir: string): boolean {
  return existsSync(join(dir, 'sesame.db'));
}
