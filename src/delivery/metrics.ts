// v2 BatchGetMetricData (namespace VDM), from the recorded events: one data point per UTC day of
// [StartDate, EndDate), zeros included. Sesame tracks no opens or clicks, so those metrics are 0.
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
  /** EMAIL_IDENTITY (the identity ARN's name) and CONFIGURATION_SET filters; ISP cannot be known here. */
  dimensions?: Partial<Record<'EMAIL_IDENTITY' | 'CONFIGURATION_SET' | 'ISP', string>>;
}

const DAY_MS = 86_400_000;

/** Which recorded events count for a metric (bounces split by the payload's bounceType). */
const EVENTS: Partial<Record<VdmMetric, { type: string; bounceType?: string }>> = {
  SEND: { type: 'Send' },
  DELIVERY: { type: 'Delivery' },
  COMPLAINT: { type: 'Complaint' },
  DELIVERY_COMPLAINT: { type: 'Complaint' },
  PERMANENT_BOUNCE: { type: 'Bounce', bounceType: 'Permanent' },
  TRANSIENT_BOUNCE: { type: 'Bounce', bounceType: 'Transient' },
};

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
      .select(['event_time', 'recipient_count', 'payload', 'source_arn'])
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('event_type', '=', counted.type)
      .where('event_time', '>=', q.start.getTime())
      .where('event_time', '<', q.end.getTime());
    if (q.dimensions?.CONFIGURATION_SET)
      query = query.where('configuration_set', '=', q.dimensions.CONFIGURATION_SET);
    for (const r of await query.execute()) {
      if (
        q.dimensions?.EMAIL_IDENTITY &&
        !String(r.source_arn ?? '').endsWith(`:identity/${q.dimensions.EMAIL_IDENTITY}`)
      )
        continue;
      if (counted.bounceType) {
        const payload = JSON.parse(r.payload) as { bounce?: { bounceType?: string } };
        if (payload.bounce?.bounceType !== counted.bounceType) continue;
      }
      const day = Math.floor(Number(r.event_time) / DAY_MS) * DAY_MS;
      values.set(day, (values.get(day) ?? 0) + Number(r.recipient_count));
    }
  }
  return { Timestamps: days.map((d) => new Date(d)), Values: days.map((d) => values.get(d) ?? 0) };
}
