// What a list-managed message carries (SES subscription management): `{{amazonSESUnsubscribeUrl}}`
// in its text and HTML replaced by the recipient's preferences page (the first two occurrences in
// each part), and the List-Unsubscribe / List-Unsubscribe-Post (RFC 8058 one-click) headers,
// replacing any the caller set. Only for a message to a single recipient, as SES does.
import type { Config } from '../../config/config.js';
import { rebuildMessage, splitHeaders } from '../send/mime-headers.js';
import { publicBaseUrl } from '../verification/email-link.js';

export const UNSUBSCRIBE_PLACEHOLDER = '{{amazonSESUnsubscribeUrl}}';
const MAX_REPLACEMENTS = 2;

export const unsubscribeUrl = (config: Pick<Config, 'httpHost' | 'httpPort' | 'publicUrl'>, token: string) =>
  `${publicBaseUrl(config)}/unsubscribe/${token}`;

/** The text with the first two placeholders replaced by the URL. */
export function replacePlaceholder(text: string, url: string): string {
  let out = text;
  for (let i = 0, at = 0; i < MAX_REPLACEMENTS; i++) {
    const found = out.indexOf(UNSUBSCRIBE_PLACEHOLDER, at);
    if (found < 0) break;
    out = out.slice(0, found) + url + out.slice(found + UNSUBSCRIBE_PLACEHOLDER.length);
    at = found + url.length;
  }
  return out;
}

/**
 * A raw message's placeholders, replaced where they stand as literal bytes (7bit, 8bit and
 * quoted-printable parts, where the URL's characters need no escaping); base64 parts keep theirs.
 */
export function replaceInRaw(raw: Buffer, url: string): Buffer {
  const needle = Buffer.from(UNSUBSCRIBE_PLACEHOLDER);
  if (raw.indexOf(needle) < 0) return raw;
  return Buffer.from(replacePlaceholder(raw.toString('latin1'), url), 'latin1');
}

/** The message with SES's two unsubscribe headers first and no other of those names. */
export function withUnsubscribeHeaders(raw: Buffer, url: string): Buffer {
  const split = splitHeaders(raw);
  return rebuildMessage(raw, split, (f) => /^list-unsubscribe(-post)?$/i.test(f.name), [
    { name: 'List-Unsubscribe', value: `<${url}>` },
    { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
  ]);
}
