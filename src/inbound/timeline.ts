// What happened to one received message: how it arrived (peer, HELO, TLS), its verdicts, the rule
// set and rules it matched, and every action in order with SES's outcome words (the trace), as
// the mailbox API's GetMessageTimeline shows it for messages of kind `inbound`.
import type { Store } from '../store/database.js';
import type { InboundStatus } from '../store/schema/receiving.js';
import type { TraceEntry } from './run.js';
import type { Verdicts } from './verdicts.js';

export interface InboundTimeline {
  messageId: string;
  receivedAt: Date;
  mailFrom: string;
  recipients: string[];
  remoteIp: string;
  helo: string;
  tls: boolean;
  ruleSet: string;
  verdicts: Verdicts;
  status: InboundStatus;
  nextAttemptAt?: Date;
  finishedAt?: Date;
  lastError?: string;
  trace: TraceEntry[];
}

export async function inboundTimeline(
  store: Store,
  accountId: string,
  messageId: string,
): Promise<InboundTimeline | undefined> {
  const r = await store.db
    .selectFrom('inbound_messages')
    .selectAll()
    .where('message_id', '=', messageId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!r) return undefined;
  const t: InboundTimeline = {
    messageId: r.message_id,
    receivedAt: new Date(Number(r.received_at)),
    mailFrom: r.mail_from,
    recipients: JSON.parse(r.recipients) as string[],
    remoteIp: r.remote_ip,
    helo: r.helo,
    tls: Number(r.tls) === 1,
    ruleSet: r.rule_set,
    verdicts: JSON.parse(r.verdicts) as Verdicts,
    status: r.status,
    trace: JSON.parse(r.trace) as TraceEntry[],
  };
  if (r.status === 'queued') t.nextAttemptAt = new Date(Number(r.next_attempt_at));
  if (r.finished_at !== null) t.finishedAt = new Date(Number(r.finished_at));
  if (r.last_error) t.lastError = r.last_error;
  return t;
}
