// The local mailbox (captured messages) for the API/console: list and search, fetch, delete, and a
// message's timeline (accepted -> delivery attempts -> events). The lead maps these to HTTP routes
// (`sesame:ListMessages`, `sesame:GetMessage`, `sesame:DeleteMessage`, `sesame:GetMessageTimeline`).
import { sql } from 'kysely';
import { filterExpression, type MailboxFilter } from './mailbox-filters.js';
import { SUMMARY_COLUMNS, toSummary as outboxSummary, type OutboxSummary } from '../ses/send/outbox.js';
import type { Store } from '../store/database.js';
import type { CapturedMessageRow } from '../store/schema/delivery.js';
import { eventsOfMessage, type StoredEvent } from './events.js';

export interface CapturedSummary {
  captureId: string;
  messageId: string;
  kind: 'outbound' | 'auto-reply' | 'inbound' | 'simulated';
  accountId: string;
  region: string;
  principalArn: string;
  mailFrom: string;
  fromAddress?: string;
  /** The From display name, decoded. */
  fromName?: string;
  recipients: string[];
  /** Decoded. */
  subject?: string;
  /** Simulated mail: what the mailbox simulator did with each recipient. */
  outcomes?: Record<string, string>;
  size: number;
  createdAt: Date;
  deliveredAt: Date;
}

export interface ListMessagesOptions extends MailboxFilter {
  limit?: number;
  /** Paging: the last captureId of the previous page. */
  after?: { deliveredAt: Date; captureId: string };
}

function toSummary(r: Omit<CapturedMessageRow, 'raw' | 'search_text'>): CapturedSummary {
  const s: CapturedSummary = {
    captureId: r.capture_id,
    messageId: r.message_id,
    kind: r.kind as CapturedSummary['kind'],
    accountId: r.account_id,
    region: r.region,
    principalArn: r.principal_arn,
    mailFrom: r.mail_from,
    recipients: JSON.parse(r.recipients) as string[],
    size: Number(r.size),
    createdAt: new Date(Number(r.created_at)),
    deliveredAt: new Date(Number(r.delivered_at)),
  };
  if (r.from_address !== null) s.fromAddress = r.from_address;
  if (r.from_name !== null) s.fromName = r.from_name;
  if (r.subject !== null) s.subject = r.subject;
  if (r.outcomes !== null) s.outcomes = JSON.parse(r.outcomes) as Record<string, string>;
  return s;
}

const COLUMNS = [
  'capture_id',
  'message_id',
  'kind',
  'account_id',
  'region',
  'principal_arn',
  'mail_from',
  'from_address',
  'from_name',
  'recipients',
  'subject',
  'outcomes',
  'size',
  'created_at',
  'delivered_at',
] as const;

/** An account's captured messages, newest first. */
export async function listMessages(store: Store, o: ListMessagesOptions): Promise<CapturedSummary[]> {
  let q = store.db
    .selectFrom('captured_messages')
    .select(COLUMNS)
    .where((eb) => filterExpression(eb, o));
  if (o.after) {
    const t = o.after.deliveredAt.getTime();
    const id = o.after.captureId;
    // A row-value comparison: both engines seek the (account, time, id) index to the page's start.
    q = q.where(sql<boolean>`(delivered_at, capture_id) < (${t}, ${id})`);
  }
  const rows = await q
    .orderBy('delivered_at', 'desc')
    .orderBy('capture_id', 'desc')
    .limit(Math.max(1, Math.min(o.limit ?? 100, 1000)))
    .execute();
  return rows.map(toSummary);
}

/** One captured message of the account with its bytes, or undefined. */
export async function getMessage(
  store: Store,
  accountId: string,
  captureId: string,
): Promise<(CapturedSummary & { raw: Buffer }) | undefined> {
  const r = await store.db
    .selectFrom('captured_messages')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('capture_id', '=', captureId)
    .executeTakeFirst();
  return r ? { ...toSummary(r), raw: Buffer.from(r.raw) } : undefined;
}

/** Deletes the account's messages that match the filters (all of them without any); how many. */
export async function deleteMessages(store: Store, filter: MailboxFilter): Promise<number> {
  const res = await store.db
    .deleteFrom('captured_messages')
    .where((eb) => filterExpression(eb, filter))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Deletes one captured message of the account; false when there was none. */
export async function deleteMessage(store: Store, accountId: string, captureId: string): Promise<boolean> {
  const res = await store.db
    .deleteFrom('captured_messages')
    .where('account_id', '=', accountId)
    .where('capture_id', '=', captureId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** The authorization of the call that sent the message, from its audit record. */
export interface SendAuthorization {
  requestId: string;
  decision: string;
  actions: string[];
  resources: string[];
}

export interface MessageTimeline {
  accepted: OutboxSummary;
  authorization?: SendAuthorization;
  attempts: number;
  nextAttemptAt?: Date;
  lastError?: string;
  events: StoredEvent[];
  captured: CapturedSummary[];
}

/** What happened to one accepted message of the account, or undefined. */
export async function messageTimeline(
  store: Store,
  accountId: string,
  messageId: string,
): Promise<MessageTimeline | undefined> {
  // One read of the outbox row: the accepted message and its retry state (no MIME bytes).
  const row = await store.db
    .selectFrom('outbox')
    .select([...SUMMARY_COLUMNS, 'next_attempt_at', 'last_error'])
    .where('message_id', '=', messageId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) return undefined;
  const accepted = outboxSummary(row);
  const captured = await store.db
    .selectFrom('captured_messages')
    .select(COLUMNS)
    .where('message_id', '=', messageId)
    .orderBy('delivered_at')
    .execute();
  // The send's audit record has the same principal and the same instant (both take the call's time).
  const audit = await store.db
    .selectFrom('audit_events')
    .select(['request_id', 'decision', 'actions', 'resources'])
    .where('account_id', '=', accountId)
    .where('principal_arn', '=', accepted.principalArn)
    .where('event_time', '=', accepted.createdAt.getTime())
    .where('decision', '=', 'Allowed')
    .executeTakeFirst();
  const t: MessageTimeline = {
    accepted,
    ...(audit
      ? {
          authorization: {
            requestId: audit.request_id,
            decision: audit.decision,
            actions: JSON.parse(audit.actions) as string[],
            resources: JSON.parse(audit.resources) as string[],
          },
        }
      : {}),
    attempts: accepted.attempts,
    events: await eventsOfMessage(store, messageId),
    captured: captured.map(toSummary),
  };
  if (accepted.status === 'queued') t.nextAttemptAt = new Date(Number(row.next_attempt_at));
  if (row.last_error) t.lastError = row.last_error;
  return t;
}
