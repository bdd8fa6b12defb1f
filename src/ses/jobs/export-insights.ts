// A MESSAGE_INSIGHTS export: GetMessageInsights' answer (insights/message-insights.ts) for every
// message the account sent in [StartDate, EndDate] (both inclusive), one record per message and
// destination, with its last delivery and engagement events; kept when it matches the Include
// filters and not the Exclude ones, up to MaxResults. Filters as SES documents them: filters are
// joined by AND, a filter's values by OR, case-sensitive; FromEmailAddress, Destination and Subject
// take `*` at either end (suffix, prefix or contains match; `\*` and `\\` are literal).
import type { Store } from '../../store/database.js';
import { insightsOfMessage } from '../insights/message-insights.js';
import type { Scope } from './jobs.js';
import type { ExportRow } from './export-metrics.js';
import { selectOutboxRows } from '../send/outbox.js';

type Filter =
  'FromEmailAddress' | 'Destination' | 'Subject' | 'Isp' | 'LastDeliveryEvent' | 'LastEngagementEvent';

export interface MessageInsightsDataSource {
  StartDate: Date | string;
  EndDate: Date | string;
  Include?: Partial<Record<Filter, string[]>>;
  Exclude?: Partial<Record<Filter, string[]>>;
  MaxResults?: number;
}

export const INSIGHTS_COLUMNS = [
  'MessageId',
  'SendTimestamp',
  'FromEmailAddress',
  'Subject',
  'Destination',
  'Isp',
  'LastDeliveryEvent',
  'LastEngagementEvent',
  'EmailTags',
] as const;

const WILDCARDS: Filter[] = ['FromEmailAddress', 'Destination', 'Subject'];

/** A filter value as a test: exact, or `*` at the start and/or end (escaped characters literal). */
export function matcher(pattern: string, wildcards: boolean): (v: string | undefined) => boolean {
  if (!wildcards) return (v) => v === pattern;
  let text = '';
  let leading = false;
  let trailing = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) text += pattern[++i];
    else if (ch === '*' && i === 0) leading = true;
    else if (ch === '*' && i === pattern.length - 1) trailing = true;
    else text += ch;
  }
  return (v) => {
    if (v === undefined) return false;
    if (leading && trailing) return v.includes(text);
    if (leading) return v.endsWith(text);
    if (trailing) return v.startsWith(text);
    return v === text;
  };
}

/** True when the record matches every filter given (a filter matches when one of its values does). */
function matches(record: ExportRow, filters: Partial<Record<Filter, string[]>>): boolean {
  return Object.entries(filters).every(([name, values]) => {
    if (!values || values.length === 0) return true;
    const v = record[name] as string | undefined;
    return values.some((p) => matcher(p, WILDCARDS.includes(name as Filter))(v));
  });
}

const hasFilters = (f: MessageInsightsDataSource['Exclude']): boolean =>
  Object.values(f ?? {}).some((v) => v !== undefined && v.length > 0);

/** SEND < BOUNCE < DELIVERY < COMPLAINT, as the model orders delivery events. */
const DELIVERY_RANK: Record<string, number> = { SEND: 0, BOUNCE: 1, DELIVERY: 2, COMPLAINT: 3 };

function lastDeliveryEvent(
  events: { Type: string; Details?: { Bounce?: { BounceType: string } } }[],
): string | undefined {
  let last: (typeof events)[number] | undefined;
  for (const e of events)
    if (e.Type in DELIVERY_RANK && (!last || DELIVERY_RANK[e.Type]! >= DELIVERY_RANK[last.Type]!)) last = e;
  if (last?.Type !== 'BOUNCE') return last?.Type;
  return `${last.Details?.Bounce?.BounceType ?? 'UNDETERMINED'}_BOUNCE`;
}

const lastEngagementEvent = (events: { Type: string }[]): string | undefined =>
  events.some((e) => e.Type === 'CLICK')
    ? 'CLICK'
    : events.some((e) => e.Type === 'OPEN')
      ? 'OPEN'
      : undefined;

const PAGE = 200;

export async function insightsRows(
  store: Store,
  scope: Scope,
  src: MessageInsightsDataSource,
  progress: (processed: number) => Promise<void>,
): Promise<{ columns: string[]; rows: ExportRow[]; processed: number }> {
  const max = src.MaxResults ?? 10_000;
  const rows: ExportRow[] = [];
  let processed = 0;
  let after: { at: number; id: string } | undefined;
  for (;;) {
    let q = selectOutboxRows(store.db)
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('created_at', '>=', new Date(src.StartDate).getTime())
      .where('created_at', '<=', new Date(src.EndDate).getTime());
    if (after) {
      const { at, id } = after;
      q = q.where((eb) =>
        eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('message_id', '>', id)])]),
      );
    }
    const page = await q.orderBy('created_at').orderBy('message_id').limit(PAGE).execute();
    for (const message of page) {
      const m = await insightsOfMessage(store, message);
      for (const insight of m.Insights) {
        processed++;
        const record: ExportRow = {
          MessageId: m.MessageId,
          SendTimestamp: new Date(Number(message.created_at)).toISOString(),
          FromEmailAddress: m.FromEmailAddress,
          Subject: m.Subject,
          Destination: insight.Destination,
          Isp: insight.Isp,
          LastDeliveryEvent: lastDeliveryEvent(insight.Events),
          LastEngagementEvent: lastEngagementEvent(insight.Events),
          EmailTags: m.EmailTags,
          Events: insight.Events,
        };
        if (!matches(record, src.Include ?? {})) continue;
        if (hasFilters(src.Exclude) && matches(record, src.Exclude!)) continue;
        rows.push(record);
        if (rows.length >= max) return { columns: [...INSIGHTS_COLUMNS], rows, processed };
      }
    }
    await progress(processed);
    if (page.length < PAGE) return { columns: [...INSIGHTS_COLUMNS], rows, processed };
    const last = page[page.length - 1]!;
    after = { at: Number(last.created_at), id: last.message_id };
  }
}
