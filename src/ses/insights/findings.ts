// What ListRecommendations finds in an account, from its own state: for each verified domain
// identity, its DKIM (signing on, records verified, key length), SPF (a custom MAIL FROM domain whose
// SPF record includes amazonses.com) and DMARC records (present; a policy beyond `none`), as DNS
// answers them; for each sending identity, its bounce and complaint rates over the last 30 days
// (the mailbox simulator and suppressed recipients left out, as SES counts). Types and impacts are
// SES's; the descriptions are Sesame's [INF: SES's own wording is not published].
import { easyDkimKeyInfo } from '../../delivery/dkim.js';
import { SIMULATOR_MTA, SIMULATOR_USER_AGENT } from '../../delivery/simulator.js';
import type { Store } from '../../store/database.js';
import type { SesIdentityRow } from '../../store/schema/ses.js';
import { identityArn } from '../state/arn.js';
import { getDkimSigning } from '../state/dkim-signing.js';
import { type MailDns, txtRecords } from './dns.js';

export type RecommendationType = 'DKIM' | 'DMARC' | 'SPF' | 'BIMI' | 'COMPLAINT' | 'BOUNCE';

export interface Finding {
  resourceArn: string;
  type: RecommendationType;
  /** Which finding of its type (DKIM1, DKIM2, … in SES's words: the description's disambiguator). */
  code: string;
  description: string;
  impact: 'HIGH' | 'LOW';
}

/** SES reviews an account above these rates (developer guide: sending review process FAQs). */
export const BOUNCE_REVIEW_RATE = 0.05;
export const COMPLAINT_REVIEW_RATE = 0.001;
const WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
const NOT_COUNTED = new Set(['OnAccountSuppressionList', 'Suppressed', 'UnsubscribedRecipient']);

async function dmarcOf(dns: MailDns, domain: string): Promise<string | undefined> {
  // The domain's own record, else its parents' (up to the registered domain, roughly: two labels).
  const labels = domain.split('.');
  for (let i = 0; i <= labels.length - 2; i++) {
    const [record] = await txtRecords(dns, `_dmarc.${labels.slice(i).join('.')}`, 'v=DMARC1');
    if (record) return record;
  }
  return undefined;
}

export async function domainFindings(store: Store, dns: MailDns, row: SesIdentityRow): Promise<Finding[]> {
  const domain = row.identity;
  const resourceArn = identityArn(row.region, row.account_id, domain);
  const out: Finding[] = [];
  const add = (type: RecommendationType, code: string, impact: 'HIGH' | 'LOW', description: string) =>
    out.push({ resourceArn, type, code, impact, description });

  if (row.dkim_enabled !== 1) add('DKIM', 'DKIM1', 'HIGH', `DKIM signing is not enabled for ${domain}.`);
  else if (row.dkim_status !== 'Success')
    add('DKIM', 'DKIM2', 'HIGH', `The DKIM records of ${domain} are not published or not verified yet.`);
  const signing = await getDkimSigning(store, row.account_id, row.region, domain);
  const bits =
    signing.origin === 'EXTERNAL'
      ? undefined
      : (await easyDkimKeyInfo(store, row.account_id, row.region, domain))?.bits;
  if (row.dkim_enabled === 1 && bits !== undefined && bits < 2048)
    add('DKIM', 'DKIM3', 'LOW', `${domain} signs with a ${bits}-bit DKIM key; use 2048 bits.`);

  if (row.mail_from_domain) {
    const spf = await txtRecords(dns, row.mail_from_domain, 'v=spf1');
    if (!spf.some((r) => /\binclude:amazonses\.com\b/i.test(r)))
      add(
        'SPF',
        'SPF1',
        'HIGH',
        `The MAIL FROM domain ${row.mail_from_domain} has no SPF record that includes amazonses.com.`,
      );
  } else
    add(
      'SPF',
      'SPF2',
      'LOW',
      `${domain} has no custom MAIL FROM domain, so SPF cannot align with it for DMARC.`,
    );

  const dmarc = await dmarcOf(dns, domain);
  if (!dmarc) add('DMARC', 'DMARC1', 'HIGH', `${domain} has no DMARC record (_dmarc.${domain}).`);
  else if (/(?:^|;)\s*p\s*=\s*none\b/i.test(dmarc))
    add(
      'DMARC',
      'DMARC2',
      'LOW',
      `The DMARC policy of ${domain} is none: mail failing DMARC is still accepted.`,
    );
  return out;
}

/** Bounce and complaint rates of each sending identity of the account in this region. */
export async function reputationFindings(
  store: Store,
  accountId: string,
  region: string,
  now: Date,
): Promise<Finding[]> {
  const since = now.getTime() - WINDOW_MS;
  const scope = store.db
    .selectFrom('delivery_events')
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('event_time', '>', since)
    .where('source_arn', 'is not', null);
  // Sends are many: summed in the store (mail to the simulator left out); feedback is read row by row.
  const sends = await scope
    .select(['source_arn', (eb) => eb.fn.sum<number | string>('recipient_count').as('n')])
    .where('event_type', '=', 'Send')
    .where('payload', 'not like', '%simulator.amazonses.com%')
    .groupBy('source_arn')
    .execute();
  const feedback = await scope
    .select(['event_type', 'recipient_count', 'source_arn', 'payload'])
    .where('event_type', 'in', ['Bounce', 'Complaint'])
    .execute();
  const by = new Map<string, { sent: number; bounced: number; complained: number }>();
  for (const s of sends) by.set(s.source_arn!, { sent: Number(s.n), bounced: 0, complained: 0 });
  for (const r of feedback) {
    const c = by.get(r.source_arn!);
    if (!c) continue;
    const p = JSON.parse(r.payload) as {
      bounce?: { bounceType: string; bounceSubType: string; reportingMTA: string };
      complaint?: { userAgent?: string; complaintSubType?: string | null };
    };
    if (r.event_type === 'Bounce') {
      const b = p.bounce!;
      if (
        b.bounceType === 'Permanent' &&
        b.reportingMTA !== SIMULATOR_MTA &&
        !NOT_COUNTED.has(b.bounceSubType)
      )
        c.bounced += Number(r.recipient_count);
    } else if (p.complaint?.userAgent !== SIMULATOR_USER_AGENT && !p.complaint?.complaintSubType)
      c.complained += Number(r.recipient_count);
  }
  const out: Finding[] = [];
  const pct = (x: number) => `${(x * 100).toFixed(2).replace(/\.?0+$/, '')}%`;
  for (const [resourceArn, c] of by) {
    if (c.sent === 0) continue;
    const name = resourceArn.slice(resourceArn.indexOf('identity/') + 9);
    if (c.bounced / c.sent >= BOUNCE_REVIEW_RATE)
      out.push({
        resourceArn,
        type: 'BOUNCE',
        code: 'BOUNCE1',
        impact: 'HIGH',
        description: `Mail from ${name} bounced at ${pct(c.bounced / c.sent)} over the last 30 days; SES reviews accounts above ${pct(BOUNCE_REVIEW_RATE)}.`,
      });
    if (c.complained / c.sent >= COMPLAINT_REVIEW_RATE)
      out.push({
        resourceArn,
        type: 'COMPLAINT',
        code: 'COMPLAINT1',
        impact: 'HIGH',
        description: `Mail from ${name} drew complaints at ${pct(c.complained / c.sent)} over the last 30 days; SES reviews accounts above ${pct(COMPLAINT_REVIEW_RATE)}.`,
      });
  }
  return out;
}
