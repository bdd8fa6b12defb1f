// The listeners' certificate: generated once into the data folder (key 0600), then reused.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateTlsCertificate } from './tls-certificate.js';

describe('loadOrCreateTlsCertificate', () => {
  it('generates smtp-tls.key (0600) and smtp-tls.crt on first start and returns the same pair afterwards', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sesame-cert-')), 'nested');
    const first = await loadOrCreateTlsCertificate(dir, 'mail.example.test');
    expect(statSync(join(dir, 'smtp-tls.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'smtp-tls.crt')).isFile()).toBe(true);
    const x509 = new X509Certificate(first.cert);
    expect(x509.subject).toBe('CN=mail.example.test');
    expect(x509.subjectAltName).toContain('DNS:localhost');
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(x509.checkPrivateKey(createPrivateKey(first.key))).toBe(true);
    expect(new Date(x509.validTo).getTime()).toBeGreaterThan(Date.now() + 365 * 86_400_000);
    const second = await loadOrCreateTlsCertificate(dir, 'other.example.test');
    expect(second).toEqual(first);
  });

  it('regenerates when only one of the two files is there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sesame-cert-'));
    writeFileSync(join(dir, 'smtp-tls.crt'), 'stale');
    const pair = await loadOrCreateTlsCertificate(dir);
    expect(pair.cert).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(new X509Certificate(pair.cert).checkPrivateKey(createPrivateKey(pair.key))).toBe(true);
  });
});
