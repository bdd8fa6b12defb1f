// What the mailbox keeps of mail to the mailbox simulator: the message as it would have left (kind
// `simulated`, each recipient's outcome), and the out-of-office replies of `ooto@` (kind
// `auto-reply`). Written in the attempt's transaction; idempotent by capture id.
import { messageIdHeader, rfc5322Date } from '../ses/send/message-id.js';
import type { Store } from '../store/database.js';
import type { OutboxRow } from '../store/schema/outbox.js';
import type { MailObject } from './mail-object.js';
import type { SimulatedOutcome } from './simulator.js';
import { storeCaptured } from './transports/capture.js';

function autoReply(row: OutboxRow, mail: MailObject, recipient: string, at: Date): Buffer {
  const subject = (mail.commonHeaders.subject as string | undefined) ?? '';
  const lines = [
    `From: ${recipient}`,
    `To: ${row.source}`,
    `Subject: Out of the office: ${subject}`.replace(/[\r\n]+/g, ' '),
    `Date: ${rfc5322Date(at)}`,
    `Message-ID: <${row.message_id}.ooto@simulator.amazonses.com>`,
    `In-Reply-To: ${messageIdHeader(row.message_id, row.region)}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'This is an automatic reply from the Amazon SES mailbox simulator: the recipient is out of the office.',
    '',
  ];
  return Buffer.from(lines.join('\r\n'));
}

export interface SimulatorMail {
  /** The message as it would leave (Return-Path, DKIM), when it had simulator recipients. */
  copy: { mailFrom: string; raw: Buffer } | undefined;
  outcomes: Record<string, SimulatedOutcome>;
  /** `ooto@` recipients: each sends an auto-reply back. */
  ooto: readonly string[];
}

export async function captureSimulatorMail(
  tx: Store,
  row: OutboxRow,
  mail: MailObject,
  m: SimulatorMail,
  now: Date,
): Promise<void> {
  const base = {
    messageId: row.message_id,
    accountId: row.account_id,
    region: row.region,
    principalArn: row.principal_arn,
    createdAt: new Date(Number(row.created_at)),
  };
  if (m.copy)
    await storeCaptured(
      tx,
      {
        ...base,
        kind: 'simulated',
        captureId: `${row.message_id}:simulated`,
        mailFrom: m.copy.mailFrom,
        ...(row.from_address ? { fromAddress: row.from_address } : {}),
        recipients: Object.keys(m.outcomes),
        outcomes: m.outcomes,
        raw: m.copy.raw,
      },
      now,
    );
  for (const r of m.ooto)
    await storeCaptured(
      tx,
      {
        ...base,
        kind: 'auto-reply',
        captureId: `${row.message_id}:auto-reply:${r.toLowerCase()}`,
        mailFrom: '',
        fromAddress: r,
        recipients: [row.source],
        raw: autoReply(row, mail, r, now),
      },
      now,
    );
}
