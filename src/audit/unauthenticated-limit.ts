// Unauthenticated failures cost the caller nothing, so one record each was a way to fill the disk
// (46 MB in 3.5 s). Per minute, each source address gets its first N failures recorded one by one
// (SESAME_AUDIT_UNAUTHENTICATED_PER_MINUTE), all sources together ten times that; the rest are
// counted and written as one summary record per source when the minute is over.
import type { Store } from '../store/database.js';

const WINDOW_MS = 60_000;
/** Sources tracked in one window; beyond it every new source shares one entry. */
const MAX_SOURCES = 10_000;
const OTHER_SOURCES = 'other';

export interface SuppressedSummary {
  sourceIp: string;
  count: number;
  from: Date;
  to: Date;
}

interface Window {
  start: number;
  total: number;
  bySource: Map<string, { recorded: number; suppressed: number }>;
}

class UnauthenticatedLimit {
  #window: Window;

  constructor(readonly perSourcePerMinute: number) {
    this.#window = { start: 0, total: 0, bySource: new Map() };
  }

  /** Whether this failure is recorded one by one; otherwise it is counted for the summary. */
  admit(sourceIp: string | undefined, now: number): { admit: boolean; closed?: SuppressedSummary[] } {
    const closed = now - this.#window.start >= WINDOW_MS ? this.#close(now) : undefined;
    const w = this.#window;
    let key = sourceIp ?? 'unknown';
    if (!w.bySource.has(key) && w.bySource.size >= MAX_SOURCES) key = OTHER_SOURCES;
    let s = w.bySource.get(key);
    if (!s) w.bySource.set(key, (s = { recorded: 0, suppressed: 0 }));
    const admit = s.recorded < this.perSourcePerMinute && w.total < this.perSourcePerMinute * 10;
    if (admit) {
      s.recorded++;
      w.total++;
    } else s.suppressed++;
    return closed && closed.length > 0 ? { admit, closed } : { admit };
  }

  /** Ends the current window (if it is over, or when forced) and returns its summaries. */
  flush(now: number, force = false): SuppressedSummary[] {
    return force || now - this.#window.start >= WINDOW_MS ? this.#close(now) : [];
  }

  #close(now: number): SuppressedSummary[] {
    const w = this.#window;
    const out: SuppressedSummary[] = [];
    for (const [sourceIp, s] of w.bySource)
      if (s.suppressed > 0)
        out.push({ sourceIp, count: s.suppressed, from: new Date(w.start), to: new Date(now) });
    this.#window = { start: now, total: 0, bySource: new Map() };
    return out;
  }
}

const limits = new WeakMap<Store, UnauthenticatedLimit>();

/** Sets the per-source limit for a store's audit log (the app does, from its configuration). */
export function configureUnauthenticatedLimit(store: Store, perSourcePerMinute: number): void {
  limits.set(store, new UnauthenticatedLimit(perSourcePerMinute));
}

export function unauthenticatedLimit(store: Store): UnauthenticatedLimit {
  let l = limits.get(store);
  if (!l) limits.set(store, (l = new UnauthenticatedLimit(20)));
  return l;
}
