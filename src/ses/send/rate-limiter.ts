// MaxSendRate as a token bucket of recipients per (account, region): in memory when this process
// alone writes the store, in the database when other processes (nodes on one PostgreSQL, workers of
// one node) do, so that they all share it (cluster-limits.ts). SES admits
// a multi-recipient send while any budget remains, then refuses sends until it has recovered
// (docs/spec/ses.md §5.3): the bucket may go negative.
import type { Store } from '../../store/database.js';
import { takeSharedRate } from './cluster-limits.js';

export interface RateLimiter {
  /**
   * Takes `recipients` tokens if the bucket has any budget left; false = throttled. `key` is
   * `ACCOUNT/REGION`; given the store, a limiter may keep its buckets there.
   */
  tryTake(
    key: string,
    maxSendRate: number,
    recipients: number,
    now: Date,
    store?: Store,
  ): boolean | Promise<boolean>;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(): RateLimiter {
  const buckets = new Map<string, Bucket>();
  return {
    tryTake(key, maxSendRate, recipients, now) {
      if (maxSendRate < 0 || recipients <= 0) return true; // -1: unlimited
      if (maxSendRate === 0) return false;
      const t = now.getTime();
      const capacity = Math.max(maxSendRate, 1);
      const b = buckets.get(key) ?? { tokens: capacity, at: t };
      // A clock that steps back refills nothing (and never drains).
      b.tokens = Math.min(capacity, b.tokens + (Math.max(0, t - b.at) / 1000) * maxSendRate);
      b.at = Math.max(b.at, t);
      if (b.tokens < Math.min(1, capacity)) {
        buckets.set(key, b);
        return false;
      }
      b.tokens -= recipients;
      buckets.set(key, b);
      return true;
    },
  };
}

const inMemory = createRateLimiter();

/** The limiter the server uses: this process's buckets, or the store's when it is shared. */
export const defaultRateLimiter: RateLimiter = {
  tryTake(key, maxSendRate, recipients, now, store) {
    if (!store?.shared || maxSendRate < 0 || maxSendRate === 0 || recipients <= 0)
      return inMemory.tryTake(key, maxSendRate, recipients, now);
    const slash = key.indexOf('/');
    return takeSharedRate(store, key.slice(0, slash), key.slice(slash + 1), maxSendRate, recipients, now);
  },
};
