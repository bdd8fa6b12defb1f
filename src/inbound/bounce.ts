// The Bounce action (and the bounce of a message an action cannot take): a real delivery status
// notification (RFC 3464: multipart/report with the human text, message/delivery-status and the
// original headers) to the envelope sender, From the action's Sender, written to the outbox in the
// step's transaction so the delivery pipeline sends it like any other message (DKIM-signed when the
// sender's domain signs; the capture transport keeps it in the mailbox). Never to the null sender.
import { createHash } from 'node:crypto';
import { messageIdHeader, rfc5322Date } from '../ses/send/message-id.js';
import { insertOutbox, type OutboxMessage } from '../ses/send/outbox.js';
import { splitHeaders } from '../ses/send/mime-headers.js';
import type { Store } from '../store/database.js';
import { inboundHost } from './receive.js';

export interface BounceSpec {
  /** The inbound message (its id seeds the DSN's id: a step run twice sends one DSN). */
  inboundId: string;
  step: string;
  accountId: string;
  region: string;
  sender: string;
  /** The envelope sender of the received message: where the DSN goes. */
  to: string;
  recipients: string[];
  smtpReplyCode: string;
  statusCode?: string;
  message: string;
  original: Buffer;
  receivedAt: Date;
  now: Date;
}

/** A MessageId in SES's format, fixed by the seed. */
function seededMessageId(seed: string, at: Date): string {
  const h = createHash('sha256').update(seed).digest('hex');
  const ms = (Math.max(0, Math.floor(at.getTime())) % 2 ** 48).toString(16).padStart(12, '0');
  return `0100${ms}-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}-000000`;
}

/** The enhanced status: the action's, else the class of its reply code (5.0.0 / 4.0.0). */
export function bounceStatus(smtpReplyCode: string, statusCode: string | undefined): string {
  if (statusCode && /^[245]\.\d{1,3}\.\d{1,3}$/.test(statusCode)) return statusCode;
  return smtpReplyCode.startsWith('4') ? '4.0.0' : '5.0.0';
}

export function composeDsn(b: BounceSpec, messageId: string): Buffer {
  const eol = '\r\n';
  const boundary = `dsn_${createHash('sha256').update(messageId).digest('hex').slice(0, 24)}`;
  const split = splitHeaders(b.original);
  const originalHeaders = b.original.subarray(0, split.bodyOffset).toString('utf8').replace(/\r?\n/g, eol);
  const status = bounceStatus(b.smtpReplyCode, b.statusCode);
  const perRecipient = b.recipients.flatMap((r) => [
    `Final-Recipient: rfc822; ${r}`,
    'Action: failed',
    `Status: ${status}`,
    `Diagnostic-Code: smtp; ${b.smtpReplyCode}${b.statusCode ? ` ${b.statusCode}` : ''} ${b.message}`.replace(
      /[\r\n]+/g,
      ' ',
    ),
    `Last-Attempt-Date: ${rfc5322Date(b.now)}`,
    '',
  ]);
  return Buffer.from(
    [
      `From: ${b.sender}`,
      `To: ${b.to}`,
      'Subject: Delivery Status Notification (Failure)',
      `Date: ${rfc5322Date(b.now)}`,
      `Message-ID: ${messageIdHeader(messageId, b.region)}`,
      'MIME-Version: 1.0',
      'Auto-Submitted: auto-replied',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      b.message,
      '',
      `--${boundary}`,
      'Content-Type: message/delivery-status',
      '',
      `Reporting-MTA: dns; ${inboundHost(b.region)}`,
      `Arrival-Date: ${rfc5322Date(b.receivedAt)}`,
      '',
      ...perRecipient,
      `--${boundary}`,
      'Content-Type: text/rfc822-headers',
      '',
      originalHeaders.trimEnd(),
      '',
      `--${boundary}--`,
      '',
    ].join(eol),
  );
}

/** Writes the DSN to the outbox with `tx`; returns its MessageId. */
export async function queueDsn(tx: Store, b: BounceSpec): Promise<string> {
  const messageId = seededMessageId(`${b.inboundId}/${b.step}`, b.now);
  const m: OutboxMessage = {
    messageId,
    accountId: b.accountId,
    region: b.region,
    principalArn: 'ses.amazonaws.com',
    source: b.sender,
    fromAddress: b.sender,
    recipients: [b.to],
    raw: composeDsn(b, messageId),
    tags: [],
    apiVersion: '1',
    operation: 'ReceiptRuleBounce',
    createdAt: b.now,
  };
  const exists = await tx.db
    .selectFrom('outbox')
    .select('message_id')
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  if (!exists) await insertOutbox(tx, [m]);
  return messageId;
}
