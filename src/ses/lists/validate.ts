// Input rules of the contact-list operations, with SES's wording as probes of AWS reported it
// (third-party compatibility tests run against real SES v2); where none did, marked [INF].
import { badRequest, notFound } from '../errors.js';
import { isValidEmailAddress } from '../state/identity-names.js';
import type { Topic, TopicPreference } from './topics.js';

export const MAX_TOPICS = 20;
const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_DESCRIPTION = 500;
const MAX_DISPLAY_NAME = 128;

export const listTexts = {
  listNotFound: (name: string) => `List with name: ${name} doesn't exist.`,
  contactNotFound: (email: string) => `${email} doesn't exist in List.`,
  contactExists: (email: string) => `${email} already exists in List.`,
  oneList: 'A maximum of 1 Lists allowed per account.',
  blankName: "ContactListName can't be blank.",
  badName:
    'ContactListName can contain up to 64 characters. Only alphanumeric characters, underscores(_) and hyphens(-) are allowed.',
  description: `List description can contain up to ${MAX_DESCRIPTION} characters.`,
  tooManyTopics: `Maximum of <${MAX_TOPICS}> topics allowed per ContactList`,
  blankTopic: "TopicName can't be blank.",
  badTopic:
    'TopicName can contain up to 64 characters. Only alphanumeric characters, underscores(_) and hyphens(-) are allowed.',
  displayName: `Topic DisplayName can contain up to <${MAX_DISPLAY_NAME}> characters.`,
  duplicateTopic: 'Duplicate topic names are not allowed within a List.',
  unknownTopic: (list: string, topic: string) => `List: ${list} doesn't contain Topic: ${topic}`,
  blankEmail: "EmailAddress can't be blank.",
  badEmail: (email: string) => `EmailAddress <${email}> is invalid`,
};

export const listNotFound = (name: string) => notFound(listTexts.listNotFound(name));
export const contactNotFound = (email: string) => notFound(listTexts.contactNotFound(email));

export function checkListName(name: string | undefined): string {
  const n = name ?? '';
  if (n.trim() === '') throw badRequest(listTexts.blankName);
  if (!NAME.test(n)) throw badRequest(listTexts.badName);
  return n;
}

/** The list's description and topics, checked in SES's order. */
export function checkListContent(
  description: string | undefined,
  topics: readonly Topic[] | undefined,
): Topic[] {
  if (description !== undefined && description.length > MAX_DESCRIPTION)
    throw badRequest(listTexts.description);
  const list = topics ?? [];
  if (list.length > MAX_TOPICS) throw badRequest(listTexts.tooManyTopics);
  const seen = new Set<string>();
  return list.map((t) => {
    if (t.TopicName.trim() === '') throw badRequest(listTexts.blankTopic);
    if (!NAME.test(t.TopicName)) throw badRequest(listTexts.badTopic);
    if (t.DisplayName.length > MAX_DISPLAY_NAME) throw badRequest(listTexts.displayName);
    if (seen.has(t.TopicName)) throw badRequest(listTexts.duplicateTopic);
    seen.add(t.TopicName);
    return {
      TopicName: t.TopicName,
      DisplayName: t.DisplayName,
      ...(t.Description !== undefined ? { Description: t.Description } : {}),
      DefaultSubscriptionStatus: t.DefaultSubscriptionStatus,
    };
  });
}

export function checkEmail(email: string | undefined): string {
  const e = email ?? '';
  if (e.trim() === '') throw badRequest(listTexts.blankEmail);
  if (!isValidEmailAddress(e)) throw badRequest(listTexts.badEmail(e));
  return e;
}

/** Every preference names a topic of the list. */
export function checkPreferenceTopics(
  list: { name: string; topics: readonly Topic[] },
  prefs: readonly TopicPreference[] | undefined,
): TopicPreference[] {
  const names = new Set(list.topics.map((t) => t.TopicName));
  for (const p of prefs ?? [])
    if (!names.has(p.TopicName)) throw badRequest(listTexts.unknownTopic(list.name, p.TopicName));
  return (prefs ?? []).map((p) => ({ TopicName: p.TopicName, SubscriptionStatus: p.SubscriptionStatus }));
}
