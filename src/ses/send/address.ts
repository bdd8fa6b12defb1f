// RFC 5322 mailboxes as SES reads them (docs/spec/ses.md §1.3): the bare address goes to the address keys, the
// display name (RFC 2047 decoded, unquoted) to ses:FromDisplayName. Syntax errors use the wording
// SES inherited from JavaMail's InternetAddress (docs/spec/ses.md §3.8).
import addressparser from 'nodemailer/lib/addressparser';
import type { Mailbox } from './send-request.js';

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

function wordBytes(encoding: string, text: string): Buffer {
  return encoding.toUpperCase() === 'B'
    ? Buffer.from(text, 'base64')
    : Buffer.from(
        text
          .replace(/_/g, ' ')
          .replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      );
}

function decodeBytes(charset: string, bytes: Buffer): string {
  // RFC 2231 language suffix: `utf-8*en`.
  const cs = charset.split('*')[0] ?? 'utf-8';
  try {
    return new TextDecoder(cs).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** RFC 2047 §6.2: whitespace between adjacent encoded-words is not part of the text. */
const joinAdjacentWords = (text: string) => text.replace(/(\?=)\s+(?==\?)/g, '$1');

/** Decodes RFC 2047 encoded-words; whitespace between adjacent encoded-words disappears. */
export function decodeEncodedWords(text: string): string {
  if (!text.includes('=?')) return text;
  return joinAdjacentWords(text).replace(ENCODED_WORD, (_, cs: string, enc: string, t: string) =>
    decodeBytes(cs, wordBytes(enc, t)),
  );
}

const WORD_RUN = /(?:=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)+/g;

/**
 * As decodeEncodedWords, but the bytes of adjacent words in one charset are decoded together, as
 * mail readers do: a character split across two words (RFC 2047 forbids it; some mailers write it)
 * comes out whole. For what people read (the mailbox); the send path's condition keys decode word by
 * word, as SES's Java decoder does.
 */
export function decodeEncodedWordsJoined(text: string): string {
  if (!text.includes('=?')) return text;
  return joinAdjacentWords(text).replace(WORD_RUN, (run) => {
    let out = '';
    let charset: string | undefined;
    let bytes: Buffer[] = [];
    const flush = () => {
      if (charset !== undefined && bytes.length > 0) out += decodeBytes(charset, Buffer.concat(bytes));
      bytes = [];
    };
    for (const [, cs, enc, t] of run.matchAll(ENCODED_WORD)) {
      const c = cs!.toLowerCase();
      if (c !== charset) {
        flush();
        charset = c;
      }
      bytes.push(wordBytes(enc!, t!));
    }
    flush();
    return out;
  });
}

/**
 * Parses one mailbox (`Ann <a@x.com>`, `"Doe, J" <j@x.com>`, `a@x.com`). Returns undefined only
 * for blank text; the syntax of the address itself is checked by addressSyntaxError.
 */
export function parseMailbox(text: string): Mailbox | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  // Without angle brackets the whole text is the address: `a b@x.com` must be refused, not read
  // as the name `a` and the address `b@x.com`.
  if (!trimmed.includes('<')) return { address: trimmed, text: trimmed };
  const parsed = flatten(addressparser(trimmed));
  const first = parsed[0];
  // More than one mailbox where one is expected (`Ann <a@x.com>, b@x.com`): kept whole, so that
  // validation refuses it; reading only the first would authorize one address and send as two.
  if (!first || first.address === '' || parsed.length > 1) {
    // No address found (`alice`, `Ann Smith`): keep the text as the address so that validation
    // refuses it in SES's words instead of it vanishing.
    return { address: trimmed, text: trimmed };
  }
  const name = decodeEncodedWords(first.name).trim();
  return name === ''
    ? { address: first.address, text: trimmed }
    : { address: first.address, name, text: trimmed };
}

/** Parses an address-list header value into mailboxes (groups are flattened). */
export function parseAddressList(text: string, decode = decodeEncodedWords): Mailbox[] {
  return flatten(addressparser(text))
    .filter((a) => a.address !== '')
    .map((a) => {
      const name = decode(a.name).trim();
      return name === ''
        ? { address: a.address, text: a.address }
        : { address: a.address, name, text: a.address };
    });
}

interface ParsedAddress {
  address: string;
  name: string;
  group?: ParsedAddress[];
}

function flatten(list: unknown): ParsedAddress[] {
  const out: ParsedAddress[] = [];
  for (const a of list as ParsedAddress[]) {
    if (a.group) out.push(...flatten(a.group));
    else out.push({ address: a.address ?? '', name: a.name ?? '' });
  }
  return out;
}

// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\x00-\x1f\x7f]/;
const hasControl = (s: string): boolean => CONTROL.test(s);

/** The InternetAddress-style complaint about a bare address, or undefined when it is acceptable. */
export function addressSyntaxError(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0) return "Missing final '@domain'";
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local === '') return 'Missing local name';
  if (domain === '') return 'Missing domain';
  const quoted = local.startsWith('"') && local.endsWith('"') && local.length >= 2;
  // A quoted local part may hold spaces, never control characters.
  if (hasControl(local) || (!quoted && /\s/.test(local)))
    return 'Local address contains control or whitespace';
  if (!quoted) {
    if (local.startsWith('.')) return 'Local address starts with dot';
    if (local.endsWith('.')) return 'Local address ends with dot';
    if (local.includes('..')) return 'Local address contains dot-dot';
    // SES requires 7-bit local parts (docs/spec/ses.md §8 step 3).
    if (/[^\x21-\x7e]|[()<>,;:\\"[\]@]/.test(local)) return 'Local address contains illegal character';
  }
  if (hasControl(domain) || /\s/.test(domain)) return 'Domain contains control or whitespace';
  if (domain.startsWith('[')) return domain.endsWith(']') ? undefined : 'Domain contains illegal character';
  if (/[^A-Za-z0-9.\-_\u0080-\uffff]/.test(domain)) return 'Domain contains illegal character';
  if (domain.startsWith('.')) return 'Domain starts with dot';
  if (domain.endsWith('.')) return 'Domain ends with dot';
  if (domain.includes('..')) return 'Domain contains dot-dot';
  return undefined;
}

/** The domain part, lower-cased (domains compare case-insensitively, local parts do not). */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

export const SIMULATOR_DOMAIN = 'simulator.amazonses.com';

/** Mailbox-simulator addresses (docs/spec/ses.md §5.2): allowed in the sandbox, not counted in the daily quota. */
export const isSimulatorAddress = (address: string): boolean => domainOf(address) === SIMULATOR_DOMAIN;
