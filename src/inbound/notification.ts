// What receipt actions publish, in SES's receiving shapes: the `mail` object (the message as
// received: envelope sender, SES's message id, the recipients of its To/Cc headers, every header in
// order), the `receipt` object (recipients the rule matched, the five verdicts, the action), the SNS
// notification (`notificationType: "Received"`, `content` only for SNS actions) and the Lambda event
// (`Records[].ses {mail, receipt}`).
import { parseAddressList } from '../ses/send/address.js';
import { firstHeader, splitHeaders } from '../ses/send/mime-headers.js';
import { headerList, splitAddressList } from '../delivery/mail-object.js';
import type { Verdicts, VerdictStatus } from './verdicts.js';

/** The SNS Subject of receipt notifications. */
export const RECEIPT_SUBJECT = 'Amazon SES Email Receipt Notification';

export interface ReceivedMail {
  timestamp: string;
  source: string;
  messageId: string;
  destination: string[];
  headersTruncated: boolean;
  headers: { name: string; value: string }[];
  commonHeaders: Record<string, unknown>;
}

function commonHeaders(first: (name: string) => string | undefined): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  const list = (name: string) => {
    const v = first(name);
    return v === undefined ? undefined : splitAddressList(v);
  };
  const bare = (v: string | undefined) => v?.trim().replace(/^<|>$/g, '');
  const put = (key: string, v: unknown) => {
    if (v !== undefined) c[key] = v;
  };
  put('returnPath', bare(first('return-path')));
  put('from', list('from'));
  put('sender', bare(first('sender')));
  put('replyTo', list('reply-to'));
  put('date', first('date'));
  put('to', list('to'));
  put('cc', list('cc'));
  put('messageId', first('message-id'));
  put('subject', first('subject'));
  return c;
}

export function receivedMail(
  raw: Buffer,
  o: { messageId: string; mailFrom: string; receivedAt: Date },
): ReceivedMail {
  const { fields } = splitHeaders(raw);
  const { headers, headersTruncated } = headerList(fields);
  const first = (name: string) => firstHeader(fields, name);
  const destination = [first('to'), first('cc')]
    .filter((v): v is string => v !== undefined)
    .flatMap((v) => parseAddressList(v).map((m) => m.address));
  return {
    timestamp: o.receivedAt.toISOString(),
    source: o.mailFrom,
    messageId: o.messageId,
    destination,
    headersTruncated,
    headers,
    commonHeaders: commonHeaders(first),
  };
}

export interface ReceiptInput {
  receivedAt: Date;
  /** When the action ran (processingTimeMillis counts from receipt). */
  at: Date;
  recipients: string[];
  verdicts: Verdicts;
  /** The rule's ScanEnabled: without it the spam and virus verdicts read DISABLED. */
  scanEnabled: boolean;
  action: Record<string, unknown>;
}

export function receiptObject(r: ReceiptInput): Record<string, unknown> {
  const scanned = (v: VerdictStatus | undefined) => ({ status: r.scanEnabled && v ? v : 'DISABLED' });
  return {
    timestamp: r.receivedAt.toISOString(),
    processingTimeMillis: Math.max(0, r.at.getTime() - r.receivedAt.getTime()),
    recipients: r.recipients,
    spamVerdict: scanned(r.verdicts.spam),
    virusVerdict: scanned(r.verdicts.virus),
    spfVerdict: { status: r.verdicts.spf },
    dkimVerdict: { status: r.verdicts.dkim },
    dmarcVerdict: { status: r.verdicts.dmarc },
    ...(r.verdicts.dmarcPolicy ? { dmarcPolicy: r.verdicts.dmarcPolicy } : {}),
    action: r.action,
  };
}

export const receivedNotification = (
  mail: ReceivedMail,
  receipt: Record<string, unknown>,
  content?: string,
): Record<string, unknown> => ({
  notificationType: 'Received',
  mail,
  receipt,
  ...(content !== undefined ? { content } : {}),
});

export const lambdaEvent = (mail: ReceivedMail, receipt: Record<string, unknown>) => ({
  Records: [{ eventSource: 'aws:ses', eventVersion: '1.0', ses: { mail, receipt } }],
});
