// Resolved callers by access key id, so authenticating a request costs no store query. An entry is
// valid while its account's IAM generation is unchanged (generation.ts): any IAM write in the
// account drops every caller of that account at once. Session expiry is judged on every lookup.
import type { Store } from '../store/database.js';
import type { SecretBox } from '../store/secret-box.js';
import { currentGeneration, globalGeneration } from './generation.js';
import { resolveAccessKey, type ResolvedKey } from './principals.js';
import { bindSecretBox } from './secrets.js';

export interface PrincipalCache {
  resolve(accessKeyId: string, now: Date): Promise<ResolvedKey | undefined>;
  /** Drops every entry (tests, operator commands). */
  clear(): void;
  readonly size: number;
}

interface Entry {
  resolved: ResolvedKey;
  generation: number;
}

export interface PrincipalCacheOptions {
  /** Most entries kept; the least recently used go first. */
  maxEntries?: number;
}

export function createPrincipalCache(
  store: Store,
  box: SecretBox,
  opts: PrincipalCacheOptions = {},
): PrincipalCache {
  bindSecretBox(store, box);
  const max = opts.maxEntries ?? 10_000;
  const entries = new Map<string, Entry>();

  return {
    async resolve(accessKeyId, now) {
      const hit = entries.get(accessKeyId);
      if (hit) {
        entries.delete(accessKeyId);
        if (hit.generation === currentGeneration(store, hit.resolved.caller.accountId)) {
          entries.set(accessKeyId, hit); // re-inserted: Map order is the LRU order
          return withExpiry(hit.resolved, now);
        }
      }
      // The account is known only after the queries, so any IAM write during them (global
      // generation moved) means the result may be stale: use it once, do not keep it.
      const before = globalGeneration(store);
      const resolved = await resolveAccessKey(store, box, accessKeyId, now);
      if (!resolved) return undefined;
      if (globalGeneration(store) === before) {
        entries.set(accessKeyId, {
          resolved,
          generation: currentGeneration(store, resolved.caller.accountId),
        });
        if (entries.size > max) entries.delete(entries.keys().next().value as string);
      }
      return resolved;
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}

function withExpiry(r: ResolvedKey, now: Date): ResolvedKey {
  const expired = r.key.expiresAt !== undefined && r.key.expiresAt.getTime() <= now.getTime();
  return expired && r.key.status !== 'Expired' ? { ...r, key: { ...r.key, status: 'Expired' } } : r;
}
