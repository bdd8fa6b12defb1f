// Wakes whoever waits for mail (ListMessages with `wait`) when a message is captured. Per store, in
// this process and (forwarded) the node's other processes: waiters also look again every
// WAIT_POLL_MS, for mail another node of the same PostgreSQL captured. A closing server ends every
// wait at once.
import type { Store } from '../store/database.js';

export const WAIT_POLL_MS = 500;

interface Waiters {
  wake: Set<() => void>;
  closed: boolean;
}

const byStore = new WeakMap<object, Waiters>();

function waitersOf(store: Store): Waiters {
  let w = byStore.get(store.key);
  if (!w) byStore.set(store.key, (w = { wake: new Set(), closed: false }));
  return w;
}

let forward: (() => void) | undefined;

/** A message was captured (and committed). */
export function mailArrived(store: Store): void {
  wakeMailWaiters(store);
  forward?.();
}

/** Wakes this process's waiters only (an arrival forwarded from another process of the node). */
export function wakeMailWaiters(store: Store): void {
  for (const wake of [...waitersOf(store).wake]) wake();
}

/** Where arrivals also go (a cluster worker forwards them to the processes serving the API). */
export function forwardArrivals(fn: (() => void) | undefined): void {
  forward = fn;
}

/** The server is closing: pending waits answer now, new ones do not wait. */
export function stopWaiting(store: Store): void {
  const w = waitersOf(store);
  w.closed = true;
  for (const wake of [...w.wake]) wake();
}

/**
 * Resolves on the next arrival, after `ms`, or at once when closing or when `signal` aborts (the
 * waiting client is gone); false when closing or aborted.
 */
export function nextArrival(store: Store, ms: number, signal?: AbortSignal): Promise<boolean> {
  const w = waitersOf(store);
  if (w.closed || signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      w.wake.delete(done);
      signal?.removeEventListener('abort', done);
      resolve(!w.closed && !signal?.aborted);
    };
    const timer = setTimeout(done, ms);
    w.wake.add(done);
    signal?.addEventListener('abort', done, { once: true });
  });
}
