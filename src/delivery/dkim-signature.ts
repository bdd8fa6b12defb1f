// A DKIM-Signature (RFC 6376) over a whole message in memory: relaxed/relaxed, rsa-sha256, with the
// signing time (t=) as SES's signatures carry it. Written for the delivery path, where a stream
// signer's parsing and event-loop hops cost more than the hashing: one pass over the header block
// (mime-headers.ts) and one over the body, then one RSA signature with a parsed key (a PEM string
// would be parsed again on every message, twice the RSA cost).
import { createHash, createSign, type KeyObject } from 'node:crypto';
import { splitHeaders } from '../ses/send/mime-headers.js';

export interface SigningKey {
  domain: string;
  selector: string;
  key: KeyObject;
}

/**
 * The fields signed when present (RFC 6376 §5.4.1's list, List-Unsubscribe-Post for RFC 8058's
 * one-click unsubscribe, and SES's Feedback-ID), each once: its last occurrence (§5.4.2).
 */
const SIGNED_FIELDS = [
  'from',
  'sender',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'to',
  'cc',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-id',
  'content-description',
  'resent-date',
  'resent-from',
  'resent-sender',
  'resent-to',
  'resent-cc',
  'resent-message-id',
  'in-reply-to',
  'references',
  'list-id',
  'list-help',
  'list-unsubscribe',
  'list-unsubscribe-post',
  'list-subscribe',
  'list-post',
  'list-owner',
  'list-archive',
  'feedback-id',
];
const SIGNED = new Set(SIGNED_FIELDS);

/** §3.4.2: unfolded, runs of SP/HTAB as one SP, none at either end of the value. */
function relaxedValue(rawField: string): string {
  return rawField
    .slice(rawField.indexOf(':') + 1)
    .replace(/\r?\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** §3.4.4, on the body as latin1 text (bytes kept): CRLF lines, WSP runs as one SP, none at line
 * ends, no empty lines at the end, and a final CRLF unless the body is empty. */
export function relaxedBody(body: string): string {
  const lines = body.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.includes(' ') || l.includes('\t')) lines[i] = l.replace(/[ \t]+/g, ' ').replace(/ $/, '');
  }
  let n = lines.length;
  while (n > 0 && lines[n - 1] === '') n--;
  return n === 0 ? '' : `${lines.slice(0, n).join('\r\n')}\r\n`;
}

/** Splits a long tag list value at `at` characters per line, as folding whitespace (ignored in b=, bh=). */
const chunk = (s: string, at: number, eol: string) =>
  s.match(new RegExp(`.{1,${at}}`, 'g'))?.join(`${eol} `) ?? '';

/** The message with a DKIM-Signature field first. */
export function signDkim(raw: Buffer, key: SigningKey, now: Date): Buffer {
  const split = splitHeaders(raw);
  const bodyHash = createHash('sha256')
    .update(relaxedBody(raw.toString('latin1', split.bodyOffset)), 'latin1')
    .digest('base64');
  const last = new Map<string, string>();
  for (const f of split.fields) {
    const name = f.name.toLowerCase();
    if (SIGNED.has(name)) last.set(name, f.raw.toString('latin1'));
  }
  const names = SIGNED_FIELDS.filter((n) => last.has(n));
  let canonical = '';
  for (const n of names) canonical += `${n}:${relaxedValue(last.get(n)!)}\r\n`;
  const eol = split.eol;
  const head =
    `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${key.domain};${eol}` +
    ` s=${key.selector}; t=${Math.floor(now.getTime() / 1000)};${eol}` +
    ` h=${names.join(':')};${eol}` +
    ` bh=${bodyHash};${eol} b=`;
  // §3.7: the signature field itself, b= empty, canonicalized last and without its line ending.
  canonical += `dkim-signature:${relaxedValue(head)}`;
  const b = createSign('RSA-SHA256').update(canonical, 'latin1').sign(key.key, 'base64');
  return Buffer.concat([Buffer.from(`${head}${chunk(b, 72, eol)}${eol}`, 'latin1'), raw]);
}
