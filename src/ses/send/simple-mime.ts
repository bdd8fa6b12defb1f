// The common composed message — ASCII headers, plain addresses, text and/or HTML body in 7bit —
// written directly, byte for byte what nodemailer's MailComposer writes for it (compose.test.ts
// holds them equal), without building its MIME tree, parsing addresses again or drawing random
// bytes. Anything outside that shape returns undefined and goes to MailComposer.
import { randomBytes } from 'node:crypto';
import type { ComposedContent } from './compose.js';
import type { ComposeSpec } from './send-request.js';

/** Header lines longer than this would be folded by nodemailer: left to it. */
const MAX_LINE = 76;
const PLAIN_ADDRESS = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
/** `Display Name <address>` whose name nodemailer writes as is (atoms separated by one space). */
const NAMED_ADDRESS = /^([A-Za-z0-9]+(?: [A-Za-z0-9]+)*) <([^<>\s]+)>$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** What nodemailer sends as 7bit: no 8-bit or control characters (CR, LF, TAB allowed)... */
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const NOT_PLAIN_TEXT = /[\x00-\x08\x0b\x0c\x0e-\x1f\u0080-\uFFFF]/;
/** ...and no line over 76 characters. */
const LONG_LINE = /^.{77,}/m;

// Boundaries need only be unique and absent from the body: a random per-process prefix and a counter.
const boundaryPrefix = randomBytes(8).toString('hex');
let boundaryCounter = 0;

function address(a: string): string | undefined {
  if (PLAIN_ADDRESS.test(a)) return a;
  const m = NAMED_ADDRESS.exec(a);
  return m && PLAIN_ADDRESS.test(m[2]!) ? a : undefined;
}

function addressHeader(name: string, list: readonly string[]): string | undefined | null {
  if (list.length === 0) return null; // no header
  const out: string[] = [];
  for (const a of list) {
    const ok = address(a);
    if (ok === undefined) return undefined;
    out.push(ok);
  }
  const line = `${name}: ${out.join(', ')}`;
  return line.length <= MAX_LINE ? line : undefined;
}

// Empty parts and bodies ending in a bare CR are edge cases of nodemailer's own: left to it.
const plainBody = (s: string | undefined) =>
  s === undefined || (s !== '' && !s.endsWith('\r') && !NOT_PLAIN_TEXT.test(s) && !LONG_LINE.test(s));

/** The message, or undefined when it is not of the simple shape. Message-ID and Date are placeholders. */
export function writeSimpleMessage(
  spec: ComposeSpec,
  content: ComposedContent,
  messageId: string,
  date: string,
): Buffer | undefined {
  if (spec.attachments.length > 0 || spec.headers.length > 0) return undefined;
  const { subject, text, html } = content;
  if (subject === '' || !PRINTABLE_ASCII.test(subject) || `Subject: ${subject}`.length > MAX_LINE)
    return undefined;
  if (!plainBody(text) || !plainBody(html)) return undefined;
  const from = addressHeader('From', [spec.from]);
  const to = addressHeader('To', spec.to);
  const cc = addressHeader('Cc', spec.cc);
  const replyTo = addressHeader('Reply-To', spec.replyTo);
  if (from === undefined || to === undefined || cc === undefined || replyTo === undefined) return undefined;

  const head: string[] = [];
  if (from) head.push(from);
  if (to) head.push(to);
  if (cc) head.push(cc);
  if (replyTo) head.push(replyTo);
  head.push(`Subject: ${subject}`, `Message-ID: ${messageId}`);

  const parts = [
    ...(text !== undefined ? [{ type: 'text/plain', body: text }] : []),
    ...(html !== undefined ? [{ type: 'text/html', body: html }] : []),
  ];
  if (parts.length <= 1) {
    const part = parts[0];
    if (!part) return undefined;
    const body = part.body;
    head.push('Content-Transfer-Encoding: 7bit');
    head.push(`Date: ${date}`, 'MIME-Version: 1.0', `Content-Type: ${part.type}; charset=utf-8`);
    return Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}${body.endsWith('\n') ? '' : '\r\n'}`, 'utf8');
  }
  const boundary = `--_NmP-${boundaryPrefix}-Part_${++boundaryCounter}`;
  if (parts.some((p) => p.body.includes(boundary))) return undefined;
  head.push(
    `Date: ${date}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative;\r\n boundary="${boundary}"`,
  );
  let out = `${head.join('\r\n')}\r\n\r\n`;
  parts.forEach((p, i) => {
    out += `${i > 0 ? '\r\n' : ''}--${boundary}\r\nContent-Type: ${p.type}; charset=utf-8\r\n`;
    out += `Content-Transfer-Encoding: 7bit\r\n\r\n${p.body}`;
  });
  out += `\r\n--${boundary}--\r\n`;
  return Buffer.from(out, 'utf8');
}
