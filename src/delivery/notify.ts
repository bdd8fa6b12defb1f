// In-process wake-up: the send path calls notify() after committing to the outbox, so workers in
// this process start at once instead of waiting for their next poll.
type Waiter = () => void;
const waiters = new Set<Waiter>();

/** Wakes every worker of this process that is waiting for work. */
export function notify(): void {
  for (const w of [...waiters]) w();
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
export function wakeChannel(): { wake(): void; onWake(fn: () => void): () => void } {
  const fns = new Set<() => void>();
  return {
    wake: () => {
      for (const f of [...fns]) f();
    },
    onWake: (fn) => {
      fns.add(fn);
      return () => fns.delete(fn);
    },
  };
}
