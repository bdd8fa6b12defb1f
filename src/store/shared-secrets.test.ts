import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveSigningKey, SIGNING_KEY_FILE } from '../delivery/publishing/signing-key.js';
import { loadOrCreateTlsCertificate, TLS_CERT_FILE, TLS_KEY_FILE } from '../smtp/tls-certificate.js';
import { openTestStore, testDialects, type Store } from './database.js';
import { createSecretBox } from './secret-box.js';

const box = createSecretBox(Buffer.alloc(32, 7));

// Two nodes on one store: each has its own data folder, as in a cluster.
describe.each(testDialects())('secrets the nodes of one store share (%s)', (dialect) => {
  const stores: Store[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const folder = () => {
    const d = mkdtempSync(join(tmpdir(), 'sesame-shared-'));
    dirs.push(d);
    return d;
  };
  const storeOf = async () => {
    const s = await openTestStore(dialect);
    stores.push(s);
    return s;
  };
  const sealedValues = async (store: Store) =>
    (await store.db.selectFrom('store_meta').selectAll().execute())
      .filter((r) => r.name.startsWith('shared_secret:'))
      .map((r) => r.value);

  it('signs events with one key: the first node publishes its own, the second takes it and writes it down', async () => {
    const store = await storeOf();
    const [a, b] = [folder(), folder()];
    const own = 'ab'.repeat(32);
    writeFileSync(join(a, SIGNING_KEY_FILE), `${own}\n`, { mode: 0o600 });
    writeFileSync(join(b, SIGNING_KEY_FILE), `${'cd'.repeat(32)}\n`, { mode: 0o600 });
    expect((await resolveSigningKey(store, box, a)).toString('hex')).toBe(own);
    expect((await resolveSigningKey(store, box, b)).toString('hex')).toBe(own);
    expect(readFileSync(join(b, SIGNING_KEY_FILE), 'utf8')).toBe(`${own}\n`);
    expect(statSync(join(b, SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
    // Sealed in the store: the key itself is not there in the clear.
    const sealed = await sealedValues(store);
    expect(sealed).toHaveLength(1);
    expect(sealed[0]).not.toContain(own);
  });

  it('generates one key when no node has one yet', async () => {
    const store = await storeOf();
    const [a, b] = [folder(), folder()];
    const [ka, kb] = await Promise.all([resolveSigningKey(store, box, a), resolveSigningKey(store, box, b)]);
    expect(ka.equals(kb)).toBe(true);
    expect(readFileSync(join(a, SIGNING_KEY_FILE), 'utf8')).toBe(
      readFileSync(join(b, SIGNING_KEY_FILE), 'utf8'),
    );
  });

  it("gives a node without certificate files the store certificate, and keeps an operator's own files", async () => {
    const store = await storeOf();
    const [a, b, c] = [folder(), folder(), folder()];
    const first = await loadOrCreateTlsCertificate(a, 'localhost', { store, box });
    const second = await loadOrCreateTlsCertificate(b, 'localhost', { store, box });
    expect(second).toEqual(first);
    expect(readFileSync(join(b, TLS_CERT_FILE), 'utf8')).toBe(first.cert);
    expect(statSync(join(b, TLS_KEY_FILE)).mode & 0o777).toBe(0o600);
    // An operator's certificate on one node stays that node's.
    writeFileSync(join(c, TLS_KEY_FILE), 'operator key');
    writeFileSync(join(c, TLS_CERT_FILE), 'operator cert');
    expect(await loadOrCreateTlsCertificate(c, 'localhost', { store, box })).toEqual({
      key: 'operator key',
      cert: 'operator cert',
    });
    expect(await loadOrCreateTlsCertificate(folder(), 'localhost', { store, box })).toEqual(first);
  });

  it("renews the store's certificate once it has ended: a node whose files were deleted gets a valid one", async () => {
    const store = await storeOf();
    await loadOrCreateTlsCertificate(folder(), 'localhost', { store, box });
    // The shared copy has ended (825 days later, or an operator's expired one).
    const old = await generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      notBeforeDate: new Date(Date.now() - 900 * 86_400_000),
      notAfterDate: new Date(Date.now() - 86_400_000),
    });
    const ended = { key: old.private, cert: old.cert };
    await store.db
      .updateTable('store_meta')
      .set({ value: box.seal(JSON.stringify(ended)) })
      .where('name', '=', 'shared_secret:smtp_tls_certificate')
      .execute();
    const [b, c] = [folder(), folder()];
    const [renewed, same] = await Promise.all([
      loadOrCreateTlsCertificate(b, 'localhost', { store, box }),
      loadOrCreateTlsCertificate(c, 'localhost', { store, box }),
    ]);
    expect(renewed.cert).not.toBe(ended.cert);
    expect(new Date(new X509Certificate(renewed.cert).validTo).getTime()).toBeGreaterThan(Date.now());
    expect(same).toEqual(renewed); // two nodes renewing at once keep one certificate
    expect(readFileSync(join(b, TLS_CERT_FILE), 'utf8')).toBe(renewed.cert);
    expect(await loadOrCreateTlsCertificate(folder(), 'localhost', { store, box })).toEqual(renewed);
  });
});
