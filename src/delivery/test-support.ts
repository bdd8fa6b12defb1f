// Fixtures for the delivery tests: a store with the delivery tables, outbox rows as the send path
// commits them, a config, a silent log and scripted transports.
import { loadConfig } from '../config/config.js';
import { newMessageId } from '../ses/send/message-id.js';
import { insertOutbox, type OutboxMessage } from '../ses/send/outbox.js';
import { openTestStore, type Dialect, type Store } from '../store/database.js';
import type { OutgoingMessage, RecipientOutcome, Transport } from './transports/types.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '111111111111';
export const config = loadConfig({});
export const silentLog = { info() {}, warn() {}, error() {}, debug() {} };

export async function openDeliveryStore(dialect: Dialect): Promise<Store> {
  const store = await openTestStore(dialect);
  return store;
}

export function rawMessage(
  opts: { from?: string; to?: string; subject?: string; body?: string; messageId?: string } = {},
): Buffer {
  return Buffer.from(
    [
      `Message-ID: <${opts.messageId ?? 'x'}@us-east-1.amazonses.com>`,
      'Date: Sat, 28 Nov 2026 12:00:00 +0000',
      `From: Sender <${opts.from ?? 'sender@example.com'}>`,
      `To: ${opts.to ?? 'rcpt@example.net'}`,
      `Subject: ${opts.subject ?? 'Hello'}`,
      'Return-Path: <caller-supplied@example.com>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      opts.body ?? 'Body line one.\r\n.leading dot\r\nlast line',
      '',
    ].join('\r\n'),
  );
}

export function outboxMessage(recipients: string[], over: Partial<OutboxMessage> = {}): OutboxMessage {
  const createdAt = over.createdAt ?? new Date();
  const messageId = over.messageId ?? newMessageId(createdAt);
  return {
    messageId,
    accountId: ACCOUNT,
    region: REGION,
    principalArn: `arn:aws:iam::${ACCOUNT}:user/alice`,
    source: 'sender@example.com',
    fromAddress: 'sender@example.com',
    sourceArn: `arn:aws:ses:${REGION}:${ACCOUNT}:identity/example.com`,
    recipients,
    raw: rawMessage({ messageId, to: recipients.join(', ') }),
    tags: [{ Name: 'campaign', Value: 'c1' }],
    apiVersion: '2',
    operation: 'SendEmail',
    createdAt,
    ...over,
  };
}

export async function enqueue(
  store: Store,
  recipients: string[],
  over: Partial<OutboxMessage> = {},
): Promise<string> {
  const m = outboxMessage(recipients, over);
  await insertOutbox(store, [m]);
  return m.messageId;
}

/** A transport answering from a script: per recipient, a function of the attempt number. */
export function scriptedTransport(
  answer: (recipient: string, call: number) => RecipientOutcome['kind'] | 'temp' | 'perm' | 'throw',
): Transport & { sent: OutgoingMessage[] } {
  const sent: OutgoingMessage[] = [];
  return {
    name: 'scripted',
    addsReturnPath: false,
    sent,
    async deliver(m) {
      sent.push(m);
      const call = sent.length;
      if (m.recipients.some((r) => answer(r, call) === 'throw'))
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      return m.recipients.map((recipient): RecipientOutcome => {
        const a = answer(recipient, call);
        if (a === 'delivered') return { recipient, kind: 'delivered', smtpResponse: '250 2.0.0 OK queued' };
        const permanent = a === 'perm';
        return {
          recipient,
          kind: 'failed',
          permanent,
          smtpResponse: permanent ? '550 5.1.1 No such user' : '451 4.3.0 Try again later',
          status: permanent ? '5.1.1' : '4.3.0',
        };
      });
    },
  };
}

/** Polls until `check` passes or `ms` elapse. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
