// A METRICS_DATA export: BatchGetMetricData's daily counts (delivery/metrics.ts) for every
// combination of the requested dimension values (`*`: every value seen in the period), one row per
// day and combination, one column per metric and aggregation (`SEND_VOLUME`, `COMPLAINT_RATE`…).
// A RATE is the metric's volume over the SEND volume of the same day and dimensions (0 without sends).
import {
  DAY_MS,
  dimensionValues,
  metricData,
  type MetricDimension,
  type VdmMetric,
} from '../../delivery/metrics.js';
import type { Store } from '../../store/database.js';
import type { Scope } from './jobs.js';
import { JobFailed } from './run.js';

/**
 * [INF] SES documents no bound on a metrics export; the file is built in memory, and a period of
 * centuries times every identity, set and ISP would take the node down (and the next node that
 * claims the job after it). Message-insights exports stop at MaxResults (10,000 at most).
 */
export const MAX_METRICS_ROWS = 100_000;

export interface MetricsDataSource {
  Dimensions: Partial<Record<MetricDimension, string[]>>;
  Namespace: 'VDM';
  Metrics: { Name?: VdmMetric; Aggregation?: 'RATE' | 'VOLUME' }[];
  StartDate: Date | string;
  EndDate: Date | string;
}

/** One record of an export file: CSV takes the columns (arrays as JSON), JSON the whole object. */
export type ExportRow = Record<string, unknown>;

const ORDER: MetricDimension[] = ['EMAIL_IDENTITY', 'CONFIGURATION_SET', 'ISP'];

export const metricColumn = (m: MetricsDataSource['Metrics'][number]): string =>
  `${m.Name ?? 'SEND'}_${m.Aggregation ?? 'VOLUME'}`;

function combinations(values: [MetricDimension, string[]][]): Partial<Record<MetricDimension, string>>[] {
  return values.reduce<Partial<Record<MetricDimension, string>>[]>(
    (acc, [name, vs]) => acc.flatMap((c) => vs.map((v) => ({ ...c, [name]: v }))),
    [{}],
  );
}

export async function metricsRows(
  store: Store,
  scope: Scope,
  src: MetricsDataSource,
  progress: (processed: number) => Promise<void>,
): Promise<{ columns: string[]; rows: ExportRow[] }> {
  const start = new Date(src.StartDate);
  const end = new Date(src.EndDate);
  const dims = ORDER.filter((d) => src.Dimensions[d] !== undefined);
  const values: [MetricDimension, string[]][] = [];
  for (const d of dims) {
    const given = src.Dimensions[d]!;
    values.push([
      d,
      given.includes('*')
        ? await dimensionValues(store, scope.accountId, scope.region, d, start, end)
        : given,
    ]);
  }
  // One row per day of [start, end) and combination of values, counted before any is built.
  const first = Math.floor(start.getTime() / DAY_MS) * DAY_MS;
  const dayCount = Math.max(0, Math.ceil((end.getTime() - first) / DAY_MS));
  const total = values.reduce((n, [, vs]) => n * vs.length, dayCount);
  if (total > MAX_METRICS_ROWS)
    throw new JobFailed(
      `The export would have ${total} records: at most ${MAX_METRICS_ROWS} are allowed in one job.`,
    );
  const columns = ['Timestamp', ...dims, ...src.Metrics.map(metricColumn)];
  const rows: ExportRow[] = [];
  for (const combo of combinations(values)) {
    const series = new Map<VdmMetric, { Timestamps: Date[]; Values: number[] }>();
    const data = async (metric: VdmMetric) => {
      let s = series.get(metric);
      if (!s)
        series.set(
          metric,
          (s = await metricData(store, scope.accountId, scope.region, {
            metric,
            start,
            end,
            dimensions: combo,
          })),
        );
      return s;
    };
    const columnsOfCombo: number[][] = [];
    for (const m of src.Metrics) {
      const volume = await data(m.Name ?? 'SEND');
      const sends = await data('SEND');
      columnsOfCombo.push(
        (m.Aggregation ?? 'VOLUME') === 'VOLUME'
          ? volume.Values
          : volume.Values.map((v, i) => (sends.Values[i]! > 0 ? v / sends.Values[i]! : 0)),
      );
    }
    const days = (await data('SEND')).Timestamps;
    days.forEach((day, i) => {
      const row: ExportRow = { Timestamp: day.toISOString(), ...combo };
      src.Metrics.forEach((m, j) => (row[metricColumn(m)] = columnsOfCombo[j]![i]));
      rows.push(row);
    });
    await progress(rows.length);
  }
  return { columns, rows };
}
