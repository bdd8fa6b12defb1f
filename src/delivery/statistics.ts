// GetSendStatistics (docs/spec/ses.md §5.4): 15-minute buckets over the last two weeks, from recorded events.
// DeliveryAttempts counts recipients accepted for delivery (Send events' destinations), Bounces and
// Complaints the recipients concerned, Rejects the rejected messages' recipients. Empty buckets are
// left out; order is by Timestamp (clients must not rely on it).
import type { Store } from '../store/database.js';

export const BUCKET_MS = 15 * 60_000;
export const WINDOW_MS = 14 * 24 * 60 * 60_000;

export interface SendDataPoint {
  Timestamp: Date;
  DeliveryAttempts: number;
  Bounces: number;
  Complaints: number;
  Rejects: number;
}

const FIELD: Record<string, keyof Omit<SendDataPoint, 'Timestamp'>> = {
  Send: 'DeliveryAttempts',
  Bounce: 'Bounces',
  Complaint: 'Complaints',
  Reject: 'Rejects',
};

export async function sendStatistics(
  store: Store,
  accountId: string,
  region: string,
  now: Date,
): Promise<SendDataPoint[]> {
  const from = now.getTime() - WINDOW_MS;
  const rows = await store.db
    .selectFrom('delivery_events')
    .select(['event_type', 'event_time', 'recipient_count'])
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('event_type', 'in', Object.keys(FIELD))
    .where('event_time', '>', from)
    .where('event_time', '<=', now.getTime())
    .execute();
  const buckets = new Map<number, SendDataPoint>();
  for (const r of rows) {
    const start = Math.floor(Number(r.event_time) / BUCKET_MS) * BUCKET_MS;
    let b = buckets.get(start);
    if (!b) {
      b = { Timestamp: new Date(start), DeliveryAttempts: 0, Bounces: 0, Complaints: 0, Rejects: 0 };
      buckets.set(start, b);
    }
    b[FIELD[r.event_type]!] += Number(r.recipient_count);
  }
  return [...buckets.values()].sort((a, b) => a.Timestamp.getTime() - b.Timestamp.getTime());
}
