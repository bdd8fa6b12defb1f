// Resolved callers by access key id, so authenticating a request costs no store query. An entry is
// valid while its account's IAM generation is unchanged (generation.ts): any IAM write in the
// account drops every caller of that account at once. Session expiry is judged on every lookup.
import type { Store } from '../store/database.js';
import type { SecretBox } from '../store/secret-box.js';
import { createGenerationCache } from './generation-cache.js';
import { resolveAccessKey, type ResolvedKey } from './principals.js';
import { bindSecretBox } from './secrets.js';

export interface PrincipalCache {
  resolve(accessKeyId: string, now: Date): Promise<ResolvedKey | undefined>;
  /** Drops every entry (tests, operator commands). */
  clear(): void;
  readonly size: number;
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
  const cache = createGenerationCache<ResolvedKey | undefined>(store, opts.maxEntries ?? 10_000);
  return {
    async resolve(accessKeyId, now) {
      // The account is known only after the queries: the entry is kept under the caller's account.
      const resolved = await cache.get(
        accessKeyId,
        () => resolveAccessKey(store, box, accessKeyId, now),
        (r) => r?.caller.accountId,
      );
      return resolved && withExpiry(resolved, now);
    },
    clear: () => cache.clear(),
    get size() {
      return cache.size;
    },
  };
}

function withExpiry(r: ResolvedKey, now: Date): ResolvedKey {
  const expired = r.key.expiresAt !== undefined && r.key.expiresAt.getTime() <= now.getTime();
  return expired && r.key.status !== 'Expired' ? { ...r, key: { ...r.key, status: 'Expired' } } : r;
}
