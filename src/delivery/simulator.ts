// The mailbox simulator (spec §5.2): addresses on simulator.amazonses.com never reach a network;
// their outcome is decided by the local part (before any +label).
import { isSimulatorAddress } from '../ses/send/address.js';
import { messageIdHeader, rfc5322Date } from '../ses/send/message-id.js';
import type { OutboxRow } from '../store/schema/outbox.js';
import type { MailObject } from './mail-object.js';

export type SimulatorScenario = 'success' | 'bounce' | 'ooto' | 'complaint' | 'suppressionlist';

const SCENARIOS: readonly SimulatorScenario[] = ['success', 'bounce', 'ooto', 'complaint', 'suppressionlist'];

/**
 * The scenario of a simulator address; undefined for other addresses. An unknown local part on the
 * simulator domain behaves as an unknown user there: a bounce [INF].
 */
export function simulatorScenario(address: string): SimulatorScenario | undefined {
  if (!isSimulatorAddress(address)) return undefined;
  const local = address.slice(0, address.lastIndexOf('@')).toLowerCase();
  const base = local.split('+')[0] ?? local;
  return (SCENARIOS as readonly string[]).includes(base) ? (base as SimulatorScenario) : 'bounce';
}

export const SIMULATOR_MTA = 'dsn; smtp.simulator.amazonses.com';
export const SIMULATOR_USER_AGENT = 'Amazon SES Mailbox Simulator';

/** The out-of-office reply an `ooto` address sends back to the message's feedback address. */
export function autoReply(row: OutboxRow, mail: MailObject, recipient: string, at: Date): Buffer {
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
