// Polling for what a background worker (delivery, events) produces, within a deadline.

/** Resolves to `f`'s first defined answer; throws after `ms`. */
export async function waitFor<T>(f: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`nothing arrived within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
