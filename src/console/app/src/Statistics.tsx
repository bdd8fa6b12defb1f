// Sending statistics over time from SES v2 BatchGetMetricData (namespace VDM): the last 24 hours by
// hour or the last 7 days by UTC day. Sesame counts a query's events within [StartDate, EndDate)
// exactly and answers one value per UTC day: the week is one query per metric, while an hour is one
// query per metric and hour (batched ten to a call, the API's limit).
import { useState } from 'react';
import { BatchGetMetricDataCommand, type BatchGetMetricDataQuery } from '@aws-sdk/client-sesv2';
import type { Clients } from './api.js';
import { LineChart, type Series } from './Chart.js';
import { Empty, ErrorBox, useLoad } from './ui.js';

type Metric = 'SEND' | 'DELIVERY' | 'PERMANENT_BOUNCE' | 'TRANSIENT_BOUNCE' | 'COMPLAINT';
const METRICS: { metric: Metric; label: string; color: string; dash?: string }[] = [
  { metric: 'SEND', label: 'Sends', color: '#0969da' },
  { metric: 'DELIVERY', label: 'Deliveries', color: '#1a7f37', dash: '7 3' },
  { metric: 'PERMANENT_BOUNCE', label: 'Permanent bounces', color: '#cf222e', dash: '2 3' },
  { metric: 'TRANSIENT_BOUNCE', label: 'Transient bounces', color: '#9a6700', dash: '9 3 2 3' },
  { metric: 'COMPLAINT', label: 'Complaints', color: '#8250df', dash: '1 3' },
];
const RANGES = [
  ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
] as const;
type Range = (typeof RANGES)[number][0];

const HOUR = 3_600_000;
const DAY = 86_400_000;
const BATCH = 10;

interface Bucket {
  start: number;
  end: number;
}

/** 24 whole hours ending with the current one, or 7 UTC days ending with today. */
function bucketsFor(range: Range, now: number): Bucket[] {
  const size = range === '24h' ? HOUR : DAY;
  const count = range === '24h' ? 24 : 7;
  const last = Math.floor(now / size) * size;
  return Array.from({ length: count }, (_, i) => {
    const start = last - (count - 1 - i) * size;
    return { start, end: start + size };
  });
}

/** One query: which metric, and the bucket it fills (hours) or none (days: one value per day). */
interface Planned {
  query: BatchGetMetricDataQuery;
  metric: number;
  bucket?: number;
}

/**
 * The queries for a range. VDM answers one value per UTC day, so the week is one query per metric
 * over the whole window (its days are the buckets); an hour needs a query of its own per metric.
 */
function plan(range: Range, buckets: Bucket[]): Planned[] {
  const first = buckets[0];
  const last = buckets.at(-1);
  if (range === '7d' && first && last)
    return METRICS.map((m, mi) => ({
      metric: mi,
      query: {
        Id: `m${mi}`,
        Namespace: 'VDM',
        Metric: m.metric,
        StartDate: new Date(first.start),
        EndDate: new Date(last.end),
      },
    }));
  return METRICS.flatMap((m, mi) =>
    buckets.map((b, bi) => ({
      metric: mi,
      bucket: bi,
      query: {
        Id: `m${mi}b${bi}`,
        Namespace: 'VDM',
        Metric: m.metric,
        StartDate: new Date(b.start),
        EndDate: new Date(b.end),
      },
    })),
  );
}

async function load(clients: Clients, range: Range, now: number) {
  const buckets = bucketsFor(range, now);
  const planned = plan(range, buckets);
  const byId = new Map(planned.map((p) => [p.query.Id ?? '', p]));
  const batches: BatchGetMetricDataQuery[][] = [];
  for (let i = 0; i < planned.length; i += BATCH)
    batches.push(planned.slice(i, i + BATCH).map((p) => p.query));
  const answers = await Promise.all(
    batches.map((Queries) => clients.sesv2.send(new BatchGetMetricDataCommand({ Queries }))),
  );
  const values = METRICS.map(() => buckets.map(() => 0));
  for (const a of answers) {
    const failed = a.Errors?.[0];
    if (failed) throw new Error(`${failed.Code ?? 'Error'}: ${failed.Message ?? ''}`);
    for (const r of a.Results ?? []) {
      const p = byId.get(r.Id ?? '');
      const row = p && values[p.metric];
      if (!row) continue;
      (r.Values ?? []).forEach((v, i) => {
        // An hour's query sums into its hour; a day's value lands on the day it is stamped with.
        const t = r.Timestamps?.[i]?.getTime();
        const bi = p.bucket ?? (t === undefined ? -1 : buckets.findIndex((b) => b.start <= t && t < b.end));
        if (bi >= 0) row[bi] = (row[bi] ?? 0) + v;
      });
    }
  }
  const series: Series[] = METRICS.map((m, mi) => ({
    key: m.metric,
    label: m.label,
    color: m.color,
    dash: m.dash,
    values: values[mi] ?? [],
  }));
  return { buckets, series };
}

const hourLabel = (t: number) =>
  new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
const dayLabel = (t: number) =>
  new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const longLabel = (range: Range, b: Bucket) =>
  range === '24h'
    ? `${new Date(b.start).toLocaleDateString(undefined, { dateStyle: 'medium' })} ${hourLabel(b.start)}–${hourLabel(b.end)}`
    : `${new Date(b.start).toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' })} (UTC)`;

export function SendingStatistics({ clients, region }: { clients: Clients; region: string }) {
  const [range, setRange] = useState<Range>('24h');
  const [asOf, setAsOf] = useState(() => Date.now());
  const stats = useLoad(() => load(clients, range, asOf), [clients, range, asOf]);
  const label = RANGES.find(([r]) => r === range)?.[1] ?? '';
  const d = stats.data;
  const empty = d && d.series.every((s) => s.values.every((v) => v === 0));

  return (
    <section aria-labelledby="stats-h" className="panel">
      <h3 id="stats-h">Sending statistics ({region})</h3>
      <div className="range" role="group" aria-label="Time range">
        {RANGES.map(([r, text]) => (
          <button key={r} type="button" aria-pressed={range === r} onClick={() => setRange(r)}>
            {text}
          </button>
        ))}
        <button type="button" onClick={() => setAsOf(Date.now())}>
          Refresh
        </button>
      </div>
      <ErrorBox error={stats.error} />
      {stats.loading && !d ? <p>Loading…</p> : null}
      {d && empty ? <Empty>No messages were sent in the {label.toLowerCase()}.</Empty> : null}
      {d && !empty ? (
        <LineChart
          testId="statistics-chart"
          title={`Sending statistics, ${label.toLowerCase()}`}
          labels={d.buckets.map((b) => (range === '24h' ? hourLabel(b.start) : dayLabel(b.start)))}
          longLabels={d.buckets.map((b) => longLabel(range, b))}
          series={d.series}
        />
      ) : null}
    </section>
  );
}
