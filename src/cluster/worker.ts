// A worker of a node (primary.ts): waits for its role, wires what it shares with the other workers
// through the primary (cache invalidations, wake-ups, metrics), starts its part of the server,
// and stops on SIGTERM (the primary's, in order; SIGINT from a terminal reaches every process of
// the group: the workers leave it to the primary).
import cluster from 'node:cluster';
import type { Config } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { WORK_QUEUES, forwardNotifications, notifyLocal, type WorkQueue } from '../delivery/notify.js';
import { forwardArrivals, wakeMailWaiters } from '../delivery/mailbox-arrivals.js';
import { applyPeerBump, applyPeerReset, setGenerationPeers } from '../iam/generation.js';
import { collectMetricsJson, renderMetricsWith } from '../metrics/registry.js';
import { forgetSendCounts } from '../ses/state/ledger.js';
import { startServer, type RunningServer } from '../server.js';
import { listenFailure } from '../cli/preflight.js';
import { isToWorker, type Listening, type ToPrimary, type ToWorker } from './messages.js';
import { throttled } from './throttle.js';

// The channel closes when the primary goes: a message sent as it closes fails through the callback
// (without one, the failure would be thrown as an 'error' event).
const send = (m: ToPrimary) => {
  if (process.connected) process.send!(m, undefined, {}, () => undefined);
};

/** Request-reply with the primary: resolves with the reply carrying the same id. */
function requests() {
  let next = 0;
  const waiting = new Map<number, (m: ToWorker) => void>();
  return {
    ask(make: (id: number) => ToPrimary): Promise<ToWorker> {
      const id = ++next;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        send(make(id));
      });
    },
    answer(m: ToWorker & { id: number }) {
      waiting.get(m.id)?.(m);
      waiting.delete(m.id);
    },
  };
}

/** The quiet time between two wake-ups of another process (what a message may wait for pickup at most). */
const WAKE_EVERY_MS = 5;

export async function runWorker(config: Config): Promise<void> {
  const log = createLogger(config);
  const rpc = requests();
  const running: { server?: RunningServer } = {};
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      try {
        await running.server?.stop();
        process.exit(0);
      } catch (err) {
        log.error({ err }, 'worker stop failed');
        process.exit(1);
      }
    })());
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => {}); // the terminal's Ctrl-C: the primary stops the workers in order
  const role = await new Promise<'listeners' | 'background'>((resolve) => {
    process.on('message', (m: unknown) => {
      if (!isToWorker(m)) return;
      switch (m.t) {
        case 'start':
          return resolve(m.role);
        case 'bumped':
          applyPeerBump(m.account, m.stored);
          return send({ t: 'ack', seq: m.seq });
        case 'reset':
          applyPeerReset();
          if (running.server) forgetSendCounts(running.server.app.store);
          return send({ t: 'ack', seq: m.seq });
        case 'done':
        case 'metrics-text':
          return rpc.answer(m);
        case 'wake':
          return notifyLocal(m.queue);
        case 'mail':
          if (running.server) wakeMailWaiters(running.server.app.store);
          return;
        case 'collect':
          void collectMetricsJson().then((json) => send({ t: 'metrics-json', seq: m.seq, json }));
          return;
      }
    });
    send({ t: 'hello' });
  });
  // Before anything is served: a write here is answered only once every other worker knows.
  setGenerationPeers({
    bumped: async (account, stored) => {
      await rpc.ask((id) =>
        stored === undefined ? { t: 'bumped', id, account } : { t: 'bumped', id, account, stored },
      );
    },
    reset: async () => {
      await rpc.ask((id) => ({ t: 'reset', id }));
    },
  });
  if (role === 'listeners') {
    const wake = Object.fromEntries(
      WORK_QUEUES.map((queue) => [queue, throttled(() => send({ t: 'wake', queue }), WAKE_EVERY_MS)]),
    ) as Record<WorkQueue, () => void>;
    forwardNotifications((queue) => wake[queue]());
    renderMetricsWith(async () => {
      const reply = await rpc.ask((id) => ({ t: 'metrics', id }));
      return reply.t === 'metrics-text' ? reply.text : '';
    });
  } else {
    forwardArrivals(throttled(() => send({ t: 'mail' }), WAKE_EVERY_MS));
  }
  const server = await startServer(config, { quiet: true, logger: log, process: role }).catch(
    (e: unknown) => {
      const refusal = listenFailure(e, config);
      if (!refusal) throw e;
      // The primary says it, once, and stops every worker (this one with them: SIGTERM).
      send({ t: 'refused', message: refusal.message, exitCode: refusal.exitCode });
      return new Promise<never>(() => {});
    },
  );
  running.server = server;
  const listening: Listening | undefined =
    role === 'listeners' ? { endpoint: server.endpoint, smtp: server.smtp } : undefined;
  send(listening ? { t: 'ready', listening } : { t: 'ready' });
  log.debug({ worker: cluster.worker?.id, role }, 'worker ready');
}
