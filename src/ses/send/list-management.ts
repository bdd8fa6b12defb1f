// The list-management step of a v2 send (ListManagementOptions): the contact list and its topic
// must exist; each message to a single recipient gets its unsubscribe link in place of
// `{{amazonSESUnsubscribeUrl}}` and the List-Unsubscribe headers; the recipients become contacts of
// the list when they are not yet (as SES adds them), in the transaction that commits the send.
// A raw message that carries its sender's DKIM signature is not touched (SES's documented limit).
// Whether a contact still wants the mail is decided at delivery (src/ses/lists/delivery.ts).
import type { CallContext } from '../../api/operation.js';
import { AwsError } from '../../errors/aws-error.js';
import { secretBoxOf } from '../../iam/secrets.js';
import type { Store } from '../../store/database.js';
import { getContactList } from '../lists/contact-lists.js';
import { insertContacts } from '../lists/contacts.js';
import { replaceInRaw, replacePlaceholder, unsubscribeUrl, withUnsubscribeHeaders } from '../lists/links.js';
import { sealUnsubscribeToken } from '../lists/unsubscribe-token.js';
import { listTexts } from '../lists/validate.js';
import type { TemplateContent } from '../state/templates.js';
import { composeMessage } from './compose.js';
import { splitHeaders } from './mime-headers.js';
import type { ListManagement, SendEntry } from './send-request.js';

export interface ListSend {
  /** The entry's message with its unsubscribe link and headers (one recipient) or as it is. */
  message(
    entry: SendEntry,
    messageId: string,
    template: TemplateContent | undefined,
    build: (template: TemplateContent | undefined) => Promise<Buffer>,
  ): Promise<Buffer>;
  /** Adds the accepted messages' recipients as contacts, with the transaction's store. */
  addContacts(tx: Store, accepted: readonly { recipients: string[] }[]): Promise<void>;
}

function substituted(t: TemplateContent | undefined, url: string): TemplateContent | undefined {
  if (!t) return t;
  const out: TemplateContent = { ...t };
  if (t.text !== undefined) out.text = replacePlaceholder(t.text, url);
  if (t.html !== undefined) out.html = replacePlaceholder(t.html, url);
  return out;
}

/** The step for this request; undefined when it names no contact list. */
export async function listSendFor(
  ctx: CallContext,
  opts: ListManagement | undefined,
): Promise<ListSend | undefined> {
  if (!opts) return undefined;
  const accountId = ctx.caller.accountId;
  const list = await getContactList(ctx.store, accountId, ctx.region, opts.ContactListName);
  if (!list) throw new AwsError('NotFoundException', listTexts.listNotFound(opts.ContactListName), 404);
  const topic = opts.TopicName;
  if (topic !== undefined && !list.topics.some((t) => t.TopicName === topic))
    throw new AwsError('BadRequestException', listTexts.unknownTopic(list.name, topic), 400);
  const box = secretBoxOf(ctx.store);
  return {
    async message(entry, messageId, template, build) {
      const [recipient, ...others] = entry.envelopeRecipients;
      const url =
        recipient !== undefined && others.length === 0
          ? unsubscribeUrl(
              ctx.config,
              sealUnsubscribeToken(box, {
                accountId,
                region: ctx.region,
                listName: list.name,
                ...(topic !== undefined ? { topicName: topic } : {}),
                emailAddress: recipient,
                messageId,
              }),
            )
          : undefined;
      let raw: Buffer;
      if (entry.simple && entry.compose) {
        const c = entry.simple;
        raw = await composeMessage(entry.compose, {
          subject: c.subject,
          ...(c.text !== undefined ? { text: url ? replacePlaceholder(c.text, url) : c.text } : {}),
          ...(c.html !== undefined ? { html: url ? replacePlaceholder(c.html, url) : c.html } : {}),
        });
      } else if (entry.message) {
        // A message its sender signed already is left as it is: SES cannot add links to those.
        if (splitHeaders(entry.message).fields.some((f) => /^dkim-signature$/i.test(f.name)))
          return entry.message;
        raw = url ? replaceInRaw(entry.message, url) : entry.message;
      } else raw = await build(url ? substituted(template, url) : template);
      return url ? withUnsubscribeHeaders(raw, url) : raw;
    },
    async addContacts(tx, accepted) {
      const contacts = [...new Set(accepted.flatMap((m) => m.recipients))].map((emailAddress) => ({
        emailAddress,
        topicPreferences: [],
        unsubscribeAll: false,
      }));
      await insertContacts(tx, { accountId, region: ctx.region, listName: list.name }, contacts, ctx.now);
    },
  };
}
