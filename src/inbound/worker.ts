// Receipt action workers: a claim loop (delivery/claim-loop.ts) over the durable queue of received
// messages, each run from where it stopped (run.ts) under a lease. stop() lets messages in flight
// finish their current action (up to stopTimeoutMs), then gives back what it holds.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { startClaimLoop } from '../delivery/claim-loop.js';
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
  const now = deps.now ?? (() => new Date());
  const loop = startClaimLoop<InboundMessageRow>({
    name: 'receipt actions',
    queue: 'inbound',
    concurrency: deps.concurrency,
    pollMs: tuning.pollMs,
    stopTimeoutMs: tuning.stopTimeoutMs,
    now,
    log: deps.log,
    claim: (limit, at) => claimInbound(deps.store, { workerId, limit, now: at, leaseMs: tuning.leaseMs }),
    reclaim: (at) => reclaimInbound(deps.store, at),
    release: () => releaseInbound(deps.store, workerId),
    run: (row) =>
      runInbound({ store: deps.store, env: deps.env, workerId, now, tuning }, row).then(
        (how) => deps.log.debug({ messageId: row.message_id, how }, 'receipt actions ran'),
        (err: unknown) => {
          // The lease expires and the message resumes where it stopped; it is never lost.
          if (err instanceof LeaseLost) deps.log.warn({ messageId: row.message_id }, err.message);
          else deps.log.error({ err, messageId: row.message_id }, 'receipt actions failed');
        },
      ),
  });
  return { workerId, stop: () => loop.stop() };
}
