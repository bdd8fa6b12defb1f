// ListContacts' Filter: by the list as a whole (FilteredStatus alone: OPT_OUT is UnsubscribeAll) or
// by one topic (the contact's preference, or the topic's default when UseDefaultIfPreferenceUnavailable).
// A contact unsubscribed from all counts as opted out of every topic [INF].
import { badRequest } from '../errors.js';
import type { ContactList } from './contact-lists.js';
import type { Contact } from './contacts.js';
import { isSubscribed, type SubscriptionStatus } from './topics.js';
import { listTexts } from './validate.js';

export interface ListContactsFilter {
  FilteredStatus?: SubscriptionStatus;
  TopicFilter?: { TopicName?: string; UseDefaultIfPreferenceUnavailable?: boolean };
}

export function contactFilter(
  list: ContactList,
  filter: ListContactsFilter | undefined,
): (c: Contact) => boolean {
  const status = filter?.FilteredStatus;
  const topic = filter?.TopicFilter?.TopicName;
  if (topic === undefined) {
    if (status === undefined) return () => true;
    return (c) => (status === 'OPT_OUT') === c.unsubscribeAll;
  }
  if (!list.topics.some((t) => t.TopicName === topic))
    throw badRequest(listTexts.unknownTopic(list.name, topic));
  const useDefault = filter?.TopicFilter?.UseDefaultIfPreferenceUnavailable === true;
  return (c) => {
    const own = c.topicPreferences.some((p) => p.TopicName === topic);
    if (!own && !useDefault) return false;
    if (status === undefined) return true;
    return isSubscribed(c, list.topics, topic) === (status === 'OPT_IN');
  };
}
