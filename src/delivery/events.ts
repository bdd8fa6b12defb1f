// SES events in the event-publishing JSON format ({eventType, mail, <detail>}) and their recording.
// Event ids are deterministic (message, type, recipient or attempt), so recording twice after a
// crash or a lost lease stores one event.
import { newMessageId } from '../ses/send/message-id.js';
import type { Store } from '../store/database.js';
import { insertRows } from '../store/prepared-insert.js';
import type { DeliveryEventRow } from '../store/schema/delivery.js';
import type { MailObject } from './mail-object.js';

export type EventType =
  | 'Send'
  | 'Reject'
  | 'Delivery'
  | 'Bounce'
  | 'Complaint'
  | 'DeliveryDelay'
  | 'RenderingFailure'
  | 'Subscription';

export interface BouncedRecipient {
  emailAddress: string;
  action: 'failed';
  status: string;
  diagnosticCode: string;
}

export type BounceType = 'Permanent' | 'Transient' | 'Undetermined';

export interface SesEvent {
  id: string;
  type: EventType;
  at: Date;
  recipients: string[];
  /** The JSON SES publishes. */
  payload: Record<string, unknown>;
  /** False: never feeds the suppression list (expiry of a message whose next hop was unreachable). */
  feedback?: false;
}

/** SES's feedback ids look like message ids. */
export const newFeedbackId = (now: Date): string => newMessageId(now);

const iso = (d: Date) => d.toISOString();

export function sendEvent(mail: MailObject, at: Date): SesEvent {
  return {
    id: `${mail.messageId}:Send`,
    type: 'Send',
    at,
    recipients: [],
    payload: { eventType: 'Send', mail, send: {} },
  };
}

export function rejectEvent(mail: MailObject, at: Date, reason = 'Bad content'): SesEvent {
  return {
    id: `${mail.messageId}:Reject`,
    type: 'Reject',
    at,
    recipients: [],
    payload: { eventType: 'Reject', mail, reject: { reason } },
  };
}

/** SES's `Rendering Failure`: the message was accepted but its template could not be rendered. */
export function renderingFailureEvent(
  mail: Omit<MailObject, 'headers' | 'commonHeaders'>,
  at: Date,
  errorMessage: string,
  templateName: string | undefined,
): SesEvent {
  const failure = { errorMessage, ...(templateName !== undefined ? { templateName } : {}) };
  return {
    id: `${mail.messageId}:RenderingFailure`,
    type: 'RenderingFailure',
    at,
    recipients: [],
    payload: { eventType: 'Rendering Failure', mail, failure },
  };
}

export function deliveryEvent(
  mail: MailObject,
  at: Date,
  recipient: string,
  smtpResponse: string,
  reportingMTA: string,
): SesEvent {
  const delivery = {
    timestamp: iso(at),
    processingTimeMillis: Math.max(0, at.getTime() - Date.parse(mail.timestamp)),
    recipients: [recipient],
    smtpResponse,
    reportingMTA,
  };
  return {
    id: `${mail.messageId}:Delivery:${recipient}`,
    type: 'Delivery',
    at,
    recipients: [recipient],
    payload: { eventType: 'Delivery', mail, delivery },
  };
}

export function bounceEvent(
  mail: MailObject,
  at: Date,
  bounceType: BounceType,
  bounceSubType: string,
  bounced: BouncedRecipient[],
  reportingMTA: string,
): SesEvent {
  const recipients = bounced.map((b) => b.emailAddress);
  const bounce = {
    feedbackId: newFeedbackId(at),
    bounceType,
    bounceSubType,
    bouncedRecipients: bounced,
    timestamp: iso(at),
    reportingMTA,
  };
  return {
    id: `${mail.messageId}:Bounce:${[...recipients].sort().join(',')}`,
    type: 'Bounce',
    at,
    recipients,
    payload: { eventType: 'Bounce', mail, bounce },
  };
}

export function complaintEvent(mail: MailObject, at: Date, recipient: string, userAgent: string): SesEvent {
  const complaint = {
    feedbackId: newFeedbackId(at),
    complaintSubType: null,
    complainedRecipients: [{ emailAddress: recipient }],
    timestamp: iso(at),
    userAgent,
    complaintFeedbackType: 'abuse',
    arrivalDate: iso(at),
  };
  return {
    id: `${mail.messageId}:Complaint:${recipient}`,
    type: 'Complaint',
    at,
    recipients: [recipient],
    payload: { eventType: 'Complaint', mail, complaint },
  };
}

export interface DelayedRecipient {
  emailAddress: string;
  status: string;
  diagnosticCode: string;
}

export function deliveryDelayEvent(
  mail: MailObject,
  at: Date,
  attempt: number,
  delayed: DelayedRecipient[],
  expiration: Date,
  reportingMTA: string,
): SesEvent {
  const deliveryDelay = {
    timestamp: iso(at),
    delayType: 'TransientCommunicationFailure',
    expirationTime: iso(expiration),
    delayedRecipients: delayed,
    reportingMTA,
  };
  return {
    id: `${mail.messageId}:DeliveryDelay:${attempt}`,
    type: 'DeliveryDelay',
    at,
    recipients: delayed.map((d) => d.emailAddress),
    payload: { eventType: 'DeliveryDelay', mail, deliveryDelay },
  };
}

export interface TopicSubscriptionStatus {
  topicName: string;
  subscriptionStatus: 'OptIn' | 'OptOut';
}
export interface SubscriptionPreferences {
  unsubscribeAll: boolean;
  topicSubscriptionStatus: TopicSubscriptionStatus[];
}

/** A contact changed its subscription through a message's unsubscribe header, link or page. */
export function subscriptionEvent(
  mail: MailObject,
  at: Date,
  recipient: string,
  change: {
    contactList: string;
    source: string;
    newTopicPreferences: SubscriptionPreferences;
    oldTopicPreferences: SubscriptionPreferences;
  },
): SesEvent {
  const { contactList, source, newTopicPreferences, oldTopicPreferences } = change;
  const subscription = { contactList, timestamp: iso(at), source, newTopicPreferences, oldTopicPreferences };
  return {
    // One per change: a contact may change its mind more than once about one message.
    id: `${mail.messageId}:Subscription:${recipient}:${at.getTime()}`,
    type: 'Subscription',
    at,
    recipients: [recipient],
    payload: { eventType: 'Subscription', mail, subscription },
  };
}

/** Context stored beside each event (the sending account, for statistics; docs/spec/ses.md §4.5). */
export interface EventScope {
  accountId: string;
  region: string;
  configurationSet?: string | null;
  sourceArn?: string | null;
  /** The send's tenant: events and statistics per tenant. */
  tenantName?: string | null;
}

function toRow(scope: EventScope, e: SesEvent): DeliveryEventRow {
  const mail = e.payload.mail as MailObject;
  const count = e.type === 'Send' || e.type === 'Reject' ? mail.destination.length : e.recipients.length;
  return {
    event_id: e.id,
    message_id: mail.messageId,
    account_id: scope.accountId,
    region: scope.region,
    event_type: e.type,
    recipients: JSON.stringify(e.recipients),
    recipient_count: count,
    configuration_set: scope.configurationSet ?? null,
    source_arn: scope.sourceArn ?? null,
    event_time: e.at.getTime(),
    payload: JSON.stringify(e.payload),
    tenant_name: scope.tenantName ?? null,
  };
}

/**
 * Records events once each (pass a transaction's store to commit them with other writes); resolves
 * to the ids recorded now, so a retry publishes only what is new.
 */
export async function recordEvents(
  store: Store,
  scope: EventScope,
  events: readonly SesEvent[],
): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  // ON CONFLICT DO NOTHING returns only the rows it inserted.
  const ids = await insertRows(
    store,
    'delivery_events',
    events.map((e) => toRow(scope, e)),
    { conflictDoNothing: 'event_id', returning: 'event_id' },
  );
  return new Set(ids as string[]);
}

/**
 * As `recordEvents`, when nobody asks which events are new: on PostgreSQL the transaction holds the
 * insert and sends it with its other writes (folded-writes.ts).
 */
export async function recordEventsFolded(
  store: Store,
  scope: EventScope,
  events: readonly SesEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await insertRows(
    store,
    'delivery_events',
    events.map((e) => toRow(scope, e)),
    { conflictDoNothing: 'event_id', folded: true },
  );
}

export interface StoredEvent {
  eventId: string;
  messageId: string;
  type: EventType;
  at: Date;
  recipients: string[];
  payload: Record<string, unknown>;
}

/** A message's events, oldest first. */
const LIFE_ORDER = [
  'Send',
  'Reject',
  'RenderingFailure',
  'DeliveryDelay',
  'Delivery',
  'Bounce',
  'Complaint',
  'Subscription',
];
const lifeOrder = (type: string): number => {
  const i = LIFE_ORDER.indexOf(type);
  return i < 0 ? LIFE_ORDER.length : i;
};

export async function eventsOfMessage(store: Store, messageId: string): Promise<StoredEvent[]> {
  const rows = await store.db
    .selectFrom('delivery_events')
    .selectAll()
    .where('message_id', '=', messageId)
    .orderBy('event_time')
    .orderBy('event_id')
    .execute();
  // Events of the same millisecond keep the message's life order (a Send before its Delivery).
  rows.sort(
    (a, b) =>
      Number(a.event_time) - Number(b.event_time) || lifeOrder(a.event_type) - lifeOrder(b.event_type),
  );
  return rows.map((r) => ({
    eventId: r.event_id,
    messageId: r.message_id,
    type: r.event_type as EventType,
    at: new Date(Number(r.event_time)),
    recipients: JSON.parse(r.recipients) as string[],
    payload: JSON.parse(r.payload) as Record<string, unknown>,
  }));
}
