// A transport hands a prepared message to the next hop and reports what happened per recipient.
import type { Store } from '../../store/database.js';

export interface OutgoingMessage {
  messageId: string;
  accountId: string;
  region: string;
  principalArn: string;
  /** Envelope sender (MAIL FROM): SES's anonymised bounce address. */
  mailFrom: string;
  fromAddress?: string;
  recipients: string[];
  /** Final bytes (Return-Path/DKIM applied as the transport requires). */
  raw: Buffer;
  createdAt: Date;
  /** A dedicated address of the sending pool to bind the outgoing connection to. */
  localAddress?: string;
}

export type RecipientOutcome =
  | { recipient: string; kind: 'delivered'; smtpResponse: string; remoteMta?: string }
  | {
      recipient: string;
      kind: 'failed';
      /** 5xx: give up now (bounce); otherwise retry later. */
      permanent: boolean;
      smtpResponse: string;
      /** Enhanced status code, e.g. `5.1.1`, `4.4.1`. */
      status: string;
    };

export interface Transport {
  name: 'capture' | 'relay' | 'mx' | string;
  /** Whether the message needs a Return-Path header added (only a final mailbox does). */
  addsReturnPath: boolean;
  deliver: Deliver;
  close?(): Promise<void>;
}

export interface Deliver {
  (message: OutgoingMessage): Promise<RecipientOutcome[]>;
  /**
   * Set by a transport whose delivery is one write to this store (capture): the attempt makes the
   * write in its settling transaction, so the copy, its events and the settle commit together (one
   * commit, not two). Undefined for a message that must take `deliver` instead (loopback receiving
   * of mail a receipt rule here takes). Kept on `deliver` itself so that a wrapper replacing
   * `deliver` (a test's slow transport) is never bypassed unless it offers its own.
   */
  asWrite?: (message: OutgoingMessage) => Promise<DeliveryWrite | undefined>;
}

export interface DeliveryWrite {
  outcomes: RecipientOutcome[];
  write(tx: Store): Promise<void>;
}

const SESSION_ERRORS = new Set([
  'EAUTH',
  'ENOAUTH',
  'ETLS',
  'ECONNECTION',
  'ESOCKET',
  'ETIMEDOUT',
  'EDNS',
  'EPROTOCOL',
]);

/** Outcome for every recipient when the whole attempt failed (connection refused, timeout, ...). */
export function failAll(recipients: readonly string[], err: unknown): RecipientOutcome[] {
  const e = err as { responseCode?: number; response?: string; message?: string; code?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  // A 5xx about the recipient or the message is final; about our own session (AUTH, TLS,
  // connection) it is a local fault to fix and retry, never a reason to bounce.
  const permanent = code !== undefined && code >= 500 && !SESSION_ERRORS.has(e.code ?? '');
  const text = e.response ?? `${code ?? 451} ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`;
  return recipients.map((recipient) => ({
    recipient,
    kind: 'failed' as const,
    permanent,
    smtpResponse: text,
    status: enhancedStatus(text, permanent),
  }));
}

/** The enhanced status code in a reply (`550 5.1.1 …`), or a generic one for its class. */
export function enhancedStatus(reply: string, permanent: boolean): string {
  const m = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply);
  return m?.[1] ?? (permanent ? '5.0.0' : '4.0.0');
}
