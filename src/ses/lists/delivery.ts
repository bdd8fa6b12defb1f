// At delivery, for a message sent with ListManagementOptions: which recipients no longer want it
// (unsubscribed from all, or from its topic by preference or by the topic's default). SES bounces
// those; read at each attempt, so an unsubscribe counts from the moment it is made.
import type { BouncedRecipient } from '../../delivery/events.js';
import type { Store } from '../../store/database.js';
import type { OutboxRow } from '../../store/schema/outbox.js';
import { readJson } from '../state/json.js';
import type { ListManagement } from '../send/send-request.js';
import { getContactList } from './contact-lists.js';
import { emailKey } from './contacts.js';
import { isSubscribed, type TopicPreference } from './topics.js';

/** The recipients (as given) the list says not to mail, and the bounce each gets; undefined without a list. */
export async function listOptOuts(
  store: Store,
  row: Pick<OutboxRow, 'account_id' | 'region' | 'list_management'>,
  recipients: readonly string[],
): Promise<{ has(r: string): boolean; bounce(r: string): BouncedRecipient } | undefined> {
  const opts = readJson<ListManagement | undefined>(row.list_management, undefined);
  if (!opts) return undefined;
  const out = await unsubscribedRecipients(store, row.account_id, row.region, opts, recipients);
  const diagnosticCode = unsubscribedDiagnostic(opts);
  return {
    has: (r) => out.has(r),
    bounce: (r) => ({ emailAddress: r, action: 'failed', status: '5.7.1', diagnosticCode }),
  };
}

async function unsubscribedRecipients(
  store: Store,
  accountId: string,
  region: string,
  opts: ListManagement,
  recipients: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  if (recipients.length === 0) return out;
  const list = await getContactList(store, accountId, region, opts.ContactListName);
  if (!list) return out;
  const rows = await store.db
    .selectFrom('ses_contacts')
    .select(['email_key', 'topic_preferences', 'unsubscribe_all'])
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('list_name', '=', list.name)
    .where('email_key', 'in', [...new Set(recipients.map(emailKey))])
    .execute();
  const byKey = new Map(rows.map((r) => [r.email_key, r]));
  for (const r of recipients) {
    const row = byKey.get(emailKey(r));
    const contact = {
      topicPreferences: readJson<TopicPreference[]>(row?.topic_preferences, []),
      unsubscribeAll: Number(row?.unsubscribe_all ?? 0) === 1,
    };
    if (!isSubscribed(contact, list.topics, opts.TopicName)) out.add(r);
  }
  return out;
}

/** The bounce SES records for such a recipient [INF: the sub-type and wording are not published]. */
export const UNSUBSCRIBED_SUBTYPE = 'UnsubscribedRecipient';
const unsubscribedDiagnostic = (o: ListManagement) =>
  'Amazon SES did not send the message to this address because the recipient unsubscribed from ' +
  (o.TopicName !== undefined
    ? `topic ${o.TopicName} of contact list ${o.ContactListName}.`
    : `contact list ${o.ContactListName}.`);
