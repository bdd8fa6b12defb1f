// The metrics registry behind GET /metrics (Prometheus text format, prom-client): Sesame's own
// series (counters.ts, store-gauges.ts) plus Node's process metrics, event-loop lag among them.
// One registry per process: every call site counts with a one-line call and no plumbing.
import client from 'prom-client';

export const registry = new client.Registry();
export const CONTENT_TYPE = registry.contentType;

// process_cpu_*, process_resident_memory_bytes, nodejs_eventloop_lag_seconds (+ p50/p90/p99),
// nodejs_gc_duration_seconds, nodejs_heap_*: the standard names dashboards expect.
client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

const scrapeHooks: (() => void)[] = [];

/** Runs before each scrape's collection (gauges sharing one read per scrape forget the last one). */
export function beforeScrape(fn: () => void): void {
  scrapeHooks.push(fn);
}

let render = (): Promise<string> => registry.metrics();

/** The exposition text; a scrape also runs the store-backed gauges' queries. */
export function renderMetrics(): Promise<string> {
  for (const fn of scrapeHooks) fn();
  return render();
}

/** A cluster worker's scrape: the whole node's metrics, gathered by the primary (src/cluster/). */
export function renderMetricsWith(fn: (() => Promise<string>) | undefined): void {
  render = fn ?? (() => registry.metrics());
}

/** This process's metrics as JSON, for the primary to aggregate across the node's workers. */
export function collectMetricsJson(): Promise<client.MetricObjectWithValues<client.MetricValue<string>>[]> {
  for (const fn of scrapeHooks) fn();
  return registry.getMetricsAsJSON();
}
