// Receipt notifications and asynchronous Lambda invocations leave through event publishing's queue
// (delivery/publishing): rows written in the step's transaction, so a notification goes out if and
// only if its action is recorded as run, POSTed with the signature header and retried there. Row
// ids are fixed per (message, action, target, URL): a step run again after a crash adds nothing.
import { createHash } from 'node:crypto';
import { snsEnvelope } from '../delivery/publishing/index.js';
import type { Store } from '../store/database.js';
import type { EventPublicationRow } from '../store/schema/publishing.js';
import { RECEIPT_SUBJECT } from './notification.js';

export interface PublicationScope {
  messageId: string;
  accountId: string;
  /** Names the action within the message: `rule/index/member`. */
  step: string;
  now: Date;
}

function row(
  s: PublicationScope,
  kind: string,
  target: string,
  url: string,
  body: string,
): EventPublicationRow {
  const eventId = `${s.messageId}/${s.step}`;
  return {
    publication_id: createHash('sha256').update(`${eventId}\n${kind}\n${target}\n${url}`).digest('base64url'),
    event_id: eventId,
    message_id: s.messageId,
    account_id: s.accountId,
    kind,
    target,
    url,
    body,
    attempts: 0,
    next_attempt_at: s.now.getTime(),
    lease_until: 0,
    last_error: null,
    created_at: s.now.getTime(),
  };
}

/** One SNS notification per subscriber URL of the topic (none when the topic has no subscriber). */
export function snsPublications(
  s: PublicationScope,
  subscribers: ReadonlyMap<string, readonly string[]>,
  topicArn: string,
  /** Built only when the topic has subscribers. */
  notification: () => object,
): EventPublicationRow[] {
  const urls = subscribers.get(topicArn) ?? [];
  if (urls.length === 0) return [];
  const body = JSON.stringify(snsEnvelope(topicArn, notification(), s.now, RECEIPT_SUBJECT));
  return urls.map((url) => row(s, 'sns', topicArn, url, body));
}

/** An `Event` invocation: the event POSTed to the function's URL, retried by the publisher. */
export function lambdaPublication(s: PublicationScope, functionArn: string, url: string, event: object) {
  return row(s, 'lambda', functionArn, url, JSON.stringify(event));
}

export async function insertPublications(tx: Store, rows: readonly EventPublicationRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.db
    .insertInto('event_publications')
    .values([...rows])
    .onConflict((oc) => oc.column('publication_id').doNothing())
    .execute();
}
