// In-process wake-up: the send path calls notify() after committing to the outbox, so workers in
// this process start at once instead of waiting for their next poll. When delivery runs in another
// process of the node (src/cluster/), the wake-up is forwarded to it too.
type Waiter = () => void;
const waiters = new Set<Waiter>();
let forward: (() => void) | undefined;
// Counts wake-ups, so that a loop busy (claiming) when one came does not then sleep through it.
let wakes = 0;

/** How many wake-ups this process has had: compare before and after work to see one was missed. */
export const wakeCount = (): number => wakes;

/** Wakes every worker waiting for work: this process's, and the node's other processes'. */
export function notify(): void {
  notifyLocal();
  forward?.();
}

/** Wakes this process's waiting workers only (a wake-up forwarded from another process). */
export function notifyLocal(): void {
  wakes += 1;
  for (const w of [...waiters]) w();
}

/** Where notify() also goes (a cluster worker forwards it to the process that delivers). */
export function forwardNotifications(fn: (() => void) | undefined): void {
  forward = fn;
}

/** Resolves after `ms`, or sooner on notify() or when `signal` fires. */
export function waitForWork(ms: number, signal?: { onWake(fn: () => void): () => void }): Promise<void> {
  return new Promise((resolve) => {
    let off = () => {};
    const done = () => {
      clearTimeout(timer);
      waiters.delete(done);
      off();
      resolve();
    };
    const timer = setTimeout(done, ms);
    waiters.add(done);
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
