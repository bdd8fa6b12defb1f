// The bytes of messages this process has just received, kept until its own worker runs their
// actions: the common case then reads no blob back from the store. Bounded (count and bytes); a
// message not found here (another node's, evicted, after a restart) is read from the mailbox.
import type { Store } from '../store/database.js';

const MAX_ENTRIES = 512;
const MAX_BYTES = 64 * 1024 * 1024;

interface Fresh {
  entries: Map<string, Buffer>;
  bytes: number;
}

const byStore = new WeakMap<object, Fresh>();

function freshOf(store: Store): Fresh {
  let f = byStore.get(store.key);
  if (!f) byStore.set(store.key, (f = { entries: new Map(), bytes: 0 }));
  return f;
}

export function keepFresh(store: Store, messageId: string, raw: Buffer): void {
  const f = freshOf(store);
  if (raw.length > MAX_BYTES / 8) return;
  f.entries.set(messageId, raw);
  f.bytes += raw.length;
  while (f.entries.size > MAX_ENTRIES || f.bytes > MAX_BYTES) {
    const [oldest, bytes] = f.entries.entries().next().value as [string, Buffer];
    f.entries.delete(oldest);
    f.bytes -= bytes.length;
  }
}

/** The received bytes of `messageId` if this process still holds them (and forgets them). */
export function takeFresh(store: Store, messageId: string): Buffer | undefined {
  const f = freshOf(store);
  const raw = f.entries.get(messageId);
  if (raw) {
    f.entries.delete(messageId);
    f.bytes -= raw.length;
  }
  return raw;
}
