// The default transport: the local mailbox. The message is kept exactly as it would leave, once per
// MessageId (re-delivery after a crash or a lost lease is a no-op).
import type { Store } from '../../store/database.js';
import { insertRows } from '../../store/prepared-insert.js';
import type { CapturedMessageRow } from '../../store/schema/delivery.js';
import { batchedOnSqlite } from '../../store/write-batch.js';
import { decodeHeaders, searchText } from '../decoded-headers.js';
import { mailArrived } from '../mailbox-arrivals.js';
import type { Deliver, DeliveryWrite, OutgoingMessage, Transport } from './types.js';

export const CAPTURE_RESPONSE = '250 2.0.0 OK (captured by Sesame)';

export interface CaptureOptions {
  now?: () => Date;
}

export function captureTransport(store: Store, opts: CaptureOptions = {}): Transport {
  const now = opts.now ?? (() => new Date());
  // The row is made here, outside any transaction: a message whose headers cannot be read fails
  // its attempt as a temporary failure, not the settling transaction.
  const write = (m: OutgoingMessage): DeliveryWrite => {
    const row = capturedRow({ ...m, kind: 'outbound', captureId: m.messageId }, now());
    return {
      outcomes: m.recipients.map((recipient) => ({
        recipient,
        kind: 'delivered',
        smtpResponse: CAPTURE_RESPONSE,
      })),
      write: (tx) => insertCaptured(tx, row),
    };
  };
  const deliver: Deliver = async (m) => {
    const d = write(m);
    await batchedOnSqlite(store, 'statement', d.write);
    mailArrived(store);
    return d.outcomes;
  };
  deliver.asWrite = async (m) => write(m);
  return { name: 'capture', addsReturnPath: true, deliver };
}

export interface Captured extends OutgoingMessage {
  kind: 'outbound' | 'auto-reply' | 'inbound' | 'simulated';
  captureId: string;
  /** Simulated mail: the mailbox simulator's outcome per recipient. */
  outcomes?: Record<string, string>;
}

/**
 * Inserts a captured message unless one with that capture id exists. Within a transaction, the
 * caller tells waiters (mailArrived) once it commits.
 */
export async function storeCaptured(store: Store, m: Captured, at: Date): Promise<void> {
  await insertCaptured(store, capturedRow(m, at));
}

/** The mailbox's row for a captured message: its headers decoded for listing and search. */
export function capturedRow(m: Captured, at: Date): CapturedMessageRow {
  const h = decodeHeaders(m.raw);
  return {
    capture_id: m.captureId,
    message_id: m.messageId,
    kind: m.kind,
    account_id: m.accountId,
    region: m.region,
    principal_arn: m.principalArn,
    mail_from: m.mailFrom,
    from_address: m.fromAddress ?? null,
    from_name: h.fromName ?? null,
    recipients: JSON.stringify(m.recipients),
    subject: h.subject ?? null,
    search_text: searchText(h, m.fromAddress, m.recipients),
    outcomes: m.outcomes ? JSON.stringify(m.outcomes) : null,
    raw: m.raw,
    size: m.raw.length,
    created_at: m.createdAt.getTime(),
    delivered_at: at.getTime(),
  };
}

async function insertCaptured(store: Store, row: CapturedMessageRow): Promise<void> {
  await insertRows(store, 'captured_messages', [row], { conflictDoNothing: 'capture_id', folded: true });
}
