// The in-memory DKIM signer, checked by an independent verifier (mailauth, which the MX receiver
// uses) against the public key published as `<selector>._domainkey.<domain>`, and against
// RFC 6376's own canonicalization example.
import { generateKeyPairSync } from 'node:crypto';
import { dkimVerify } from 'mailauth';
import { describe, expect, it } from 'vitest';
import { relaxedBody, relaxedValue, signDkim, type SigningKey } from './dkim-signature.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const key: SigningKey = { domain: 'example.com', selector: 'sel1', key: privateKey };
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const resolver = (published: string) => async (name: string, type: string) => {
  if (type === 'TXT' && name === 'sel1._domainkey.example.com') return [[`v=DKIM1; k=rsa; p=${published}`]];
  throw Object.assign(new Error(`no ${type} for ${name}`), { code: 'ENOTFOUND' });
};
const at = new Date('2026-12-07T12:00:00Z');

const message = (eol: string) =>
  Buffer.from(
    [
      'From: Sender <sender@example.com>',
      'To: a@example.net,',
      '  b@example.net',
      'Subject:   Hello \t there  ',
      'Subject: the second one is signed',
      'X-Not-Signed: 1',
      'Message-ID: <m1@example.com>',
      'Date: Mon, 07 Dec 2026 12:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Body  with \t spaces  ',
      'caf\u00e9 bytes',
      '',
      '',
    ].join(eol),
    'utf8',
  );

async function verdict(raw: Buffer, published = p) {
  const r = await dkimVerify(raw, { resolver: resolver(published) as never, sender: 'sender@example.com' });
  const first = r.results[0] as {
    status: { result: string; comment?: string };
    signingDomain: string;
    selector: string;
  };
  const { result, comment } = first.status;
  return { result, d: first.signingDomain, s: first.selector, ...(comment ? { comment } : {}) };
}

describe('signDkim', () => {
  it('canonicalizes a body as RFC 6376 §3.4.5’s example does', () => {
    const relaxed = (s: string) => relaxedBody(Buffer.from(s, 'latin1')).toString('latin1');
    expect(relaxed(' C \r\nD \t E\r\n\r\n\r\n')).toBe(' C\r\nD E\r\n');
    expect(relaxed('')).toBe('');
    expect(relaxed('\r\n\r\n')).toBe('');
    expect(relaxed(' \t \r\n  \r\n')).toBe('');
    expect(relaxed('no final line end')).toBe('no final line end\r\n');
    expect(relaxed('bare\nlf  \n')).toBe('bare\r\nlf\r\n');
    expect(relaxed('a\r\n\r\n\r\nb\r\n\r\n')).toBe('a\r\n\r\n\r\nb\r\n');
    expect(relaxed('bare\rcr\r\n')).toBe('bare\rcr\r\n');
    expect(relaxed('\u00a0x\u00a0 \r\n')).toBe('\u00a0x\u00a0\r\n'); // 0xA0 is no WSP
  });

  it('signs a CRLF message that an independent verifier passes, and fails once a signed field changes', async () => {
    const signed = await signDkim(message('\r\n'), key, at);
    const text = signed.toString('latin1');
    expect(text).toMatch(
      /^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=example\.com;\r\n s=sel1; t=1796644800;\r\n h=from:subject:date:message-id:to:mime-version:content-type;\r\n bh=[A-Za-z0-9+/=]+;\r\n b=[A-Za-z0-9+/=\r\n ]+\r\nFrom: Sender/,
    );
    expect(signed.subarray(signed.length - message('\r\n').length).equals(message('\r\n'))).toBe(true);
    expect(await verdict(signed)).toEqual({ result: 'pass', d: 'example.com', s: 'sel1' });
    // The last Subject is the signed one: changing it breaks the signature, changing an unsigned field does not.
    expect(
      (await verdict(Buffer.from(text.replace('the second one', 'a forged one'), 'latin1'))).result,
    ).toBe('fail');
    expect(
      (await verdict(Buffer.from(text.replace('X-Not-Signed: 1', 'X-Not-Signed: 2'), 'latin1'))).result,
    ).toBe('pass');
    // A changed body: the body hash no longer matches (mailauth reports that as neutral, RFC 6376 §6.3).
    expect(await verdict(Buffer.from(text.replace(' bytes', ' bites'), 'latin1'))).toMatchObject({
      result: 'neutral',
      comment: 'body hash did not verify',
    });
    // Another key published under the selector: the signature does not verify.
    const wrong = other.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    expect((await verdict(signed, wrong)).result).toBe('fail');
  });

  it('signs a message with bare LF line endings in its own line ending', async () => {
    const signed = await signDkim(message('\n'), key, at);
    expect(signed.toString('latin1')).not.toContain('\r');
    expect((await verdict(signed)).result).toBe('pass');
  });

  it('is deterministic for one message, key and time', async () => {
    const [a, b] = await Promise.all([
      signDkim(message('\r\n'), key, at),
      signDkim(message('\r\n'), key, at),
    ]);
    expect(a.equals(b)).toBe(true);
  });

  it('signs raw UTF-8 headers, an empty body, and a body without a final line end', async () => {
    const head = 'From: sender@example.com\r\nSubject: Grüße aus Köln\r\nTo: a@example.net\r\n\r\n';
    for (const body of ['', 'no final line end', '\r\n\r\n', 'x \t\r\n \r\n'])
      expect((await verdict(await signDkim(Buffer.from(head + body, 'utf8'), key, at))).result).toBe('pass');
  });

  it('keeps header bytes that are not SP or HTAB, such as 0xA0 (the second byte of a UTF-8 "à")', () => {
    // mailauth (the receiver's verifier) takes 0xA0 for whitespace and fails such signatures, as it
    // failed nodemailer's; RFC 6376 §2.8 has only SP and HTAB as WSP, as OpenDKIM and this signer read it.
    const field = Buffer.from('Subject: \t voilà  \r\n continued \t\r\n', 'utf8').toString('latin1');
    expect(Buffer.from(relaxedValue(field), 'latin1').toString('utf8')).toBe('voilà continued');
    const trailing = Buffer.from('Subject: voilà\r\n', 'utf8').toString('latin1');
    expect(relaxedValue(trailing).endsWith('\u00c3\u00a0')).toBe(true);
  });

  it('signs a 12 MB body in slices (lines across slice edges, CRLF and LF) that still verifies', async () => {
    const line = 'abcdefghij  \t klm\r\nnopq  \n';
    const body = line.repeat(Math.ceil((12 * 1024 * 1024) / line.length));
    const raw = Buffer.from(`From: sender@example.com\r\nSubject: big\r\n\r\n${body}\r\n\r\n`, 'latin1');
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    const signed = await signDkim(raw, key, at);
    clearInterval(ticking);
    expect(turns).toBeGreaterThan(0); // the event loop ran between slices
    expect((await verdict(signed)).result).toBe('pass');
  }, 60_000);
});
