// In-process wake-up: the send path calls notify('outbox') after committing to the outbox, so
// workers in this process start at once instead of waiting for their next poll. When the work runs
// in another process of the node (src/cluster/), the wake-up is forwarded to it too. A wake-up names
// its queue: a send wakes delivery, not the receipt-action and job loops, which would poll their
// (empty) queues for every few messages sent.
type Waiter = () => void;

/** The durable queues a node's claim loops work on. */
export const WORK_QUEUES = ['outbox', 'inbound', 'jobs'] as const;
export type WorkQueue = (typeof WORK_QUEUES)[number];

const waiters: Record<WorkQueue, Set<Waiter>> = { outbox: new Set(), inbound: new Set(), jobs: new Set() };
let forward: ((queue: WorkQueue) => void) | undefined;
// Counts wake-ups, so that a loop busy (claiming) when one came does not then sleep through it.
const wakes: Record<WorkQueue, number> = { outbox: 0, inbound: 0, jobs: 0 };

/** How many wake-ups `queue` has had here: compare before and after work to see one was missed. */
export const wakeCount = (queue: WorkQueue): number => wakes[queue];

/** Wakes every worker waiting for work on `queue`: this process's, and the node's other processes'. */
export function notify(queue: WorkQueue): void {
  notifyLocal(queue);
  forward?.(queue);
}

/** Wakes this process's workers waiting on `queue` only (a wake-up forwarded from another process). */
export function notifyLocal(queue: WorkQueue): void {
  wakes[queue] += 1;
  for (const w of [...waiters[queue]]) w();
}

/** Where notify() also goes (a cluster worker forwards it to the process that does the work). */
export function forwardNotifications(fn: ((queue: WorkQueue) => void) | undefined): void {
  forward = fn;
}

/** Resolves after `ms`, or sooner on notify(queue) or when `signal` fires. */
export function waitForWork(
  ms: number,
  queue: WorkQueue,
  signal?: { onWake(fn: () => void): () => void },
): Promise<void> {
  return new Promise((resolve) => {
    let off = () => {};
    const done = () => {
      clearTimeout(timer);
      waiters[queue].delete(done);
      off();
      resolve();
    };
    const timer = setTimeout(done, ms);
    waiters[queue].add(done);
    if (signal) off = signal.onWake(done);
  });
}

/** A local wake-up channel (a worker wakes its own loop when a task ends or on stop). */
export function wakeChannel(): { wake(): void; onWake(fn: () => void): () => void; count(): number } {
  const fns = new Set<() => void>();
  let count = 0;
  return {
    count: () => count,
    wake: () => {
      count += 1;
      for (const f of [...fns]) f();
    },
    onWake: (fn) => {
      fns.add(fn);
      return () => fns.delete(fn);
    },
  };
}

/** The longest an idle claim loop sleeps between polls of its queue. */
export const IDLE_POLL_MAX_MS = 1000;

/**
 * How long an idle claim loop sleeps: `pollMs` after a poll that found work, then twice as long
 * after each poll that found none, up to `maxMs`. A node with nothing to do then polls its store
 * about once a second instead of ten times; work committed on the node wakes it at once anyway.
 */
export function idlePolling(pollMs: number, maxMs: number): { after(found: boolean): number } {
  const cap = Math.max(pollMs, maxMs);
  let wait = pollMs;
  return {
    after(found) {
      if (found) return (wait = pollMs);
      const w = wait;
      wait = Math.min(wait * 2, cap);
      return w;
    },
  };
}
