// A worker loop over a leased queue: keeps up to `concurrency` items in flight, claiming due ones
// in batches (once half the slots are free: each claim is a transaction), puts back items of dead
// workers every second (or as often as asked), sleeps between polls (longer and longer while idle,
// up to a second) unless notify(queue) or a finished item wakes it. stop() stops claiming, lets
// items in flight finish (up to stopTimeoutMs), then releases what it holds.
import {
  IDLE_POLL_MAX_MS,
  idlePolling,
  waitForWork,
  wakeChannel,
  wakeCount,
  type WorkQueue,
} from './notify.js';

export interface ClaimLoop<T> {
  /** Leases up to `limit` due items at `now`. */
  claim(limit: number, now: number): Promise<T[]>;
  /** Works on one claimed item; failures are its own to log. */
  run(item: T): Promise<void>;
  /** Puts back the items whose lease expired before `now`. */
  reclaim(now: number): Promise<unknown>;
  /** Gives back every item this loop still holds. */
  release(): Promise<unknown>;
  concurrency: number;
  pollMs: number;
  /** How often dead workers' items are put back (default 1 s). */
  reclaimEveryMs?: number;
  /** The longest idle wait between polls (default IDLE_POLL_MAX_MS; never below pollMs). */
  idlePollMaxMs?: number;
  stopTimeoutMs: number;
  now: () => Date;
  log: { warn(o: object, m: string): void };
  /** Names the queue in log lines. */
  name: string;
  /** The queue whose wake-ups (notify) this loop answers. */
  queue: WorkQueue;
}

export function startClaimLoop<T>(o: ClaimLoop<T>): { stop(): Promise<void> } {
  const concurrency = Math.max(1, o.concurrency);
  const inflight = new Set<Promise<void>>();
  const channel = wakeChannel();
  let stopping = false;

  const start = (item: T) => {
    const p = o
      .run(item)
      .catch((err: unknown) => o.log.warn({ err }, `${o.name}: work failed`))
      .finally(() => {
        inflight.delete(p);
        channel.wake();
      });
    inflight.add(p);
  };

  // Idle, the poll backs off (to a second by default); wake-ups come at once regardless.
  const polling = idlePolling(o.pollMs, o.idlePollMaxMs ?? IDLE_POLL_MAX_MS);
  const reclaimEveryMs = o.reclaimEveryMs ?? 1000;
  const loop = (async () => {
    let lastReclaim = 0;
    while (!stopping) {
      // A wake-up that comes while this iteration awaits the store must not be slept through.
      const seen = wakeCount(o.queue);
      const seenOwn = channel.count();
      const t = o.now().getTime();
      if (t - lastReclaim >= reclaimEveryMs) {
        lastReclaim = t;
        await o.reclaim(t).catch((err: unknown) => o.log.warn({ err }, `${o.name}: reclaim failed`));
      }
      const room = inflight.size > concurrency / 2 ? 0 : concurrency - inflight.size;
      let claimed = 0;
      if (room > 0) {
        try {
          const items = await o.claim(room, o.now().getTime());
          claimed = items.length;
          for (const item of items) start(item);
        } catch (err) {
          o.log.warn({ err }, `${o.name}: claim failed`);
        }
      }
      if (stopping) break;
      const missed = wakeCount(o.queue) !== seen || channel.count() !== seenOwn;
      const wait = polling.after(claimed > 0);
      if ((claimed === 0 || claimed < room) && !missed) await waitForWork(wait, o.queue, channel);
    }
  })();

  return {
    async stop() {
      stopping = true;
      channel.wake();
      await loop;
      const drained = Promise.all([...inflight]).then(() => true);
      const timedOut = new Promise<false>((r) => setTimeout(() => r(false), o.stopTimeoutMs).unref());
      if (!(await Promise.race([drained, timedOut])))
        o.log.warn({ inflight: inflight.size }, `${o.name}: stop timed out; releasing leases`);
      await o.release();
    },
  };
}
