// Delivery workers: a claim loop per process (claim-loop.ts) that keeps up to `concurrency` messages
// in flight, claiming due outbox rows under a lease renewed while they are worked on, and sleeps
// between polls unless notify('outbox') wakes it. stop() stops
// claiming, lets in-flight attempts finish (up to stopTimeoutMs), then releases whatever it still holds.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Store } from '../store/database.js';
import type { SecretBox } from '../store/secret-box.js';
import { claimDue, reclaimExpired, releaseAll, renewLeases } from './lease.js';
import { IDLE_POLL_MAX_MS } from './notify.js';
import { startClaimLoop } from './claim-loop.js';
import { requeueFailedAttempt } from './requeue.js';
import { countDeliveryAttempt } from '../metrics/counters.js';
import { processMessage, type DeliveryTuning, type LeaseState } from './process.js';
import { captureTransport } from './transports/capture.js';
import { hasTargets, type PublishTargets } from './publishing/fanout.js';
import type { Transport } from './transports/types.js';

export interface DeliveryDeps {
  store: Store;
  config: Config;
  log: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  /** Default: the capture transport (the local mailbox). */
  transport?: Transport;
  workerId?: string;
  /** Messages in flight at once. Default 8. */
  concurrency?: number;
  /** Seals DKIM private keys at rest when given. */
  secretBox?: SecretBox;
  tuning?: Partial<DeliveryTuning & { pollMs: number; stopTimeoutMs: number }>;
  /** Event publishing targets (from configuration); events are queued for them as they are recorded. */
  publishing?: PublishTargets;
  now?: () => Date;
}

export interface DeliveryHandle {
  workerId: string;
  stop(): Promise<void>;
}

export const DEFAULT_TUNING: DeliveryTuning & { pollMs: number; stopTimeoutMs: number } = {
  // SESAME_DELIVERY_LEASE_SECONDS wins (startDelivery); renewed every third of it while working.
  leaseMs: 30_000,
  retryBaseMs: 60_000,
  retryMaxMs: 30 * 60_000,
  maxAgeMs: 14 * 60 * 60_000,
  reportingMta: hostname(),
  pollMs: 100,
  stopTimeoutMs: 10_000,
};

export function startDelivery(deps: DeliveryDeps): DeliveryHandle {
  const tuning = { ...DEFAULT_TUNING, leaseMs: deps.config.deliveryLeaseMs, ...deps.tuning };
  const workerId = deps.workerId ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  const concurrency = Math.max(1, deps.concurrency ?? 8);
  const now = deps.now ?? (() => new Date());
  const transport = deps.transport ?? captureTransport(deps.store, { now });
  const publishing = deps.publishing && hasTargets(deps.publishing) ? deps.publishing : undefined;
  let stopping = false;
  // The leases held, renewed every third of the lease while their attempts run.
  const held = new Map<string, LeaseState>();
  const renewal = setInterval(
    () => {
      // The states themselves, not their ids: an attempt may finish (and leave `held`), or the
      // row be claimed again, before the answer comes back.
      const states = [...held.values()];
      renewLeases(
        deps.store,
        workerId,
        states.map((l) => l.lease),
        now().getTime(),
        tuning.leaseMs,
      ).then(
        (still) => {
          for (const l of states) if (!still.has(l.lease.messageId)) l.lost = true;
        },
        (err: unknown) => deps.log.warn({ err }, 'delivery lease renewal failed'),
      );
    },
    Math.max(10, Math.floor(tuning.leaseMs / 3)),
  );
  renewal.unref();

  const run = (row: Parameters<typeof processMessage>[1]): Promise<void> => {
    const lease: LeaseState = {
      lease: { messageId: row.message_id, attempt: Number(row.attempts) },
      lost: false,
    };
    held.set(row.message_id, lease);
    return processMessage(
      {
        store: deps.store,
        transport,
        tuning,
        workerId,
        now,
        ...(deps.secretBox ? { secretBox: deps.secretBox } : {}),
        ...(publishing ? { publishing } : {}),
      },
      row,
      lease,
    )
      .then(
        (s) => {
          countDeliveryAttempt(s.kind === 'retry' ? 'retry' : s.status);
          deps.log.debug({ messageId: row.message_id, settlement: s.kind }, 'delivery attempt');
        },
        (err: unknown) => {
          countDeliveryAttempt('error');
          deps.log.error({ err, messageId: row.message_id }, 'delivery attempt failed');
          // Back in the queue as soon as the store takes the write (else the lease expires).
          const o = {
            workerId,
            leaseMs: tuning.leaseMs,
            maxAgeMs: tuning.maxAgeMs,
            now,
            stopped: () => stopping,
          };
          return requeueFailedAttempt(deps.store, row, err, o);
        },
      )
      .finally(() => {
        if (held.get(row.message_id) === lease) held.delete(row.message_id);
      });
  };

  // The claim loop shared with receipt actions and jobs (claim-loop.ts); a dead worker's leases are
  // reclaimed every second or every half lease when that is shorter, and the idle poll never waits
  // longer than that either.
  const reclaimEveryMs = Math.min(1000, tuning.leaseMs / 2);
  const loop = startClaimLoop({
    name: 'delivery',
    queue: 'outbox',
    claim: (limit, at) => claimDue(deps.store, { workerId, limit, now: at, leaseMs: tuning.leaseMs }),
    run,
    reclaim: (at) => reclaimExpired(deps.store, at),
    release: async () => {
      clearInterval(renewal);
      // A transport passed in belongs to the caller, who closes it.
      await releaseAll(deps.store, workerId);
    },
    concurrency,
    pollMs: tuning.pollMs,
    reclaimEveryMs,
    idlePollMaxMs: Math.min(IDLE_POLL_MAX_MS, reclaimEveryMs),
    stopTimeoutMs: tuning.stopTimeoutMs,
    now,
    log: deps.log,
  });

  return {
    workerId,
    async stop() {
      stopping = true;
      await loop.stop();
    },
  };
}
