// An export job at work: the records are computed from Sesame's own recorded sends and events (the
// same code BatchGetMetricData and GetMessageInsights answer with), progress is recorded as they
// are, and the file is written in one piece to the destination: the request's S3Url, else
// SESAME_S3_EXPORT_BUCKET. A job cancelled meanwhile writes nothing (its fenced steps fail).
import { insightsRows, type MessageInsightsDataSource } from './export-insights.js';
import { metricsRows, type ExportRow, type MetricsDataSource } from './export-metrics.js';
import { finishJob } from './queue.js';
import { csvLine } from './records.js';
import { JobFailed, NO_S3, s3Trouble, type Running } from './run.js';
import { exportLocation } from './s3-url.js';
import { bucketRefused } from '../../s3/bucket-access.js';

export interface ExportRequest {
  ExportDataSource: {
    MetricsDataSource?: MetricsDataSource;
    MessageInsightsDataSource?: MessageInsightsDataSource;
  };
  ExportDestination: { DataFormat: 'CSV' | 'JSON'; S3Url?: string };
}

export const NO_DESTINATION =
  'The export names no S3Url and Sesame has no default export bucket (SESAME_S3_EXPORT_BUCKET is not set).';

const cell = (v: unknown): string | number | undefined =>
  v === undefined || v === null
    ? undefined
    : typeof v === 'object'
      ? JSON.stringify(v)
      : (v as string | number);

function render(format: 'CSV' | 'JSON', columns: string[], rows: ExportRow[]): Buffer {
  const lines =
    format === 'CSV'
      ? [csvLine(columns), ...rows.map((r) => csvLine(columns.map((c) => cell(r[c]))))]
      : rows.map((r) => JSON.stringify(r));
  return Buffer.from(lines.length > 0 ? `${lines.join('\n')}\n` : '', 'utf8');
}

export async function runExport(r: Running): Promise<void> {
  const req = r.job.request as unknown as ExportRequest;
  const format = req.ExportDestination.DataFormat;
  if (!r.env.s3) throw new JobFailed(NO_S3);
  const at = exportLocation(req.ExportDestination.S3Url, r.env.exportLocation, r.job.jobId, format);
  if (!at) throw new JobFailed(NO_DESTINATION);
  // The default export bucket is the operator's choice for every account; a named one must be theirs.
  if (req.ExportDestination.S3Url !== undefined && !r.env.mayUseBucket(r.job.accountId, at.bucket))
    throw new JobFailed(bucketRefused(at.bucket));
  const progress = (processed: number) => r.step({ processed_records: processed });
  const scope = { accountId: r.job.accountId, region: r.job.region };
  const { MetricsDataSource: metrics, MessageInsightsDataSource: insights } = req.ExportDataSource;
  const out: { columns: string[]; rows: ExportRow[]; processed?: number } = metrics
    ? await metricsRows(r.env.store, scope, metrics, progress)
    : await insightsRows(r.env.store, scope, insights!, progress);
  const processed = out.processed ?? out.rows.length;
  await r.step({ processed_records: processed }); // still held (not cancelled) before writing
  try {
    await r.env.s3.putObject({
      ...at,
      body: render(format, out.columns, out.rows),
      contentType: format === 'CSV' ? 'text/csv' : 'application/x-ndjson',
    });
  } catch (e) {
    throw s3Trouble(e, 'write the export to', at);
  }
  await finishJob(r.env.store, r.held, r.env.now().getTime(), {
    status: 'COMPLETED',
    output: JSON.stringify(at),
    processed_records: processed,
    exported_records: out.rows.length,
  });
}
