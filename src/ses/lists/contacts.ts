// Contacts of a contact list as stored, keyed by the lower-cased address (one contact per mailbox).
import type { Store } from '../../store/database.js';
import type { SesContactRow } from '../../store/schema/lists.js';
import { readJson } from '../state/json.js';
import type { ContactPreferences, TopicPreference } from './topics.js';

export interface Contact extends ContactPreferences {
  emailAddress: string;
  attributesData?: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ContactKey {
  accountId: string;
  region: string;
  listName: string;
}

export const emailKey = (email: string): string => email.trim().toLowerCase();

function toContact(row: SesContactRow): Contact {
  const c: Contact = {
    emailAddress: row.email_address,
    topicPreferences: readJson<TopicPreference[]>(row.topic_preferences, []),
    unsubscribeAll: Number(row.unsubscribe_all) === 1,
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
  if (row.attributes_data !== null) c.attributesData = row.attributes_data;
  return c;
}

const where = (k: ContactKey) => ({ account_id: k.accountId, region: k.region, list_name: k.listName });
const one = (k: ContactKey, email: string) => ({ ...where(k), email_key: emailKey(email) });

export async function getContact(store: Store, k: ContactKey, email: string): Promise<Contact | undefined> {
  const row = await store.db
    .selectFrom('ses_contacts')
    .selectAll()
    .where((eb) => eb.and(one(k, email)))
    .executeTakeFirst();
  return row ? toContact(row) : undefined;
}

export interface NewContact extends ContactPreferences {
  emailAddress: string;
  attributesData?: string;
}

/** A new contact as stored. */
const contactRow = (k: ContactKey, c: NewContact, now: Date) => ({
  ...where(k),
  email_key: emailKey(c.emailAddress),
  email_address: c.emailAddress,
  topic_preferences: JSON.stringify(c.topicPreferences),
  unsubscribe_all: c.unsubscribeAll ? 1 : 0,
  attributes_data: c.attributesData ?? null,
  created_at: now.getTime(),
  updated_at: now.getTime(),
});

/** Inserts the contacts that do not exist yet; returns how many were new. */
export async function insertContacts(
  store: Store,
  k: ContactKey,
  contacts: readonly NewContact[],
  now: Date,
): Promise<number> {
  if (contacts.length === 0) return 0;
  const res = await store.db
    .insertInto('ses_contacts')
    .values(contacts.map((c) => contactRow(k, c, now)))
    .onConflict((oc) => oc.columns(['account_id', 'region', 'list_name', 'email_key']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0);
}

/** Writes the contact's preferences and data; false when it does not exist. */
export async function updateContact(
  store: Store,
  k: ContactKey,
  email: string,
  c: ContactPreferences & { attributesData?: string | null },
  now: Date,
): Promise<boolean> {
  const res = await store.db
    .updateTable('ses_contacts')
    .set({
      topic_preferences: JSON.stringify(c.topicPreferences),
      unsubscribe_all: c.unsubscribeAll ? 1 : 0,
      ...(c.attributesData !== undefined ? { attributes_data: c.attributesData } : {}),
      updated_at: now.getTime(),
    })
    .where((eb) => eb.and(one(k, email)))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/**
 * Writes many contacts at once (import jobs): new ones are added, existing ones take the given
 * preferences, UnsubscribeAll and attributes (their creation time stays); a repeated address: the
 * last one wins.
 */
export async function putContacts(
  store: Store,
  k: ContactKey,
  contacts: readonly NewContact[],
  now: Date,
): Promise<void> {
  const byKey = new Map(contacts.map((c) => [emailKey(c.emailAddress), c]));
  if (byKey.size === 0) return;
  await store.db
    .insertInto('ses_contacts')
    .values([...byKey.values()].map((c) => contactRow(k, c, now)))
    .onConflict((oc) =>
      oc.columns(['account_id', 'region', 'list_name', 'email_key']).doUpdateSet((eb) => ({
        topic_preferences: eb.ref('excluded.topic_preferences'),
        unsubscribe_all: eb.ref('excluded.unsubscribe_all'),
        attributes_data: eb.ref('excluded.attributes_data'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** Removes many contacts at once (import jobs); addresses not on the list are no error. */
export async function deleteContacts(store: Store, k: ContactKey, emails: readonly string[]): Promise<void> {
  if (emails.length === 0) return;
  await store.db
    .deleteFrom('ses_contacts')
    .where((eb) => eb.and(where(k)))
    .where('email_key', 'in', [...new Set(emails.map(emailKey))])
    .execute();
}

export async function deleteContact(store: Store, k: ContactKey, email: string): Promise<boolean> {
  const res = await store.db
    .deleteFrom('ses_contacts')
    .where((eb) => eb.and(one(k, email)))
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Contacts in address order after `after` (an email key), `limit` of them. */
export async function scanContacts(
  store: Store,
  k: ContactKey,
  opts: { after?: string; limit: number },
): Promise<(Contact & { key: string })[]> {
  let q = store.db
    .selectFrom('ses_contacts')
    .selectAll()
    .where((eb) => eb.and(where(k)));
  if (opts.after !== undefined) q = q.where('email_key', '>', opts.after);
  const rows = await q.orderBy('email_key').limit(opts.limit).execute();
  return rows.map((r) => ({ ...toContact(r), key: r.email_key }));
}
