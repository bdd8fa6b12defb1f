// Sending statistics over time from SES v2 BatchGetMetricData (namespace VDM): the last 24 hours by
// hour or the last 7 days by UTC day. Sesame counts a query's events within [StartDate, EndDate)
// exactly, so an hour is one query per metric (batched ten to a call, the API's limit).
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
export function bucketsFor(range: Range, now: number): Bucket[] {
  const size = range === '24h' ? HOUR : DAY;
  const count = range === '24h' ? 24 : 7;
  const last = Math.floor(now / size) * size;
  return Array.from({ length: count }, (_, i) => {
    const start = last - (count - 1 - i) * size;
    return { start, end: start + size };
  });
}

async function load(clients: Clients, range: Range, now: number) {
  const buckets = bucketsFor(range, now);
  const queries: BatchGetMetricDataQuery[] = [];
  METRICS.forEach((m, mi) =>
    buckets.forEach((b, bi) =>
      queries.push({
        Id: `m${mi}b${bi}`,
        Namespace: 'VDM',
        Metric: m.metric,
        StartDate: new Date(b.start),
        EndDate: new Date(b.end),
      }),
    ),
  );
  const batches: BatchGetMetricDataQuery[][] = [];
  for (let i = 0; i < queries.length; i += BATCH) batches.push(queries.slice(i, i + BATCH));
  const answers = await Promise.all(
    batches.map((Queries) => clients.sesv2.send(new BatchGetMetricDataCommand({ Queries }))),
  );
  const values = new Map<string, number>();
  for (const a of answers) {
    const failed = a.Errors?.[0];
    if (failed) throw new Error(`${failed.Code ?? 'Error'}: ${failed.Message ?? ''}`);
    for (const r of a.Results ?? [])
      values.set(
        r.Id ?? '',
        (r.Values ?? []).reduce((s, v) => s + v, 0),
      );
  }
  const series: Series[] = METRICS.map((m, mi) => ({
    key: m.metric,
    label: m.label,
    color: m.color,
    dash: m.dash,
    values: buckets.map((_, bi) => values.get(`m${mi}b${bi}`) ?? 0),
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
