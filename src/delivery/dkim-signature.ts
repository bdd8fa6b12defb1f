// A DKIM-Signature (RFC 6376) over a whole message in memory: relaxed/relaxed, rsa-sha256, with the
// signing time (t=) as SES's signatures carry it. Written for the delivery path, where a stream
// signer's parsing and event-loop hops cost more than the hashing: one pass over the header block
// (mime-headers.ts) and one over the body, then one RSA signature with a parsed key (a PEM string
// would be parsed again on every message, twice the RSA cost).
import { createHash, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { splitHeaders } from '../ses/send/mime-headers.js';

export interface SigningKey {
  domain: string;
  selector: string;
  key: KeyObject;
}

/**
 * The fields signed when present (RFC 4871 §5.5's list, which nodemailer signed before and RFC 6376
 * §5.4.1 trimmed; List-Unsubscribe-Post for RFC 8058's one-click unsubscribe; SES's Feedback-ID),
 * each once: its last occurrence (§5.4.2). Not over-signed (§8.15), as before.
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
export function relaxedValue(rawField: string): string {
  return (
    rawField
      .slice(rawField.indexOf(':') + 1)
      .replace(/\r?\n/g, '')
      .replace(/[ \t]+/g, ' ')
      // Only SP: trim() would also take bytes such as 0xA0, the second byte of a UTF-8 "à".
      .replace(/^ | $/g, '')
  );
}

/**
 * §3.4.4 over the body's bytes, written to `sink` in pieces: CRLF line ends (bare LF read as one),
 * runs of SP/HTAB as one SP, none at a line's end, no empty lines at the end, and a final CRLF
 * unless the body is empty. A byte loop: a string split with regular expressions took seconds on a
 * 20–30 MB body and held several copies of it.
 */
export class RelaxedBody {
  readonly #out = Buffer.allocUnsafe(64 * 1024);
  #n = 0;
  #space = false; // a WSP run not written yet (dropped if the line ends)
  #content = false; // the current line has written something
  #empty = 0; // empty lines not written yet (dropped if the body ends)
  constructor(private readonly sink: (chunk: Buffer) => void) {}

  #put(b: number): void {
    if (this.#n === this.#out.length) this.#flush();
    this.#out[this.#n++] = b;
  }

  #flush(): void {
    // The sink (a hash) consumes the bytes before returning, so the buffer is reused.
    if (this.#n > 0) this.sink(this.#out.subarray(0, this.#n));
    this.#n = 0;
  }

  /** Bytes [start, end) of `buf`; a CR at `end - 1` must not be the first half of a split CRLF. */
  write(buf: Buffer, start: number, end: number): void {
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      if (b === 0x20 || b === 0x09) {
        this.#space = true;
        continue;
      }
      if (b === 0x0a || (b === 0x0d && i + 1 < end && buf[i + 1] === 0x0a)) {
        if (b === 0x0d) i++;
        this.#space = false;
        if (this.#content) {
          this.#put(0x0d);
          this.#put(0x0a);
          this.#content = false;
        } else this.#empty++;
        continue;
      }
      if (!this.#content) {
        for (; this.#empty > 0; this.#empty--) {
          this.#put(0x0d);
          this.#put(0x0a);
        }
        this.#content = true;
      }
      if (this.#space) {
        this.#put(0x20);
        this.#space = false;
      }
      this.#put(b);
    }
  }

  end(): void {
    if (this.#content) {
      this.#put(0x0d);
      this.#put(0x0a);
    }
    this.#flush();
  }
}

/** The relaxed canonical form of a whole body (for tests and small bodies). */
export function relaxedBody(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  const c = new RelaxedBody((chunk) => parts.push(Buffer.from(chunk)));
  c.write(body, 0, body.length);
  c.end();
  return Buffer.concat(parts);
}

/** Body bytes hashed between two turns of the event loop: a 40 MB message does not stall the process. */
const BODY_SLICE = 1 << 20;

async function bodyHash(raw: Buffer, from: number): Promise<string> {
  const hash = createHash('sha256');
  const body = new RelaxedBody((chunk) => hash.update(chunk));
  while (from < raw.length) {
    let to = Math.min(raw.length, from + BODY_SLICE);
    // Slices end after a line feed, so a CRLF is never split between two of them.
    if (to < raw.length) {
      const nl = raw.indexOf(0x0a, to);
      to = nl < 0 ? raw.length : nl + 1;
    }
    body.write(raw, from, to);
    from = to;
    if (from < raw.length) await new Promise((r) => setImmediate(r));
  }
  body.end();
  return hash.digest('base64');
}

const signAsync = promisify(sign);

/** Splits a long tag list value at `at` characters per line, as folding whitespace (ignored in b=, bh=). */
const chunk = (s: string, at: number, eol: string) =>
  s.match(new RegExp(`.{1,${at}}`, 'g'))?.join(`${eol} `) ?? '';

/** The message with a DKIM-Signature field first. */
export async function signDkim(raw: Buffer, key: SigningKey, now: Date): Promise<Buffer> {
  const split = splitHeaders(raw);
  const bh = await bodyHash(raw, split.bodyOffset);
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
    ` bh=${bh};${eol} b=`;
  // §3.7: the signature field itself, b= empty, canonicalized last and without its line ending.
  canonical += `dkim-signature:${relaxedValue(head)}`;
  // In libuv's thread pool: the RSA operation is most of what capturing a message costs, and the
  // delivering process's event loop has the claims, the settles and the other messages to serve.
  const b = (await signAsync('sha256', Buffer.from(canonical, 'latin1'), key.key)).toString('base64');
  return Buffer.concat([Buffer.from(`${head}${chunk(b, 72, eol)}${eol}`, 'latin1'), raw]);
}
