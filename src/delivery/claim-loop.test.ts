import { describe, expect, it } from 'vitest';
import { startClaimLoop } from './claim-loop.js';
import { notify } from './notify.js';

describe('claim loop wake-ups', () => {
  it('does not sleep through a notify() that came while it was claiming', async () => {
    const claims: number[] = [];
    const ran: string[] = [];
    let queued: string[] = [];
    const t0 = Date.now();
    const loop = startClaimLoop<string>({
      async claim() {
        claims.push(Date.now() - t0);
        const items = queued;
        queued = [];
        if (claims.length === 1) {
          // A send commits and notifies while this (first) claim is still waiting on the store.
          queued = ['m1'];
          notify();
          await new Promise((r) => setTimeout(r, 20));
        }
        return items;
      },
      async run(item) {
        ran.push(item);
      },
      reclaim: async () => undefined,
      release: async () => undefined,
      concurrency: 4,
      pollMs: 60_000,
      stopTimeoutMs: 1000,
      now: () => new Date(),
      log: { warn: () => undefined },
      name: 'test',
    });
    try {
      const until = Date.now() + 5000;
      while (ran.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      // Claimed by the second pass right after the first, not after the 60 s poll.
      expect(ran).toEqual(['m1']);
      expect(claims.length).toBeGreaterThanOrEqual(2);
      expect(claims[1]!).toBeLessThan(5000);
    } finally {
      await loop.stop();
    }
  });
});
