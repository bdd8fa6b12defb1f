// A contact's own change of subscription, through a message's link: one-click (List-Unsubscribe-Post,
// RFC 8058: the message's topic, or the whole list when it named none) or the preferences page (every
// topic, or unsubscribe from all). The contact is written at once (created if the address was not
// one yet) and SES's Subscription event for the message is recorded and published in the same
// transaction.
import { recordEvents, subscriptionEvent, type SubscriptionPreferences } from '../../delivery/events.js';
import { buildMailObject } from '../../delivery/mail-object.js';
import { enqueuePublications, type PublishTargets } from '../../delivery/publishing/fanout.js';
import type { Store } from '../../store/database.js';
import { getContactList, type ContactList } from './contact-lists.js';
import { getContact, insertContacts, updateContact, type ContactKey } from './contacts.js';
import {
  isSubscribed,
  mergePreferences,
  type ContactPreferences,
  type SubscriptionStatus,
} from './topics.js';
import type { UnsubscribeScope } from './unsubscribe-token.js';
import { selectOutboxRows } from '../send/outbox.js';

export type SubscriptionChange =
  | { kind: 'one-click' }
  | { kind: 'preferences'; topics: Record<string, SubscriptionStatus>; unsubscribeAll: boolean };

/** Event `source` of each way in: the header's is SES's recorded value; the page's is [INF]. */
const SOURCE = { 'one-click': 'UnsubscribeHeader', preferences: 'UnsubscribeLink' } as const;

/** Every topic's status as the contact now has it (the Subscription event's preferences). */
export function statusOf(list: ContactList, c: ContactPreferences): SubscriptionPreferences {
  return {
    unsubscribeAll: c.unsubscribeAll,
    topicSubscriptionStatus: list.topics.map((t) => ({
      topicName: t.TopicName,
      subscriptionStatus: isSubscribed({ ...c, unsubscribeAll: false }, list.topics, t.TopicName)
        ? 'OptIn'
        : 'OptOut',
    })),
  };
}

function changed(
  list: ContactList,
  c: ContactPreferences,
  topic: string | undefined,
  change: SubscriptionChange,
) {
  if (change.kind === 'one-click')
    return topic !== undefined && list.topics.some((t) => t.TopicName === topic)
      ? {
          ...c,
          topicPreferences: mergePreferences(c.topicPreferences, [
            { TopicName: topic, SubscriptionStatus: 'OPT_OUT' },
          ]),
        }
      : { ...c, unsubscribeAll: true };
  const known = list.topics.filter((t) => change.topics[t.TopicName] !== undefined);
  return {
    unsubscribeAll: change.unsubscribeAll,
    topicPreferences: mergePreferences(
      c.topicPreferences,
      known.map((t) => ({ TopicName: t.TopicName, SubscriptionStatus: change.topics[t.TopicName]! })),
    ),
  };
}

export interface Subscription {
  list: ContactList;
  contact: ContactPreferences;
}

/** The list and the contact as they stand (a recipient who is no contact yet has no preferences). */
export async function currentSubscription(
  store: Store,
  s: UnsubscribeScope,
): Promise<Subscription | undefined> {
  const list = await getContactList(store, s.accountId, s.region, s.listName);
  if (!list) return undefined;
  const c = await getContact(store, keyOf(s), s.emailAddress);
  return { list, contact: c ?? { topicPreferences: [], unsubscribeAll: false } };
}

const keyOf = (s: UnsubscribeScope): ContactKey => ({
  accountId: s.accountId,
  region: s.region,
  listName: s.listName,
});

/** Applies the change; undefined when the list no longer exists. */
export async function changeSubscription(
  store: Store,
  s: UnsubscribeScope,
  change: SubscriptionChange,
  publishing: PublishTargets,
  now: Date,
): Promise<Subscription | undefined> {
  return store.db.transaction().execute(async (trx) => {
    const tx: Store = { ...store, db: trx };
    const before = await currentSubscription(tx, s);
    if (!before) return undefined;
    const after = changed(before.list, before.contact, s.topicName, change);
    const key = keyOf(s);
    await insertContacts(
      tx,
      key,
      [{ emailAddress: s.emailAddress, topicPreferences: [], unsubscribeAll: false }],
      now,
    );
    await updateContact(tx, key, s.emailAddress, after, now);
    const row = await selectOutboxRows(trx)
      .where('message_id', '=', s.messageId)
      .where('account_id', '=', s.accountId)
      .executeTakeFirst();
    if (row) {
      const scope = {
        accountId: row.account_id,
        region: row.region,
        configurationSet: row.configuration_set,
        sourceArn: row.source_arn,
      };
      const event = subscriptionEvent(buildMailObject(row), now, s.emailAddress, {
        contactList: before.list.name,
        source: SOURCE[change.kind],
        newTopicPreferences: statusOf(before.list, after),
        oldTopicPreferences: statusOf(before.list, before.contact),
      });
      await recordEvents(tx, scope, [event]);
      await enqueuePublications(tx, scope, [event], publishing, now, row.from_address ?? undefined);
    }
    return { list: before.list, contact: after };
  });
}
