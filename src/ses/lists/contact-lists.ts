// Contact lists as stored: one per account and region (SES's limit, enforced by the table's key).
import type { Store } from '../../store/database.js';
import type { SesContactListRow } from '../../store/schema/lists.js';
import { readJson, type Tag } from '../state/json.js';
import type { Topic } from './topics.js';

export interface ContactList {
  name: string;
  description?: string;
  topics: Topic[];
  tags: Tag[];
  createdAt: Date;
  updatedAt: Date;
}

export function toContactList(row: SesContactListRow): ContactList {
  const list: ContactList = {
    name: row.name,
    topics: readJson<Topic[]>(row.topics, []),
    tags: readJson<Tag[]>(row.tags, []),
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
  if (row.description !== null) list.description = row.description;
  return list;
}

/** The list of that name in (account, region), or undefined. */
export async function getContactList(
  store: Store,
  accountId: string,
  region: string,
  name: string,
): Promise<ContactList | undefined> {
  const row = await store.db
    .selectFrom('ses_contact_lists')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? toContactList(row) : undefined;
}

/** The account's lists (at most one), by name after `after`. */
export async function listContactLists(
  store: Store,
  accountId: string,
  region: string,
  opts: { after?: string; limit: number },
): Promise<ContactList[]> {
  let q = store.db
    .selectFrom('ses_contact_lists')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region);
  if (opts.after !== undefined) q = q.where('name', '>', opts.after);
  const rows = await q.orderBy('name').limit(opts.limit).execute();
  return rows.map(toContactList);
}

/** False when the account already has a list in this region (whatever its name). */
export async function insertContactList(
  store: Store,
  accountId: string,
  region: string,
  list: { name: string; description?: string; topics: Topic[]; tags: Tag[] },
  now: Date,
): Promise<boolean> {
  const res = await store.db
    .insertInto('ses_contact_lists')
    .values({
      account_id: accountId,
      region,
      name: list.name,
      description: list.description ?? null,
      topics: JSON.stringify(list.topics),
      tags: JSON.stringify(list.tags),
      created_at: now.getTime(),
      updated_at: now.getTime(),
    })
    .onConflict((oc) => oc.columns(['account_id', 'region']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Replaces description and topics (UpdateContactList is a complete replacement); false when absent. */
export async function updateContactList(
  store: Store,
  accountId: string,
  region: string,
  name: string,
  content: { description?: string; topics: Topic[] },
  now: Date,
): Promise<boolean> {
  const res = await store.db
    .updateTable('ses_contact_lists')
    .set({
      description: content.description ?? null,
      topics: JSON.stringify(content.topics),
      updated_at: now.getTime(),
    })
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Deletes the list and every contact on it; false when absent. */
export async function deleteContactList(
  store: Store,
  accountId: string,
  region: string,
  name: string,
): Promise<boolean> {
  return store.db.transaction().execute(async (trx) => {
    const res = await trx
      .deleteFrom('ses_contact_lists')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) return false;
    await trx
      .deleteFrom('ses_contacts')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('list_name', '=', name)
      .execute();
    return true;
  });
}
