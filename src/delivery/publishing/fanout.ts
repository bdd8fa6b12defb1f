// Which subscribers each recorded event goes to: the sending configuration set's enabled SNS and
// EventBridge destinations whose MatchingEventTypes include it, and the identity's notification
// topics (Bounce/Complaint/Delivery). Rows are written beside the events, in the same transaction,
// so an event is published if and only if it was recorded.
import { getIdentities } from '../../ses/state/identities.js';
import { createHash } from 'node:crypto';
import type { Config } from '../../config/config.js';
import { listEventDestinations } from '../../ses/state/index.js';
import type { Store } from '../../store/database.js';
import type { EventPublicationRow } from '../../store/schema/publishing.js';
import type { EventScope, EventType, SesEvent } from '../events.js';
import type { MailObject } from '../mail-object.js';
import { EVENT_SUBJECT, eventBridgeEvent, identityNotification, snsEnvelope } from './envelope.js';

/** Where topics and event buses lead (operator configuration). */
export interface PublishTargets {
  sns: ReadonlyMap<string, readonly string[]>;
  eventBridgeWebhook?: string;
}

export function publishTargets(
  config: Pick<Config, 'snsSubscriptions' | 'eventBridgeWebhook'>,
): PublishTargets {
  const sns = new Map<string, string[]>();
  for (const s of config.snsSubscriptions) sns.set(s.topicArn, [...(sns.get(s.topicArn) ?? []), s.url]);
  return { sns, ...(config.eventBridgeWebhook ? { eventBridgeWebhook: config.eventBridgeWebhook } : {}) };
}

export const hasTargets = (t: PublishTargets): boolean =>
  t.sns.size > 0 || t.eventBridgeWebhook !== undefined;

/** Each event type's name in SES v2's EventType enum (MatchingEventTypes, GetMessageInsights). */
export const MATCHING: Record<EventType, string> = {
  Send: 'SEND',
  Reject: 'REJECT',
  Delivery: 'DELIVERY',
  Bounce: 'BOUNCE',
  Complaint: 'COMPLAINT',
  DeliveryDelay: 'DELIVERY_DELAY',
  RenderingFailure: 'RENDERING_FAILURE',
  Subscription: 'SUBSCRIPTION',
};

const TOPIC_COLUMN = {
  Bounce: 'bounce_topic',
  Complaint: 'complaint_topic',
  Delivery: 'delivery_topic',
} as const;
const HEADERS_COLUMN = {
  Bounce: 'headers_in_bounce',
  Complaint: 'headers_in_complaint',
  Delivery: 'headers_in_delivery',
} as const;

const publicationId = (eventId: string, kind: string, target: string, url: string) =>
  createHash('sha256').update(`${eventId}\n${kind}\n${target}\n${url}`).digest('base64url');

/** The identity whose notification topics apply: the From address's own identity first, then sourceArn's. */
async function notifyingIdentity(store: Store, mail: MailObject, fromAddress: string | undefined) {
  const m = /^arn:aws[a-z-]*:ses:([^:]+):(\d{12}):identity\/(.+)$/.exec(mail.sourceArn ?? '');
  if (!m) return undefined;
  const [, region, owner, name] = m as unknown as [string, string, string, string];
  const names = [...new Set([fromAddress, name].filter((n): n is string => !!n))];
  const rows = await getIdentities(store, owner, region, names);
  // An address identity's settings win over its domain's.
  return rows.find((r) => r.identity === fromAddress) ?? rows.find((r) => r.identity === name);
}

/** Writes the publications these events call for (idempotent); returns how many rows were due. */
export async function enqueuePublications(
  store: Store,
  scope: EventScope,
  events: readonly SesEvent[],
  targets: PublishTargets,
  now: Date,
  fromAddress?: string,
): Promise<number> {
  if (events.length === 0 || !hasTargets(targets)) return 0;
  const rows: EventPublicationRow[] = [];
  // `via` keeps a topic used both as an event destination and as a notification topic two deliveries.
  const add = (
    e: SesEvent,
    kind: 'sns' | 'eventbridge',
    target: string,
    url: string,
    body: object,
    via: string = kind,
  ) => {
    const mail = e.payload.mail as MailObject;
    rows.push({
      publication_id: publicationId(e.id, via, target, url),
      event_id: e.id,
      message_id: mail.messageId,
      account_id: scope.accountId,
      kind,
      target,
      url,
      body: JSON.stringify(body),
      attempts: 0,
      next_attempt_at: now.getTime(),
      lease_until: 0,
      last_error: null,
      created_at: now.getTime(),
    });
  };

  const set = scope.configurationSet;
  const destinations = set ? await listEventDestinations(store, scope.accountId, scope.region, set) : [];
  for (const { definition: d } of destinations) {
    if (d.Enabled === false) continue;
    for (const e of events) {
      if (!d.MatchingEventTypes.includes(MATCHING[e.type])) continue;
      const topic = d.SnsDestination?.TopicArn;
      if (topic)
        for (const url of targets.sns.get(topic) ?? [])
          add(e, 'sns', topic, url, snsEnvelope(topic, e.payload, now, EVENT_SUBJECT));
      const bus = d.EventBridgeDestination?.EventBusArn;
      if (bus && targets.eventBridgeWebhook && set)
        add(
          e,
          'eventbridge',
          bus,
          targets.eventBridgeWebhook,
          eventBridgeEvent(
            e,
            { accountId: scope.accountId, region: scope.region, configurationSet: set },
            now,
          ),
        );
    }
  }

  const notifiable = events.filter(
    (e) => e.type === 'Bounce' || e.type === 'Complaint' || e.type === 'Delivery',
  );
  if (notifiable.length > 0 && targets.sns.size > 0) {
    const identity = await notifyingIdentity(store, notifiable[0]!.payload.mail as MailObject, fromAddress);
    for (const e of identity ? notifiable : []) {
      const t = e.type as keyof typeof TOPIC_COLUMN;
      const topic = identity![TOPIC_COLUMN[t]];
      if (!topic) continue;
      const message = identityNotification(e, Number(identity![HEADERS_COLUMN[t]]) === 1);
      for (const url of targets.sns.get(topic) ?? [])
        add(e, 'sns', topic, url, snsEnvelope(topic, message, now), 'notification');
    }
  }

  if (rows.length === 0) return 0;
  await store.db
    .insertInto('event_publications')
    .values(rows)
    .onConflict((oc) => oc.column('publication_id').doNothing())
    .execute();
  return rows.length;
}
