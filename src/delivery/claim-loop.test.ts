import { describe, expect, it } from 'vitest';
import { startClaimLoop } from './claim-loop.js';
import { notify } from './notify.js';

/** What both tests' loops share: nothing to reclaim or release, a 60 s poll (only wake-ups count). */
const quiet = {
  reclaim: async () => undefined,
  release: async () => undefined,
  concurrency: 4,
  pollMs: 60_000,
  stopTimeoutMs: 1000,
  now: () => new Date(),
  log: { warn: () => undefined },
};

describe('claim loop wake-ups', () => {
  it('does not sleep through a notify("outbox") that came while it was claiming', async () => {
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
          notify('outbox');
          await new Promise((r) => setTimeout(r, 20));
        }
        return items;
      },
      async run(item) {
        ran.push(item);
      },
      ...quiet,
      name: 'test',
      queue: 'outbox',
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

  it('answers the wake-ups of its own queue only: a send does not make the job loop poll', async () => {
    let claims = 0;
    const loop = startClaimLoop<string>({
      async claim() {
        claims++;
        return [];
      },
      run: async () => undefined,
      ...quiet,
      name: 'jobs test',
      queue: 'jobs',
    });
    const settle = () => new Promise((r) => setTimeout(r, 150));
    try {
      await settle();
      expect(claims).toBe(1); // the first poll, then asleep for 60 s
      notify('outbox');
      notify('inbound');
      await settle();
      expect(claims).toBe(1);
      notify('jobs');
      await settle();
      expect(claims).toBe(2);
    } finally {
      await loop.stop();
    }
  });
});
