// v2 BatchGetMetricData (namespace VDM), from the recorded events: one data point per UTC day of
// [StartDate, EndDate), zeros included. Sesame tracks no opens or clicks, so those metrics are 0.
// Export jobs of METRICS_DATA answer from the same counts.
import { ispOf } from '../ses/insights/isp.js';
import type { Store } from '../store/database.js';

export type VdmMetric =
  | 'SEND'
  | 'COMPLAINT'
  | 'PERMANENT_BOUNCE'
  | 'TRANSIENT_BOUNCE'
  | 'OPEN'
  | 'CLICK'
  | 'DELIVERY'
  | 'DELIVERY_OPEN'
  | 'DELIVERY_CLICK'
  | 'DELIVERY_COMPLAINT';

export interface MetricQuery {
  metric: VdmMetric;
  start: Date;
  end: Date;
  /**
   * EMAIL_IDENTITY (the identity ARN's name), CONFIGURATION_SET, and ISP (the recipient's mailbox
   * provider, as GetMessageInsights names it: only the recipients at that provider count).
   */
  dimensions?: Partial<Record<MetricDimension, string>>;
}

export type MetricDimension = 'EMAIL_IDENTITY' | 'CONFIGURATION_SET' | 'ISP';

export const DAY_MS = 86_400_000;

/** Which recorded events count for a metric (bounces split by the payload's bounceType). */
const EVENTS: Partial<Record<VdmMetric, { type: string; bounceType?: string }>> = {
  SEND: { type: 'Send' },
  DELIVERY: { type: 'Delivery' },
  COMPLAINT: { type: 'Complaint' },
  DELIVERY_COMPLAINT: { type: 'Complaint' },
  PERMANENT_BOUNCE: { type: 'Bounce', bounceType: 'Permanent' },
  TRANSIENT_BOUNCE: { type: 'Bounce', bounceType: 'Transient' },
};

/** The recipients an event is about: its own, or for a Send the message's destinations. */
function eventRecipients(r: { recipients: string; payload: string }, payload: EventPayload): string[] {
  const own = JSON.parse(r.recipients) as string[];
  return own.length > 0 ? own : (payload.mail?.destination ?? []);
}

interface EventPayload {
  bounce?: { bounceType?: string };
  mail?: { destination?: string[] };
}

const identityOf = (sourceArn: string | null): string | undefined =>
  /:identity\/(.+)$/.exec(sourceArn ?? '')?.[1];

export async function metricData(
  store: Store,
  accountId: string,
  region: string,
  q: MetricQuery,
): Promise<{ Timestamps: Date[]; Values: number[] }> {
  const first = Math.floor(q.start.getTime() / DAY_MS) * DAY_MS;
  const days: number[] = [];
  for (let d = first; d < q.end.getTime(); d += DAY_MS) days.push(d);
  const values = new Map(days.map((d) => [d, 0]));
  const counted = EVENTS[q.metric];
  if (counted && days.length > 0) {
    let query = store.db
      .selectFrom('delivery_events')
      .select(['event_time', 'recipient_count', 'payload', 'source_arn', 'recipients'])
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('event_type', '=', counted.type)
      .where('event_time', '>=', q.start.getTime())
      .where('event_time', '<', q.end.getTime());
    if (q.dimensions?.CONFIGURATION_SET)
      query = query.where('configuration_set', '=', q.dimensions.CONFIGURATION_SET);
    for (const r of await query.execute()) {
      if (q.dimensions?.EMAIL_IDENTITY && identityOf(r.source_arn) !== q.dimensions.EMAIL_IDENTITY) continue;
      const isp = q.dimensions?.ISP;
      const payload =
        counted.bounceType || isp !== undefined ? (JSON.parse(r.payload) as EventPayload) : undefined;
      if (counted.bounceType && payload?.bounce?.bounceType !== counted.bounceType) continue;
      const count =
        isp === undefined
          ? Number(r.recipient_count)
          : eventRecipients(r, payload!).filter((a) => ispOf(a) === isp).length;
      const day = Math.floor(Number(r.event_time) / DAY_MS) * DAY_MS;
      values.set(day, (values.get(day) ?? 0) + count);
    }
  }
  return { Timestamps: days.map((d) => new Date(d)), Values: days.map((d) => values.get(d) ?? 0) };
}

/** The values a dimension takes in the counted events of [start, end): what `*` stands for. */
export async function dimensionValues(
  store: Store,
  accountId: string,
  region: string,
  dimension: MetricDimension,
  start: Date,
  end: Date,
): Promise<string[]> {
  const rows = await store.db
    .selectFrom('delivery_events')
    .select(['configuration_set', 'source_arn', 'recipients', 'payload'])
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('event_type', 'in', [...new Set(Object.values(EVENTS).map((e) => e.type))])
    .where('event_time', '>=', start.getTime())
    .where('event_time', '<', end.getTime())
    .execute();
  const seen = new Set<string>();
  for (const r of rows) {
    if (dimension === 'CONFIGURATION_SET' && r.configuration_set) seen.add(r.configuration_set);
    if (dimension === 'EMAIL_IDENTITY') {
      const id = identityOf(r.source_arn);
      if (id) seen.add(id);
    }
    if (dimension === 'ISP')
      for (const a of eventRecipients(r, JSON.parse(r.payload) as EventPayload)) {
        const isp = ispOf(a);
        if (isp) seen.add(isp);
      }
  }
  return [...seen].sort();
}
