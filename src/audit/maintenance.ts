// Keeps the audit log bounded while the app runs: each minute the summaries of unauthenticated
// failures that were only counted are written; each hour (and shortly after start) records older
// than SESAME_AUDIT_RETENTION_DAYS are deleted. Every node of a cluster may do it: deletes are
// idempotent.
import type { Logger } from 'pino';
import type { Store } from '../store/database.js';
import { flushAuditSummaries, pruneAuditEvents } from './audit-log.js';
import { configureUnauthenticatedLimit } from './unauthenticated-limit.js';

const SUMMARY_EVERY_MS = 60_000;
const PRUNE_EVERY_MS = 60 * 60_000;
const FIRST_PRUNE_MS = 10_000;
const DAY_MS = 24 * 60 * 60_000;

export interface AuditMaintenance {
  stop(): Promise<void>;
}

export function startAuditMaintenance(
  store: Store,
  opts: { retentionDays: number; unauthenticatedPerMinute: number; log: Pick<Logger, 'warn'> },
): AuditMaintenance {
  configureUnauthenticatedLimit(store, opts.unauthenticatedPerMinute);
  const warn = (what: string) => (err: unknown) => opts.log.warn({ err }, what);
  const summaries = setInterval(
    () => void flushAuditSummaries(store).catch(warn('audit summary failed')),
    SUMMARY_EVERY_MS,
  );
  summaries.unref();
  const prune = () =>
    void pruneAuditEvents(store, Date.now() - opts.retentionDays * DAY_MS).catch(
      warn('audit retention failed'),
    );
  const timers: NodeJS.Timeout[] = [summaries];
  if (opts.retentionDays > 0) {
    timers.push(setTimeout(prune, FIRST_PRUNE_MS).unref(), setInterval(prune, PRUNE_EVERY_MS).unref());
  }
  return {
    async stop() {
      for (const t of timers) clearInterval(t);
      // What was only counted is still written before the store closes.
      await flushAuditSummaries(store, new Date(), true).catch(warn('audit summary failed'));
    },
  };
}
