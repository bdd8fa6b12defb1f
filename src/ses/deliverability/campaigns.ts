// The Deliverability dashboard's data, from Sesame's own records: a campaign is the mail one From
// address sent with one subject on one UTC day; inbox counts are deliveries, spam counts are
// complaints (the closest thing Sesame observes to a spam-folder placement), and the provider is the
// recipient's domain. Opens and deletes are not observed: their rates are 0.
import { createHash } from 'node:crypto';
import type { Store } from '../../store/database.js';

const DAY_MS = 86_400_000;

interface SendPayload {
  mail: {
    messageId: string;
    source: string;
    destination: string[];
    commonHeaders?: { subject?: string; from?: string[] };
    tags?: Record<string, string[]>;
  };
}

export interface Campaign {
  CampaignId: string;
  Subject: string;
  FromAddress: string;
  SendingIps: string[];
  FirstSeenDateTime?: Date;
  LastSeenDateTime?: Date;
  InboxCount: number;
  SpamCount: number;
  ReadRate: number;
  DeleteRate: number;
  ReadDeleteRate: number;
  ProjectedVolume: number;
  Esps: string[];
}

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
const bareAddress = (mailbox: string): string => /<([^>]+)>/.exec(mailbox)?.[1] ?? mailbox.trim();

interface Sent {
  messageId: string;
  at: number;
  from: string;
  subject: string;
  recipients: string[];
}

/** Send events of a From domain in [start, end). */
async function sendsOf(
  store: Store,
  accountId: string,
  region: string,
  domain: string,
  start: number,
  end: number,
): Promise<Sent[]> {
  const rows = await store.db
    .selectFrom('delivery_events')
    .select(['event_time', 'payload'])
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('event_type', '=', 'Send')
    .where('event_time', '>=', start)
    .where('event_time', '<', end)
    .orderBy('event_time')
    .execute();
  const out: Sent[] = [];
  for (const r of rows) {
    const { mail } = JSON.parse(r.payload) as SendPayload;
    if ((mail.tags?.['ses:from-domain']?.[0] ?? '').toLowerCase() !== domain.toLowerCase()) continue;
    out.push({
      messageId: mail.messageId,
      at: Number(r.event_time),
      from: bareAddress(mail.commonHeaders?.from?.[0] ?? mail.source),
      subject: mail.commonHeaders?.subject ?? '',
      recipients: mail.destination,
    });
  }
  return out;
}

interface Outcome {
  type: string;
  at: number;
  recipients: string[];
}

async function outcomesOf(store: Store, messageIds: readonly string[]): Promise<Map<string, Outcome[]>> {
  const out = new Map<string, Outcome[]>();
  for (let i = 0; i < messageIds.length; i += 500) {
    const rows = await store.db
      .selectFrom('delivery_events')
      .select(['message_id', 'event_type', 'event_time', 'recipients'])
      .where('message_id', 'in', messageIds.slice(i, i + 500))
      .where('event_type', 'in', ['Delivery', 'Complaint'])
      .execute();
    for (const r of rows) {
      const list = out.get(r.message_id) ?? [];
      list.push({
        type: r.event_type,
        at: Number(r.event_time),
        recipients: JSON.parse(r.recipients) as string[],
      });
      out.set(r.message_id, list);
    }
  }
  return out;
}

export const campaignId = (from: string, subject: string, day: number): string =>
  createHash('sha256').update(`${from.toLowerCase()}\n${subject}\n${day}`).digest('hex').slice(0, 32);

/** The campaigns of a From domain in [start, end), oldest first. */
export async function domainCampaigns(
  store: Store,
  accountId: string,
  region: string,
  domain: string,
  start: Date,
  end: Date,
): Promise<Campaign[]> {
  const sends = await sendsOf(store, accountId, region, domain, start.getTime(), end.getTime());
  const outcomes = await outcomesOf(
    store,
    sends.map((s) => s.messageId),
  );
  const byId = new Map<string, Campaign>();
  for (const s of sends) {
    const day = Math.floor(s.at / DAY_MS) * DAY_MS;
    const id = campaignId(s.from, s.subject, day);
    let c = byId.get(id);
    if (!c) {
      c = {
        CampaignId: id,
        Subject: s.subject,
        FromAddress: s.from,
        SendingIps: [],
        InboxCount: 0,
        SpamCount: 0,
        ReadRate: 0,
        DeleteRate: 0,
        ReadDeleteRate: 0,
        ProjectedVolume: 0,
        Esps: [],
      };
      byId.set(id, c);
    }
    c.ProjectedVolume += s.recipients.length;
    for (const r of s.recipients) if (!c.Esps.includes(domainOf(r))) c.Esps.push(domainOf(r));
    for (const o of outcomes.get(s.messageId) ?? []) {
      if (o.type === 'Complaint') c.SpamCount += o.recipients.length;
      else {
        c.InboxCount += o.recipients.length;
        if (!c.FirstSeenDateTime || o.at < c.FirstSeenDateTime.getTime())
          c.FirstSeenDateTime = new Date(o.at);
        if (!c.LastSeenDateTime || o.at > c.LastSeenDateTime.getTime()) c.LastSeenDateTime = new Date(o.at);
      }
    }
  }
  return [...byId.values()];
}

export interface IspPlacement {
  IspName: string;
  InboxRawCount: number;
  SpamRawCount: number;
  InboxPercentage: number;
  SpamPercentage: number;
}

export interface DailyVolume {
  StartDate: Date;
  VolumeStatistics: {
    InboxRawCount: number;
    SpamRawCount: number;
    ProjectedInbox: number;
    ProjectedSpam: number;
  };
  DomainIspPlacements: IspPlacement[];
}

function placements(byIsp: Map<string, { inbox: number; spam: number }>): IspPlacement[] {
  return [...byIsp].map(([IspName, v]) => {
    const total = v.inbox + v.spam;
    return {
      IspName,
      InboxRawCount: v.inbox,
      SpamRawCount: v.spam,
      InboxPercentage: total === 0 ? 0 : (100 * v.inbox) / total,
      SpamPercentage: total === 0 ? 0 : (100 * v.spam) / total,
    };
  });
}

/** GetDomainStatisticsReport: the whole range and each UTC day of it (days with no mail included). */
export async function domainStatistics(
  store: Store,
  accountId: string,
  region: string,
  domain: string,
  start: Date,
  end: Date,
): Promise<{ overall: { inbox: number; spam: number; isps: IspPlacement[] }; daily: DailyVolume[] }> {
  const first = Math.floor(start.getTime() / DAY_MS) * DAY_MS;
  // EndDate is the last day included.
  const last = Math.floor(end.getTime() / DAY_MS) * DAY_MS;
  const sends = await sendsOf(store, accountId, region, domain, first, last + DAY_MS);
  const outcomes = await outcomesOf(
    store,
    sends.map((s) => s.messageId),
  );
  const days = new Map<number, Map<string, { inbox: number; spam: number }>>();
  for (let d = first; d <= last; d += DAY_MS) days.set(d, new Map());
  const all = new Map<string, { inbox: number; spam: number }>();
  for (const s of sends) {
    for (const o of outcomes.get(s.messageId) ?? []) {
      const day = days.get(Math.floor(o.at / DAY_MS) * DAY_MS);
      for (const r of o.recipients) {
        for (const m of day ? [day, all] : [all]) {
          const v = m.get(domainOf(r)) ?? { inbox: 0, spam: 0 };
          if (o.type === 'Complaint') v.spam++;
          else v.inbox++;
          m.set(domainOf(r), v);
        }
      }
    }
  }
  const sum = (m: Map<string, { inbox: number; spam: number }>) =>
    [...m.values()].reduce((a, v) => ({ inbox: a.inbox + v.inbox, spam: a.spam + v.spam }), {
      inbox: 0,
      spam: 0,
    });
  const daily: DailyVolume[] = [...days].map(([d, m]) => {
    const t = sum(m);
    return {
      StartDate: new Date(d),
      VolumeStatistics: {
        InboxRawCount: t.inbox,
        SpamRawCount: t.spam,
        ProjectedInbox: t.inbox,
        ProjectedSpam: t.spam,
      },
      DomainIspPlacements: placements(m),
    };
  });
  return { overall: { ...sum(all), isps: placements(all) }, daily };
}
