// SES v2 import and export jobs (migration 0065_import_export_jobs). Times are epoch ms.

export type JobKind = 'import' | 'export';
export type JobStatus = 'CREATED' | 'PROCESSING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

/** A job, which is also its own queue entry: CREATED or PROCESSING rows without a lease are due. */
export interface SesJobRow {
  job_id: string;
  kind: JobKind;
  account_id: string;
  region: string;
  // import: the destination type (SUPPRESSION_LIST | CONTACT_LIST); export: METRICS_DATA | MESSAGE_INSIGHTS
  source_type: string;
  request: string; // JSON: the Create call's members as given
  status: JobStatus;
  processed_records: number; // records gone through, failed ones included (imports resume after them)
  failed_records: number;
  exported_records: number | null;
  output: string | null; // JSON {bucket, key}: the export file, or an import's failure report
  error_message: string | null;
  attempts: number; // claims so far (the fencing token of the lease holder)
  lease_owner: string | null;
  lease_until: number | null;
  next_attempt_at: number;
  created_at: number;
  completed_at: number | null;
}

/** A record an import could not apply, for the failure report. */
export interface SesJobFailedRecordRow {
  job_id: string;
  line_number: number;
  record: string; // the record as written in the source (capped)
  reason: string;
}

export interface JobTables {
  ses_jobs: SesJobRow;
  ses_job_failed_records: SesJobFailedRecordRow;
}
