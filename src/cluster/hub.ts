// The primary's side of what the workers share: cache invalidations confirmed by every worker
// before the write that caused them is answered, wake-ups forwarded between the workers that
// accept and the one that delivers, and /metrics gathered from all of them.
import { AggregatorRegistry } from 'prom-client';
import { collectMetricsJson } from '../metrics/registry.js';
import type { MetricsJson, ToPrimary, ToWorker } from './messages.js';
import type { ProcessRole } from './role.js';

/**
 * A worker that has not confirmed an invalidation within this time is killed (and restarted with
 * empty caches) before the write is answered: a worker stuck that long could otherwise decide a
 * later request with what it cached before.
 */
export const INVALIDATION_TIMEOUT_MS = 10_000;
/** A scrape answers with the workers that replied within this time. */
const METRICS_TIMEOUT_MS = 2_000;

export interface HubWorker {
  id: number;
  role: ProcessRole;
  send(m: ToWorker): void;
  /** SIGKILL: the supervisor restarts it. */
  kill(): void;
}

interface Pending {
  waiting: Set<number>;
  done(): void;
  timer: NodeJS.Timeout;
}

export interface Hub {
  /** A message from worker `from`. */
  receive(from: HubWorker, m: ToPrimary): void;
  /** `id` is gone: it confirms nothing more, and nothing waits for it. */
  gone(id: number): void;
}

export function createHub(
  workers: () => HubWorker[],
  log: { warn(o: object, m: string): void; error(o: object, m: string): void },
): Hub {
  let seq = 0;
  const confirmations = new Map<number, Pending>();
  const scrapes = new Map<number, { json: MetricsJson[]; waiting: Set<number>; finish(): void }>();

  const settle = (n: number, id: number) => {
    const p = confirmations.get(n);
    if (!p || !p.waiting.delete(id) || p.waiting.size > 0) return;
    confirmations.delete(n);
    clearTimeout(p.timer);
    p.done();
  };

  /** Sends `make(seq)` to every worker but `from`; `done` once each confirmed or is gone. */
  const broadcast = (from: HubWorker, make: (seq: number) => ToWorker, done: () => void) => {
    const n = ++seq;
    const others = workers().filter((w) => w.id !== from.id);
    if (others.length === 0) return done();
    const timer = setTimeout(() => {
      const p = confirmations.get(n);
      for (const id of p?.waiting ?? []) {
        log.error({ worker: id }, `worker ${id} did not confirm a cache invalidation in time; restarting it`);
        others.find((w) => w.id === id)?.kill();
      }
    }, INVALIDATION_TIMEOUT_MS);
    timer.unref();
    confirmations.set(n, { waiting: new Set(others.map((w) => w.id)), done, timer });
    for (const w of others) w.send(make(n));
  };

  const scrape = (from: HubWorker, id: number) => {
    const n = ++seq;
    const all = workers();
    const json: MetricsJson[] = [];
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      scrapes.delete(n);
      clearTimeout(timer);
      void collectMetricsJson()
        .then(async (own) => AggregatorRegistry.aggregate([own, ...json]).metrics())
        .then(
          (text) => from.send({ t: 'metrics-text', id, text }),
          (err: unknown) => {
            log.warn({ err }, 'metrics aggregation failed');
            from.send({ t: 'metrics-text', id, text: '' });
          },
        );
    };
    const timer = setTimeout(finish, METRICS_TIMEOUT_MS);
    timer.unref();
    scrapes.set(n, { json, waiting: new Set(all.map((w) => w.id)), finish });
    for (const w of all) w.send({ t: 'collect', seq: n });
  };

  const to = (role: ProcessRole, m: ToWorker) => {
    for (const w of workers()) if (w.role === role) w.send(m);
  };

  return {
    receive(from, m) {
      switch (m.t) {
        case 'bumped': {
          const { account, stored, id } = m;
          const msg = (n: number): ToWorker =>
            stored === undefined
              ? { t: 'bumped', seq: n, account }
              : { t: 'bumped', seq: n, account, stored };
          return broadcast(from, msg, () => from.send({ t: 'done', id }));
        }
        case 'reset':
          return broadcast(
            from,
            (n) => ({ t: 'reset', seq: n }),
            () => from.send({ t: 'done', id: m.id }),
          );
        case 'ack':
          return settle(m.seq, from.id);
        case 'wake':
          return to('background', { t: 'wake', queue: m.queue });
        case 'mail':
          return to('listeners', { t: 'mail' });
        case 'metrics':
          return scrape(from, m.id);
        case 'metrics-json': {
          const s = scrapes.get(m.seq);
          if (!s) return;
          s.json.push(m.json);
          s.waiting.delete(from.id);
          if (s.waiting.size === 0) s.finish();
          return;
        }
        case 'hello':
        case 'ready':
        case 'refused':
          return;
      }
    },
    gone(id) {
      for (const n of [...confirmations.keys()]) settle(n, id);
      for (const s of [...scrapes.values()]) {
        s.waiting.delete(id);
        if (s.waiting.size === 0) s.finish();
      }
    },
  };
}
