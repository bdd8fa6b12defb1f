// Topics and subscription preferences (SES v2 list management): what a contact's status for a topic
// is, given its own preferences, UnsubscribeAll and the topic's default.

export type SubscriptionStatus = 'OPT_IN' | 'OPT_OUT';

export interface Topic {
  TopicName: string;
  DisplayName: string;
  Description?: string;
  DefaultSubscriptionStatus: SubscriptionStatus;
}

export interface TopicPreference {
  TopicName: string;
  SubscriptionStatus: SubscriptionStatus;
}

export interface ContactPreferences {
  topicPreferences: TopicPreference[];
  unsubscribeAll: boolean;
}

/** The contact's own preferences for topics the list still has (a removed topic's are moot). */
export function explicitPreferences(
  topics: readonly Topic[],
  prefs: readonly TopicPreference[],
): TopicPreference[] {
  const names = new Set(topics.map((t) => t.TopicName));
  return prefs.filter((p) => names.has(p.TopicName));
}

/** TopicDefaultPreferences: the list's topics the contact has no preference for, with their defaults. */
export function defaultPreferences(
  topics: readonly Topic[],
  prefs: readonly TopicPreference[],
): TopicPreference[] {
  const own = new Set(prefs.map((p) => p.TopicName));
  return topics
    .filter((t) => !own.has(t.TopicName))
    .map((t) => ({ TopicName: t.TopicName, SubscriptionStatus: t.DefaultSubscriptionStatus }));
}

/**
 * Whether mail for `topic` (or for the list as a whole when no topic is named) reaches the contact:
 * UnsubscribeAll stops everything; for a topic, the contact's preference, else the topic's default.
 */
export function isSubscribed(
  c: ContactPreferences,
  topics: readonly Topic[],
  topic: string | undefined,
): boolean {
  if (c.unsubscribeAll) return false;
  if (topic === undefined) return true;
  const own = c.topicPreferences.find((p) => p.TopicName === topic);
  if (own) return own.SubscriptionStatus === 'OPT_IN';
  return topics.find((t) => t.TopicName === topic)?.DefaultSubscriptionStatus !== 'OPT_OUT';
}

/** Preferences after `changes`: a named topic's status replaced, new topics appended (SES merges). */
export function mergePreferences(
  prefs: readonly TopicPreference[],
  changes: readonly TopicPreference[],
): TopicPreference[] {
  const merged = new Map(prefs.map((p) => [p.TopicName, p.SubscriptionStatus]));
  for (const c of changes) merged.set(c.TopicName, c.SubscriptionStatus);
  return [...merged].map(([TopicName, SubscriptionStatus]) => ({ TopicName, SubscriptionStatus }));
}
