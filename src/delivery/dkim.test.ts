import { createHash, createPublicKey, createVerify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIdentity, updateIdentity } from '../ses/state/identities.js';
import { testDialects, type Store } from '../store/database.js';
import { createSecretBox } from '../store/secret-box.js';
import { dkimKeyFor, easyDkimKeyInfo, rotateDkimKey, signingDomain, signingKeyFor } from './dkim.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';
import { relayTransport } from './transports/relay.js';
import { startDelivery } from './worker.js';
import {
  ACCOUNT,
  REGION,
  config,
  enqueue,
  eventually,
  openDeliveryStore,
  silentLog,
} from './test-support.js';

/** Verifies a relaxed/relaxed rsa-sha256 DKIM signature (RFC 6376 §3.4.2, §3.4.4) with `publicKey`. */
function verifyDkim(
  raw: Buffer,
  publicKeyDer: string,
): { d: string; s: string; ok: boolean; bodyOk: boolean } {
  const text = raw.toString('latin1');
  const sep = text.indexOf('\r\n\r\n');
  const headerLines = text
    .slice(0, sep + 2)
    .split(/\r\n(?![ \t])/)
    .filter(Boolean);
  const body = text.slice(sep + 4);
  const canonHeader = (h: string) => {
    const i = h.indexOf(':');
    return `${h.slice(0, i).trim().toLowerCase()}:${h
      .slice(i + 1)
      .replace(/\r\n/g, '')
      .replace(/[ \t]+/g, ' ')
      .trim()}`;
  };
  const sigLine = headerLines.find((h) => /^dkim-signature:/i.test(h))!;
  const tags = Object.fromEntries(
    canonHeader(sigLine)
      .slice('dkim-signature:'.length)
      .split(';')
      .map((t) => t.trim())
      .filter(Boolean)
      .map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1).replace(/\s+/g, '')]),
  ) as Record<string, string>;
  const canonBody =
    body
      .split('\r\n')
      .map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''))
      .join('\r\n')
      .replace(/(\r\n)*$/, '') + '\r\n';
  const bodyOk = createHash('sha256').update(canonBody, 'latin1').digest('base64') === tags.bh;
  const used = new Set<string>();
  const signed = tags.h!.split(':').map((name) => {
    const h = [...headerLines]
      .reverse()
      .find((l) => !used.has(l) && l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    if (h) used.add(h);
    return h ? `${canonHeader(h)}\r\n` : '';
  });
  const sigNoB = canonHeader(sigLine).replace(/b=[^;]*$/, 'b=');
  const v = createVerify('RSA-SHA256');
  v.update(signed.join('') + sigNoB, 'latin1');
  const key = { key: Buffer.from(publicKeyDer, 'base64'), format: 'der' as const, type: 'spki' as const };
  return { d: tags.d!, s: tags.s!, ok: v.verify(key, tags.b!, 'base64'), bodyOk };
}

describe.each(testDialects())('Easy DKIM on relayed mail (%s)', (dialect) => {
  let store: Store;
  let sink: SmtpSink;
  beforeAll(async () => {
    store = await openDeliveryStore(dialect);
    sink = await startSmtpSink();
    await insertIdentity(store, ACCOUNT, REGION, {
      identity: 'example.com',
      type: 'Domain',
      status: 'Success',
      dkimEnabled: true,
      dkimStatus: 'Success',
      dkimTokens: ['tok1aaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'tok2', 'tok3'],
      now: new Date(),
    });
    await insertIdentity(store, ACCOUNT, REGION, {
      identity: 'nodkim.org',
      type: 'Domain',
      status: 'Success',
      dkimEnabled: false,
      now: new Date(),
    });
  });
  afterAll(async () => {
    await sink.close();
    await store.close();
  });

  it('finds the covering domain identity only when DKIM is on and verified', async () => {
    expect(await signingDomain(store, ACCOUNT, REGION, 'a@mail.example.com')).toEqual({
      domain: 'example.com',
      selector: 'tok1aaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      since: expect.any(Number),
    });
    expect(await signingDomain(store, ACCOUNT, REGION, 'a@nodkim.org')).toBeUndefined();
    expect(await signingDomain(store, '222222222222', REGION, 'a@example.com')).toBeUndefined();
  });

  it('signs relayed mail with the domain’s key; the signature verifies against the stored public key', async () => {
    const relay = relayTransport({
      host: '127.0.0.1',
      port: sink.port,
      tls: { rejectUnauthorized: false },
      maxConnections: 1,
    });
    const w = startDelivery({ store, config, log: silentLog, transport: relay, tuning: { pollMs: 10 } });
    try {
      const id = await enqueue(store, ['rcpt@example.net']);
      const got = await eventually(async () => sink.messages.find((m) => m.raw.toString().includes(id)));
      const key = await store.db
        .selectFrom('delivery_dkim_keys')
        .selectAll()
        .where('domain', '=', 'example.com')
        .executeTakeFirstOrThrow();
      const v = verifyDkim(got.raw, key.public_key);
      expect(v).toEqual({ d: 'example.com', s: 'tok1aaaaaaaaaaaaaaaaaaaaaaaaaaaa', ok: true, bodyOk: true });
      // Tampering breaks it: the check can fail.
      const tampered = Buffer.from(got.raw.toString().replace('Subject: Hello', 'Subject: Hallo'));
      expect(verifyDkim(tampered, key.public_key).ok).toBe(false);

      const plain = await enqueue(store, ['rcpt@example.net'], {
        fromAddress: 'x@nodkim.org',
        sourceArn: `arn:aws:ses:${REGION}:${ACCOUNT}:identity/nodkim.org`,
      });
      const got2 = await eventually(async () => sink.messages.find((m) => m.raw.toString().includes(plain)));
      expect(got2.raw.toString()).not.toMatch(/^DKIM-Signature:/im);
    } finally {
      await w.stop();
      await relay.close!();
    }
  });

  it('keeps the parsed signing key until the account’s generation moves (a key rotation is seen by the next message)', async () => {
    const spki = (k: Awaited<ReturnType<typeof signingKeyFor>>) =>
      createPublicKey(k!.key).export({ type: 'spki', format: 'der' }).toString('base64');
    const first = await signingKeyFor(store, ACCOUNT, REGION, 'a@example.com');
    expect(first).toMatchObject({ domain: 'example.com', selector: 'tok1aaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
    // Another address of the domain shares the domain's key object.
    expect(await signingKeyFor(store, ACCOUNT, REGION, 'b@mail.example.com')).toBe(first);
    // A new key written without an SES state write (no generation bump): the cached key is used.
    const rotated = await rotateDkimKey(
      store,
      ACCOUNT,
      REGION,
      'example.com',
      'tok1aaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      2048,
    );
    expect(await signingKeyFor(store, ACCOUNT, REGION, 'a@example.com')).toBe(first);
    // The identity write that ends every key change bumps the generation: the new key from then on.
    await updateIdentity(store, ACCOUNT, REGION, 'example.com', { dkim_status: 'Success' });
    const next = await signingKeyFor(store, ACCOUNT, REGION, 'a@example.com');
    expect(spki(next)).toBe(rotated.publicKey);
    expect(spki(next)).not.toBe(spki(first));
    // DKIM switched off: nothing signs.
    await updateIdentity(store, ACCOUNT, REGION, 'example.com', { dkim_enabled: 0 });
    expect(await signingKeyFor(store, ACCOUNT, REGION, 'a@example.com')).toBeUndefined();
    await updateIdentity(store, ACCOUNT, REGION, 'example.com', { dkim_enabled: 1 });
  });

  it('keeps one key per domain, sealed when a secret box is given', async () => {
    const box = createSecretBox(Buffer.alloc(32, 7));
    const a = await dkimKeyFor(store, ACCOUNT, REGION, 'sealed.test', 'sel', box);
    const b = await dkimKeyFor(store, ACCOUNT, REGION, 'sealed.test', 'sel', box);
    expect(b).toEqual(a);
    const row = await store.db
      .selectFrom('delivery_dkim_keys')
      .selectAll()
      .where('domain', '=', 'sealed.test')
      .executeTakeFirstOrThrow();
    expect(row.private_key.startsWith('v1:')).toBe(true);
    expect(a.privateKey.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
    await expect(dkimKeyFor(store, ACCOUNT, REGION, 'sealed.test', 'sel')).rejects.toThrow(
      'DKIM key for sealed.test is sealed and no secret box was given',
    );
  });

  it('dates a key made on first use with its identity’s tokens, as SES makes it at creation', async () => {
    const created = new Date('2026-11-01T08:00:00Z');
    await insertIdentity(store, ACCOUNT, REGION, {
      identity: 'dated.example',
      type: 'Domain',
      status: 'Success',
      dkimEnabled: true,
      dkimStatus: 'Success',
      dkimTokens: ['datedtokenaaaaaaaaaaaaaaaaaaaaa', 'b', 'c'],
      now: created,
    });
    expect(await easyDkimKeyInfo(store, ACCOUNT, REGION, 'dated.example')).toBeUndefined();
    await signingKeyFor(store, ACCOUNT, REGION, 'a@dated.example');
    expect((await easyDkimKeyInfo(store, ACCOUNT, REGION, 'dated.example'))?.createdAt).toEqual(created);
  });

  it('replaces a key made for another selector: the identity’s tokens changed, DNS names another key', async () => {
    const old = await dkimKeyFor(store, ACCOUNT, REGION, 'renamed.test', 'first-token');
    const now = await dkimKeyFor(store, ACCOUNT, REGION, 'renamed.test', 'second-token');
    expect(now.selector).toBe('second-token');
    expect(now.publicKey).not.toBe(old.publicKey);
    expect(await dkimKeyFor(store, ACCOUNT, REGION, 'renamed.test', 'second-token')).toEqual(now);
  });
});
