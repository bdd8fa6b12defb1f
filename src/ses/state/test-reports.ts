// Predictive inbox placement tests (CreateDeliverabilityTestReport): the test message is sent
// through the normal pipeline to the operator's seed list; its recorded events are the report.
import type { Store } from '../../store/database.js';
import type { SesDeliverabilityTestReportRow } from '../../store/schema/ses-v2-extras.js';
import { readJson, type Tag } from './json.js';

export interface TestReport {
  reportId: string;
  reportName?: string;
  fromAddress: string;
  subject?: string;
  messageId: string;
  message: Buffer;
  tags: Tag[];
  createdAt: Date;
}

const toReport = (r: SesDeliverabilityTestReportRow): TestReport => ({
  reportId: r.report_id,
  ...(r.report_name !== null ? { reportName: r.report_name } : {}),
  fromAddress: r.from_address,
  ...(r.subject !== null ? { subject: r.subject } : {}),
  messageId: r.message_id,
  message: Buffer.from(r.message),
  tags: readJson<Tag[]>(r.tags, []),
  createdAt: new Date(Number(r.created_at)),
});

export async function getTestReport(
  store: Store,
  accountId: string,
  region: string,
  reportId: string,
): Promise<TestReport | undefined> {
  const row = await store.db
    .selectFrom('ses_deliverability_test_reports')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('report_id', '=', reportId)
    .executeTakeFirst();
  return row ? toReport(row) : undefined;
}

export async function insertTestReport(
  store: Store,
  accountId: string,
  region: string,
  r: TestReport,
): Promise<void> {
  await store.db
    .insertInto('ses_deliverability_test_reports')
    .values({
      account_id: accountId,
      region,
      report_id: r.reportId,
      report_name: r.reportName ?? null,
      from_address: r.fromAddress,
      subject: r.subject ?? null,
      message_id: r.messageId,
      message: r.message,
      tags: JSON.stringify(r.tags),
      created_at: r.createdAt.getTime(),
    })
    .execute();
}

/** Newest first, keyed by (created_at, report_id) encoded as `ms:id`. */
export async function listTestReports(
  store: Store,
  accountId: string,
  region: string,
  opts: { after?: string; limit: number },
): Promise<TestReport[]> {
  let q = store.db
    .selectFrom('ses_deliverability_test_reports')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region);
  if (opts.after !== undefined) {
    const [ms, id] = [Number(opts.after.split(':')[0]), opts.after.slice(opts.after.indexOf(':') + 1)];
    q = q.where((eb) =>
      eb.or([eb('created_at', '<', ms), eb.and([eb('created_at', '=', ms), eb('report_id', '<', id)])]),
    );
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('report_id', 'desc').limit(opts.limit).execute();
  return rows.map(toReport);
}
