// Receipt action workers: a loop per process keeping up to `concurrency` received messages in
// flight, claimed from the durable queue under a lease; it sleeps between polls unless a receipt
// (notify()) or a finished message wakes it. stop() stops claiming, lets messages in flight finish
// their current action (up to stopTimeoutMs), then gives back what it holds.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { waitForWork, wakeChannel } from '../delivery/notify.js';
import type { Store } from '../store/database.js';
import type { InboundMessageRow } from '../store/schema/receiving.js';
import type { ActionEnv } from './actions.js';
import { claimInbound, LeaseLost, reclaimInbound, releaseInbound } from './queue.js';
import { runInbound, type RunTuning } from './run.js';

export interface InboundWorkerTuning extends RunTuning {
  leaseMs: number;
  pollMs: number;
  stopTimeoutMs: number;
}

export const DEFAULT_INBOUND_TUNING: InboundWorkerTuning = {
  maxAttempts: 8,
  retryBaseMs: 1000,
  retryMaxMs: 5 * 60_000,
  // Longer than the slowest action (a RequestResponse Lambda: 30 s).
  leaseMs: 5 * 60_000,
  pollMs: 200,
  stopTimeoutMs: 10_000,
};

export interface InboundWorkerDeps {
  store: Store;
  env: ActionEnv;
  log: Pick<Logger, 'warn' | 'error' | 'debug'>;
  concurrency: number;
  tuning?: Partial<InboundWorkerTuning>;
  workerId?: string;
  now?: () => Date;
}

export interface InboundWorker {
  workerId: string;
  stop(): Promise<void>;
}

export function startInboundWorker(deps: InboundWorkerDeps): InboundWorker {
  const tuning = { ...DEFAULT_INBOUND_TUNING, ...deps.tuning };
  const workerId = deps.workerId ?? `${hostname()}/${process.pid}/inbound-${randomUUID().slice(0, 8)}`;
  const concurrency = Math.max(1, deps.concurrency);
  const now = deps.now ?? (() => new Date());
  const inflight = new Set<Promise<void>>();
  const channel = wakeChannel();
  let stopping = false;

  const run = (row: InboundMessageRow) => {
    const p = runInbound({ store: deps.store, env: deps.env, workerId, now, tuning }, row)
      .then(
        (how) => deps.log.debug({ messageId: row.message_id, how }, 'receipt actions ran'),
        (err: unknown) => {
          // The lease expires and the message resumes where it stopped; it is never lost.
          if (err instanceof LeaseLost) deps.log.warn({ messageId: row.message_id }, err.message);
          else deps.log.error({ err, messageId: row.message_id }, 'receipt actions failed');
        },
      )
      .finally(() => {
        inflight.delete(p);
        channel.wake();
      });
    inflight.add(p);
  };

  const loop = (async () => {
    let lastReclaim = 0;
    while (!stopping) {
      const t = now().getTime();
      if (t - lastReclaim >= 1000) {
        lastReclaim = t;
        await reclaimInbound(deps.store, t).catch((err: unknown) =>
          deps.log.warn({ err }, 'inbound reclaim failed'),
        );
      }
      // Claim in batches: wait until half the slots are free (each claim is a transaction).
      const room = inflight.size > concurrency / 2 ? 0 : concurrency - inflight.size;
      let claimed = 0;
      if (room > 0) {
        try {
          const rows = await claimInbound(deps.store, {
            workerId,
            limit: room,
            now: now().getTime(),
            leaseMs: tuning.leaseMs,
          });
          claimed = rows.length;
          for (const r of rows) run(r);
        } catch (err) {
          deps.log.warn({ err }, 'inbound claim failed');
        }
      }
      if (stopping) break;
      if (claimed === 0 || claimed < room) await waitForWork(tuning.pollMs, channel);
    }
  })();

  return {
    workerId,
    async stop() {
      stopping = true;
      channel.wake();
      await loop;
      const drained = Promise.all([...inflight]).then(() => true);
      const timedOut = new Promise<false>((r) => setTimeout(() => r(false), tuning.stopTimeoutMs).unref());
      if (!(await Promise.race([drained, timedOut])))
        deps.log.warn({ workerId, inflight: inflight.size }, 'inbound stop timed out; releasing leases');
      await releaseInbound(deps.store, workerId);
    },
  };
}
