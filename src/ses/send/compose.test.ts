import { describe, it, expect } from 'vitest';
import MailComposer from 'nodemailer/lib/mail-composer';
import { simpleParser } from 'mailparser';
import { buildSync, composeMessage, composerOptions, type ComposedContent } from './compose.js';
import { writeSimpleMessage } from './simple-mime.js';
import type { ComposeSpec } from './send-request.js';

const base: ComposeSpec = {
  from: 'sender@example.com',
  to: ['to@example.com'],
  cc: [],
  replyTo: [],
  headers: [],
  attachments: [],
};

const longAscii = 'word '.repeat(60).trim();
const cases: { name: string; spec: ComposeSpec; content: ComposedContent }[] = [
  { name: 'plain ASCII text', spec: base, content: { subject: 'Hi', text: 'Hello there.' } },
  { name: 'html only', spec: base, content: { subject: 'Hi', html: '<p>Hello <b>there</b></p>' } },
  {
    name: 'text + html (alternative), non-ASCII everywhere',
    spec: {
      ...base,
      from: '"Zoë Ünï" <zoe@example.com>',
      to: ['a@example.com', 'Jürgen <j@example.com>', '"Doe, Jane" <jane@example.com>'],
      cc: ['c@example.com'],
      replyTo: ['Ré <r@example.com>'],
      headers: [{ name: 'X-Custom', value: 'héllo wörld' }],
    },
    content: { subject: 'Grüße aus Köln ✓', text: 'plain\nline two ünïcödé\n', html: '<p>héllo</p>' },
  },
  {
    name: 'mostly non-Latin text (base64)',
    spec: base,
    content: { subject: '日本語の件名', text: 'こんにちは世界、これはテストです。' },
  },
  {
    name: 'long lines (quoted-printable)',
    spec: base,
    content: { subject: longAscii, text: longAscii, html: longAscii },
  },
  { name: 'trailing whitespace and CRLF', spec: base, content: { subject: 'ws', text: 'a  \r\nb\t\r\n  ' } },
  { name: 'empty text', spec: base, content: { subject: '', text: '' } },
  {
    name: 'simple shape: named addresses, cc, reply-to, text + html',
    spec: {
      ...base,
      from: 'Bench Sender <sender@example.com>',
      to: ['to@example.com', 'B <b@example.com>'],
      cc: ['c@example.com'],
      replyTo: ['r@example.com'],
    },
    content: { subject: 'Hello', text: 'Hello there.\nline two\n', html: '<p>x</p>' },
  },
  { name: 'simple shape: text ending in CRLF', spec: base, content: { subject: 'S', text: 'a\r\nb\r\n' } },
  { name: 'simple shape: html with LF lines', spec: base, content: { subject: 'S', html: '<p>\n</p>' } },
];

/** Cases the direct writer takes (the rest go to MailComposer). */
const SIMPLE = new Set([
  'plain ASCII text',
  'html only',
  'simple shape: named addresses, cc, reply-to, text + html',
  'simple shape: text ending in CRLF',
  'simple shape: html with LF lines',
  'trailing whitespace and CRLF',
]);

async function streamed(spec: ComposeSpec, content: ComposedContent): Promise<Buffer> {
  return new MailComposer(composerOptions(spec, content)).compile().build();
}

/** Message-ID, Date and multipart boundaries are random per compile. */
function normalize(raw: Buffer): string {
  let s = raw.toString('utf8');
  const b = /boundary="([^"]+)"/.exec(s)?.[1];
  if (b) s = s.split(b).join('BOUNDARY');
  return s.replace(/^Message-ID: .*$/m, 'Message-ID: X').replace(/^Date: .*$/m, 'Date: X');
}

describe('composeMessage fast path', () => {
  for (const c of cases) {
    it(`matches MailComposer's streamed output: ${c.name}`, async () => {
      const fast = await composeMessage(c.spec, c.content);
      const slow = await streamed(c.spec, c.content);
      expect(normalize(fast)).toBe(normalize(slow));

      const [pf, ps] = await Promise.all([simpleParser(fast), simpleParser(slow)]);
      expect(pf.subject).toBe(ps.subject);
      expect(pf.text).toBe(ps.text);
      expect(pf.html).toBe(ps.html);
      expect(pf.from?.text).toBe(ps.from?.text);
      expect(JSON.stringify(pf.to)).toBe(JSON.stringify(ps.to));
      expect(JSON.stringify(pf.cc)).toBe(JSON.stringify(ps.cc));
      expect(JSON.stringify(pf.replyTo)).toBe(JSON.stringify(ps.replyTo));
      expect(pf.headers.get('x-custom')).toBe(ps.headers.get('x-custom'));
      expect(pf.subject).toBe(c.content.subject === '' ? ps.subject : c.content.subject);
    });
  }

  for (const c of cases) {
    it(`${SIMPLE.has(c.name) ? 'writes' : 'leaves to MailComposer'} directly: ${c.name}`, () => {
      const direct = writeSimpleMessage(c.spec, c.content, '<m@x>', 'Sat, 28 Nov 2026 12:00:00 +0000');
      expect(direct !== undefined).toBe(SIMPLE.has(c.name));
    });
  }

  it('leaves folding, quoting and custom headers to MailComposer', () => {
    const w = (spec: Partial<ComposeSpec>, subject = 'S') =>
      writeSimpleMessage({ ...base, ...spec }, { subject, text: 'x' }, '<m@x>', 'D');
    expect(w({})).toBeInstanceOf(Buffer);
    expect(w({ to: Array.from({ length: 6 }, (_, i) => `recipient${i}@example.com`) })).toBeUndefined();
    expect(w({ from: '"Doe, Jane" <jane@example.com>' })).toBeUndefined();
    expect(w({ from: 'Zoë <z@example.com>' })).toBeUndefined();
    expect(w({ headers: [{ name: 'X-A', value: 'b' }] })).toBeUndefined();
    expect(w({}, 'Grüße')).toBeUndefined();
    expect(w({}, 'x'.repeat(80))).toBeUndefined();
  });

  it('uses the synchronous path for simple content', () => {
    const root = new MailComposer(composerOptions(base, { subject: 'Hi', text: 'x' })).compile();
    expect(buildSync(root)).toBeInstanceOf(Buffer);
  });

  it('declines trees it cannot serialize (raw content) and build() still handles them', async () => {
    const root = new MailComposer({ raw: 'Subject: r\r\n\r\nbody' }).compile();
    expect(buildSync(root)).toBeUndefined();
    expect((await root.build()).toString()).toContain('Subject: r');
  });

  it('keeps the stream path for attachments', async () => {
    const spec: ComposeSpec = {
      ...base,
      attachments: [{ filename: 'a.txt', content: Buffer.from('attached'), contentType: 'text/plain' }],
    };
    const parsed = await simpleParser(await composeMessage(spec, { subject: 'att', text: 'body' }));
    expect(parsed.text).toBe('body');
    expect(parsed.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([
      ['a.txt', 'attached'],
    ]);
  });
});
