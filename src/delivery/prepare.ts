// The message as it leaves: SES already stamped Message-ID and Date at acceptance (docs/spec/ses.md §1.3); here
// any caller Return-Path goes, the envelope sender becomes SES's anonymised bounce address (in the
// custom MAIL FROM domain when one is verified), the final mailbox gets that as Return-Path, and
// DKIM-enabled domains sign.
import { rebuildMessage, splitHeaders } from '../ses/send/mime-headers.js';
import type { OutboxRow } from '../store/schema/outbox.js';
import { signDkim, type SigningKey } from './dkim-signature.js';

/**
 * SES's per-message bounce address, e.g. `0100018c…-000000@amazonses.com` [OBS], or in the
 * identity's custom MAIL FROM domain once that is verified.
 */
export function bounceAddress(messageId: string, region: string, mailFromDomain?: string): string {
  return `${messageId}@${mailFromDomain ?? `${region === 'us-east-1' ? '' : `${region}.`}amazonses.com`}`;
}

export async function prepareMessage(
  row: Pick<OutboxRow, 'raw' | 'message_id' | 'region'>,
  opts: { returnPath: boolean; dkim?: SigningKey; now?: Date; mailFromDomain?: string },
): Promise<{ mailFrom: string; raw: Buffer }> {
  const mailFrom = bounceAddress(row.message_id, row.region, opts.mailFromDomain);
  const raw = Buffer.from(row.raw);
  const split = splitHeaders(raw);
  let out = rebuildMessage(raw, split, (f) => /^return-path$/i.test(f.name));
  if (opts.dkim) out = await signDkim(out, opts.dkim, opts.now ?? new Date());
  if (opts.returnPath) out = Buffer.concat([Buffer.from(`Return-Path: <${mailFrom}>${split.eol}`), out]);
  return { mailFrom, raw: out };
}
