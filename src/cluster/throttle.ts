// Wake-ups between the processes of a node: under load a wake-up per event-loop turn cost every
// process on the way (the listener, the primary, the delivering worker) an IPC message for every few
// requests; the receiver only needs to know that there is work, and a busy loop does not wait for it.

/**
 * Calls `fire` at once, then at most once per `everyMs` while calls keep coming: one trailing call
 * covers the calls in between, so the last of them is never later than `everyMs`.
 */
export function throttled(fire: () => void, everyMs: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  let pending = false;
  const tick = () => {
    if (!pending) {
      timer = undefined;
      return;
    }
    pending = false;
    fire();
    timer = setTimeout(tick, everyMs);
  };
  return () => {
    if (timer) {
      pending = true;
      return;
    }
    fire();
    timer = setTimeout(tick, everyMs);
  };
}
