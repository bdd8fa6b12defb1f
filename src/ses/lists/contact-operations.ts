// SES v2 contacts: Create/Get/Update/Delete/ListContact(s), each authorized as `ses:<Operation>` on
// the contact-list ARN (SAR: contact-list*), with the list's tags as aws:ResourceTag/*. Validation
// in SES's order: the address, then the list, then the topics the preferences name.
import type { CallContext, OperationTable } from '../../api/operation.js';
import { alreadyExists } from '../errors.js';
import { pageSize } from '../state/paging.js';
import { encodeNextToken } from '../state/paging.js';
import { afterToken } from '../v2/common.js';
import { onContactList } from '../v2/resources.js';
import type { ContactList } from './contact-lists.js';
import {
  deleteContact,
  getContact,
  insertContacts,
  scanContacts,
  updateContact,
  type Contact,
  type ContactKey,
} from './contacts.js';
import { contactFilter, type ListContactsFilter } from './contact-filter.js';
import { defaultPreferences, explicitPreferences, mergePreferences, type TopicPreference } from './topics.js';
import { checkEmail, checkPreferenceTopics, contactNotFound } from './validate.js';

interface ContactInput {
  ContactListName: string;
  EmailAddress: string;
  TopicPreferences?: TopicPreference[];
  UnsubscribeAll?: boolean;
  AttributesData?: string;
}

const keyOf = (ctx: CallContext, list: ContactList): ContactKey => ({
  accountId: ctx.caller.accountId,
  region: ctx.region,
  listName: list.name,
});

/** The preferences SES shows: the contact's own (for topics the list has) and the list's defaults. */
function preferencesOf(list: ContactList, c: Contact) {
  const own = explicitPreferences(list.topics, c.topicPreferences);
  return { TopicPreferences: own, TopicDefaultPreferences: defaultPreferences(list.topics, own) };
}

const MAX_SCAN = 1000;

export const contactOperations: OperationTable = {
  CreateContact: onContactList<ContactInput>('CreateContact', async (ctx, i, found) => {
    const email = checkEmail(i.EmailAddress);
    const list = await found.existing();
    const prefs = checkPreferenceTopics(list, i.TopicPreferences);
    const added = await insertContacts(
      ctx.store,
      keyOf(ctx, list),
      [
        {
          emailAddress: email,
          topicPreferences: prefs,
          unsubscribeAll: i.UnsubscribeAll === true,
          ...(i.AttributesData !== undefined ? { attributesData: i.AttributesData } : {}),
        },
      ],
      ctx.now,
    );
    if (added === 0) throw alreadyExists(`${email} already exists in List.`);
    return {};
  }),
  GetContact: onContactList<ContactInput>('GetContact', async (ctx, i, found) => {
    const email = checkEmail(i.EmailAddress);
    const list = await found.existing();
    const c = await getContact(ctx.store, keyOf(ctx, list), email);
    if (!c) throw contactNotFound(email);
    return {
      ContactListName: list.name,
      EmailAddress: c.emailAddress,
      ...preferencesOf(list, c),
      UnsubscribeAll: c.unsubscribeAll,
      ...(c.attributesData !== undefined ? { AttributesData: c.attributesData } : {}),
      CreatedTimestamp: c.createdAt,
      LastUpdatedTimestamp: c.updatedAt,
    };
  }),
  // As SES answers it: preferences given are merged by topic (the others kept); UnsubscribeAll and
  // AttributesData are replaced, so leaving them out resets them.
  UpdateContact: onContactList<ContactInput>('UpdateContact', async (ctx, i, found) => {
    const email = checkEmail(i.EmailAddress);
    const list = await found.existing();
    const changes = checkPreferenceTopics(list, i.TopicPreferences);
    const key = keyOf(ctx, list);
    const c = await getContact(ctx.store, key, email);
    if (!c) throw contactNotFound(email);
    const patch = {
      topicPreferences: i.TopicPreferences
        ? mergePreferences(c.topicPreferences, changes)
        : c.topicPreferences,
      unsubscribeAll: i.UnsubscribeAll === true,
      attributesData: i.AttributesData ?? null,
    };
    if (!(await updateContact(ctx.store, key, email, patch, ctx.now))) throw contactNotFound(email);
    return {};
  }),
  DeleteContact: onContactList<ContactInput>('DeleteContact', async (ctx, i, found) => {
    const email = checkEmail(i.EmailAddress);
    const list = await found.existing();
    if (!(await deleteContact(ctx.store, keyOf(ctx, list), email))) throw contactNotFound(email);
    return {};
  }),
  ListContacts: onContactList<{
    ContactListName: string;
    Filter?: ListContactsFilter;
    PageSize?: number;
    NextToken?: string;
  }>('ListContacts', async (ctx, i, found) => {
    let after = afterToken(i.NextToken);
    const list = await found.existing();
    const size = pageSize(i.PageSize, 1000, 1000);
    const keep = contactFilter(list, i.Filter);
    const key = keyOf(ctx, list);
    // Filters are applied while scanning in address order, a batch at a time, until a page is full.
    const page: (Contact & { key: string })[] = [];
    let more = false;
    for (;;) {
      const batch = await scanContacts(ctx.store, key, {
        ...(after !== undefined ? { after } : {}),
        limit: MAX_SCAN,
      });
      for (const c of batch) {
        if (!keep(c)) continue;
        if (page.length === size) {
          more = true;
          break;
        }
        page.push(c);
      }
      if (more || batch.length < MAX_SCAN) break;
      after = batch[batch.length - 1]!.key;
    }
    return {
      Contacts: page.map((c) => ({
        EmailAddress: c.emailAddress,
        ...preferencesOf(list, c),
        UnsubscribeAll: c.unsubscribeAll,
        LastUpdatedTimestamp: c.updatedAt,
      })),
      ...(more ? { NextToken: encodeNextToken(page[page.length - 1]!.key) } : {}),
    };
  }),
};
