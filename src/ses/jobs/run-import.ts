// An import job at work: the source object is read as a stream of records; each batch of records is
// applied in one transaction together with the job's progress (fenced by its lease), so a job
// resumed after a crash skips exactly what was applied, and every record counts once. Records
// that do not fit are kept for the failure report, which is written beside the source object when
// the job ends (FailedRecordsS3Url). Too many records for one job fail it before anything is applied.
import { Readable } from 'node:stream';
import type { Store } from '../../store/database.js';
import { getContactList } from '../lists/contact-lists.js';
import { deleteContacts, putContacts, type ContactKey } from '../lists/contacts.js';
import { listTexts } from '../lists/validate.js';
import { deleteSuppressedDestinations, putSuppressedDestinations } from '../state/suppression.js';
import {
  contactReader,
  suppressionReader,
  type ContactEntry,
  type EntryReader,
  type SuppressionEntry,
} from './import-entries.js';
import type { S3Location } from './jobs.js';
import { finishJob } from './queue.js';
import { csvLine, csvRecords, jsonLines, type SourceRecord } from './records.js';
import { JobFailed, NO_S3, s3Trouble, storable, type Running } from './run.js';
import { parseS3Url, reportLocation } from './s3-url.js';
import { bucketRefused } from '../../s3/bucket-access.js';

export interface ImportRequest {
  ImportDestination: {
    SuppressionListDestination?: { SuppressionListImportAction: 'PUT' | 'DELETE' };
    ContactListDestination?: { ContactListName: string; ContactListImportAction: 'PUT' | 'DELETE' };
  };
  ImportDataSource: { S3Url: string; DataFormat: 'CSV' | 'JSON' };
}

/** SES's limits on records per job (developer guide: suppression list and list management). */
export const IMPORT_LIMITS = { suppressionPut: 100_000, suppressionDelete: 10_000, contacts: 1_000_000 };

type Entry = SuppressionEntry | ContactEntry;

interface Destination {
  reader(): EntryReader<Entry>;
  apply(tx: Store, entries: Entry[]): Promise<void>;
  limit: number;
}

async function destinationOf(r: Running, req: ImportRequest): Promise<Destination> {
  const { store, now } = r.env;
  const { accountId, region } = r.job;
  const format = req.ImportDataSource.DataFormat;
  const suppression = req.ImportDestination.SuppressionListDestination;
  if (suppression) {
    const action = suppression.SuppressionListImportAction;
    return {
      reader: () => suppressionReader(format, action),
      limit: action === 'PUT' ? IMPORT_LIMITS.suppressionPut : IMPORT_LIMITS.suppressionDelete,
      apply: (tx: Store, entries: Entry[]) =>
        action === 'PUT'
          ? putSuppressedDestinations(tx, accountId, region, entries as Required<SuppressionEntry>[], now())
          : deleteSuppressedDestinations(
              tx,
              accountId,
              region,
              entries.map((e) => e.emailAddress),
            ),
    };
  }
  const dest = req.ImportDestination.ContactListDestination!;
  const list = await getContactList(store, accountId, region, dest.ContactListName);
  if (!list) throw new JobFailed(listTexts.listNotFound(dest.ContactListName));
  const key: ContactKey = { accountId, region, listName: list.name };
  const action = dest.ContactListImportAction;
  return {
    reader: () => contactReader(format, action, list),
    limit: IMPORT_LIMITS.contacts,
    apply: (tx: Store, entries: Entry[]) =>
      action === 'PUT'
        ? putContacts(tx, key, entries as ContactEntry[], now())
        : deleteContacts(
            tx,
            key,
            entries.map((e) => e.emailAddress),
          ),
  };
}

async function open(
  r: Running,
  at: S3Location,
  format: 'CSV' | 'JSON',
): Promise<AsyncGenerator<SourceRecord>> {
  let body: Readable;
  try {
    body = await r.env.s3!.getObject(at);
  } catch (e) {
    throw s3Trouble(e, 'read', at);
  }
  return format === 'CSV' ? csvRecords(body) : jsonLines(body);
}

const MAX_KEPT = 2000;
const REPORT_PAGE = 1000;

export async function runImport(r: Running): Promise<void> {
  const req = r.job.request as unknown as ImportRequest;
  const source = parseS3Url(req.ImportDataSource.S3Url);
  const format = req.ImportDataSource.DataFormat;
  if (!r.env.s3) throw new JobFailed(NO_S3);
  if (!r.env.mayUseBucket(r.job.accountId, source.bucket)) throw new JobFailed(bucketRefused(source.bucket));
  const dest = await destinationOf(r, req);
  let done = r.job.processedRecords;
  let failed = r.job.failedRecords;
  if (done === 0) {
    // A first pass counts the records: a file over the limit changes nothing.
    let count = 0;
    const reader = dest.reader();
    for await (const rec of await open(r, source, format)) if (!('header' in reader.read(rec))) count++;
    if (count > dest.limit)
      throw new JobFailed(`The import has ${count} records: at most ${dest.limit} are allowed in one job.`);
    await r.step({});
  }
  const reader = dest.reader();
  let index = 0;
  let batch: { rec: SourceRecord; reading: ReturnType<typeof reader.read> }[] = [];
  const commit = async () => {
    const entries = batch.flatMap((b) => ('entry' in b.reading ? [b.reading.entry] : []));
    const refused = batch.flatMap((b) =>
      'refused' in b.reading
        ? [
            {
              job_id: r.job.jobId,
              line_number: b.rec.lineNumber,
              record: storable(b.rec.raw.slice(0, MAX_KEPT)),
              reason: storable(b.reading.refused),
            },
          ]
        : [],
    );
    await r.env.store.db.transaction().execute(async (trx) => {
      const tx: Store = { ...r.env.store, db: trx };
      await dest.apply(tx, entries);
      if (refused.length > 0)
        await trx
          .insertInto('ses_job_failed_records')
          .values(refused)
          .onConflict((oc) => oc.columns(['job_id', 'line_number']).doNothing())
          .execute();
      await r.step({ processed_records: done + batch.length, failed_records: failed + refused.length }, tx);
    });
    done += batch.length;
    failed += refused.length;
    batch = [];
  };
  for await (const rec of await open(r, source, format)) {
    const reading = reader.read(rec);
    if ('header' in reading) continue;
    if (++index <= done) continue; // applied before a restart
    batch.push({ rec, reading });
    if (batch.length >= r.env.tuning.batchSize) await commit();
  }
  if (batch.length > 0) await commit();
  const report = failed > 0 ? await writeReport(r, source, format) : undefined;
  await finishJob(r.env.store, r.held, r.env.now().getTime(), {
    status: 'COMPLETED',
    ...(report ? { output: JSON.stringify(report) } : {}),
  });
}

/** The refused records, in the source's format, with their line and the reason. */
async function writeReport(r: Running, source: S3Location, format: 'CSV' | 'JSON'): Promise<S3Location> {
  // Read from the store a page at a time, twice (its size, then its bytes): a job may refuse a
  // million records of 2,000 characters, more than a node can hold at once.
  const chunks = async function* (): AsyncGenerator<Buffer> {
    if (format === 'CSV') yield Buffer.from(`${csvLine(['lineNumber', 'record', 'failureReason'])}\n`);
    let after = 0;
    for (;;) {
      const rows = await r.env.store.db
        .selectFrom('ses_job_failed_records')
        .select(['line_number', 'record', 'reason'])
        .where('job_id', '=', r.job.jobId)
        .where('line_number', '>', after)
        .orderBy('line_number')
        .limit(REPORT_PAGE)
        .execute();
      if (rows.length === 0) return;
      const lines = rows.map((f) =>
        format === 'CSV'
          ? csvLine([Number(f.line_number), f.record, f.reason])
          : JSON.stringify({ lineNumber: Number(f.line_number), record: f.record, failureReason: f.reason }),
      );
      yield Buffer.from(`${lines.join('\n')}\n`, 'utf8');
      after = Number(rows[rows.length - 1]!.line_number);
    }
  };
  let size = 0;
  for await (const chunk of chunks()) size += chunk.length;
  const at = reportLocation(source, r.job.jobId, format);
  try {
    await r.env.s3!.putObject({
      ...at,
      body: Readable.from(chunks()),
      contentLength: size,
      contentType: format === 'CSV' ? 'text/csv' : 'application/x-ndjson',
    });
  } catch (e) {
    throw s3Trouble(e, 'write the failure report to', at);
  }
  return at;
}
