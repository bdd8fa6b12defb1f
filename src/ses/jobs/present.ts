// Jobs as the API shows them. Objects a job wrote (an export's file, an import's failure report)
// are shown as pre-signed GET URLs of the S3-compatible store, as SES shows its own (valid an hour
// from the call). The request members are answered as they were given.
import type { CallContext } from '../../api/operation.js';
import { s3AccessFor } from '../../s3/index.js';
import type { Job, S3Location } from './jobs.js';

const URL_SECONDS = 3600;

async function presigned(ctx: CallContext, at: S3Location | undefined): Promise<string | undefined> {
  const s3 = s3AccessFor(ctx.config.s3, ctx.config.region);
  return at && s3 ? s3.presignGet({ ...at, expiresInSeconds: URL_SECONDS }) : undefined;
}

const times = (j: Job) => ({
  CreatedTimestamp: j.createdAt,
  ...(j.completedAt ? { CompletedTimestamp: j.completedAt } : {}),
});

/** FailureInfo: the reason a job failed and/or the report of the records it refused. */
async function failureInfo(ctx: CallContext, j: Job) {
  const url = j.kind === 'import' ? await presigned(ctx, j.output) : undefined;
  const message = j.status === 'FAILED' ? j.errorMessage : undefined;
  if (!url && !message) return {};
  return {
    FailureInfo: {
      ...(url ? { FailedRecordsS3Url: url } : {}),
      ...(message ? { ErrorMessage: message } : {}),
    },
  };
}

export const importSummary = (j: Job) => ({
  JobId: j.jobId,
  ImportDestination: j.request.ImportDestination,
  JobStatus: j.status,
  CreatedTimestamp: j.createdAt,
  ProcessedRecordsCount: j.processedRecords,
  FailedRecordsCount: j.failedRecords,
});

export async function importJob(ctx: CallContext, j: Job) {
  return {
    JobId: j.jobId,
    ImportDestination: j.request.ImportDestination,
    ImportDataSource: j.request.ImportDataSource,
    ...(await failureInfo(ctx, j)),
    JobStatus: j.status,
    ...times(j),
    ProcessedRecordsCount: j.processedRecords,
    FailedRecordsCount: j.failedRecords,
  };
}

export const exportSummary = (j: Job) => ({
  JobId: j.jobId,
  ExportSourceType: j.sourceType,
  JobStatus: j.status,
  ...times(j),
});

export async function exportJob(ctx: CallContext, j: Job) {
  const destination = j.request.ExportDestination as { DataFormat: string; S3Url?: string };
  const file = j.status === 'COMPLETED' ? await presigned(ctx, j.output) : undefined;
  return {
    JobId: j.jobId,
    ExportSourceType: j.sourceType,
    JobStatus: j.status,
    ExportDestination: { ...destination, ...(file ? { S3Url: file } : {}) },
    ExportDataSource: j.request.ExportDataSource,
    ...times(j),
    ...(await failureInfo(ctx, j)),
    Statistics: {
      ProcessedRecordsCount: j.processedRecords,
      ...(j.exportedRecords !== undefined ? { ExportedRecordsCount: j.exportedRecords } : {}),
    },
  };
}
