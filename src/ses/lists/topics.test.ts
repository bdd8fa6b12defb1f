import { describe, expect, it } from 'vitest';
import { defaultPreferences, isSubscribed, mergePreferences, type Topic } from './topics.js';

const topics: Topic[] = [
  { TopicName: 'sports', DisplayName: 'Sports', DefaultSubscriptionStatus: 'OPT_IN' },
  { TopicName: 'deals', DisplayName: 'Deals', DefaultSubscriptionStatus: 'OPT_OUT' },
];

describe('topic preferences', () => {
  it('decide by UnsubscribeAll, then the contact’s preference, then the topic’s default', () => {
    const none = { topicPreferences: [], unsubscribeAll: false };
    expect(isSubscribed(none, topics, 'sports')).toBe(true);
    expect(isSubscribed(none, topics, 'deals')).toBe(false);
    expect(isSubscribed(none, topics, undefined)).toBe(true);
    const own = {
      topicPreferences: [{ TopicName: 'deals', SubscriptionStatus: 'OPT_IN' as const }],
      unsubscribeAll: false,
    };
    expect(isSubscribed(own, topics, 'deals')).toBe(true);
    const all = { ...own, unsubscribeAll: true };
    expect(isSubscribed(all, topics, 'deals')).toBe(false);
    expect(isSubscribed(all, topics, undefined)).toBe(false);
  });

  it('merge changes by topic and list defaults for the rest', () => {
    const merged = mergePreferences(
      [
        { TopicName: 'a', SubscriptionStatus: 'OPT_IN' },
        { TopicName: 'b', SubscriptionStatus: 'OPT_IN' },
      ],
      [
        { TopicName: 'b', SubscriptionStatus: 'OPT_OUT' },
        { TopicName: 'c', SubscriptionStatus: 'OPT_IN' },
      ],
    );
    expect(merged).toEqual([
      { TopicName: 'a', SubscriptionStatus: 'OPT_IN' },
      { TopicName: 'b', SubscriptionStatus: 'OPT_OUT' },
      { TopicName: 'c', SubscriptionStatus: 'OPT_IN' },
    ]);
    expect(defaultPreferences(topics, [{ TopicName: 'deals', SubscriptionStatus: 'OPT_IN' }])).toEqual([
      { TopicName: 'sports', SubscriptionStatus: 'OPT_IN' },
    ]);
  });
});
