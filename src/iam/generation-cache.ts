// A least-recently-used map whose entries are valid while their account's generation
// (generation.ts) is unchanged: any write to the account's IAM or SES state drops them all at
// once. Shared by the principal cache and the send path's state cache.
import type { Store } from '../store/database.js';
import { currentGeneration, globalGeneration } from './generation.js';

interface Entry<V> {
  accountId: string;
  generation: number;
  value: V;
}

export interface GenerationCache<V> {
  /**
   * The cached value of `key`, or `read()`'s. `accountOf` names the account a read value belongs
   * to (undefined: do not keep it). A value read while any generation moved is used once, not kept:
   * the write that moved it may have raced the read.
   */
  get(key: string, read: () => Promise<V>, accountOf: (value: V) => string | undefined): Promise<V>;
  clear(): void;
  readonly size: number;
}

export function createGenerationCache<V>(store: Store, maxEntries: number): GenerationCache<V> {
  const entries = new Map<string, Entry<V>>();
  return {
    async get(key, read, accountOf) {
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        if (hit.generation === currentGeneration(store, hit.accountId)) {
          entries.set(key, hit); // re-inserted: Map order is the LRU order
          return hit.value;
        }
      }
      const before = globalGeneration(store);
      const value = await read();
      const accountId = accountOf(value);
      if (accountId !== undefined && globalGeneration(store) === before) {
        entries.set(key, { accountId, generation: currentGeneration(store, accountId), value });
        if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      }
      return value;
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
