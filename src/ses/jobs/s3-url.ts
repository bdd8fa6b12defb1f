// S3 URLs of import and export jobs (`s3://bucket/key`, the model's S3Url pattern) and the objects
// jobs write: an import's failure report beside its source object, an export's file.
import type { S3Location } from './jobs.js';

/** `s3://bucket/key` (the model's pattern already held at the API). */
export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  return { bucket: m?.[1] ?? '', key: m?.[2] ?? '' };
}

export const extensionOf = (format: 'CSV' | 'JSON'): string => (format === 'CSV' ? 'csv' : 'json');

/** `dir/list.csv` → `dir/failed-records/<job id>.csv` in the source's bucket. */
export function reportLocation(source: S3Location, jobId: string, format: 'CSV' | 'JSON'): S3Location {
  const dir = source.key.slice(0, source.key.lastIndexOf('/') + 1);
  return { bucket: source.bucket, key: `${dir}failed-records/${jobId}.${extensionOf(format)}` };
}

/** An export's file: the S3Url as given (a URL ending in `/` is a folder: `<job id>.<ext>` in it). */
export function exportLocation(
  s3Url: string | undefined,
  fallback: { bucket: string; prefix: string } | undefined,
  jobId: string,
  format: 'CSV' | 'JSON',
): S3Location | undefined {
  const file = `${jobId}.${extensionOf(format)}`;
  if (s3Url === undefined)
    return fallback ? { bucket: fallback.bucket, key: `${fallback.prefix}${file}` } : undefined;
  const at = parseS3Url(s3Url);
  return at.key.endsWith('/') ? { bucket: at.bucket, key: `${at.key}${file}` } : at;
}
