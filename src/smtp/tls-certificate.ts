// The SMTP listeners' certificate: the operator's, or a self-signed one generated into the data
// folder on first start and reused afterwards (so clients that pin it keep working). Nodes of one
// store share the generated one (src/store/shared-secrets.ts): a node without certificate files
// takes the store's; a node with its own files keeps them (an operator's per-node certificate).
// The store's copy is renewed by the first node without files that starts within RENEW_BEFORE_MS
// of its end: deleting a node's files must still bring a valid certificate, as it did before the
// copy was shared.
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { Store } from '../store/database.js';
import type { SecretBox } from '../store/secret-box.js';
import {
  readIfPresent,
  replaceSharedSecret,
  sharedSecret,
  writeAtomically,
} from '../store/shared-secrets.js';

export interface TlsCertificate {
  /** PEM */
  cert: string;
  /** PEM private key */
  key: string;
}

export const TLS_KEY_FILE = 'smtp-tls.key';
export const TLS_CERT_FILE = 'smtp-tls.crt';

const VALID_DAYS = 825;
const RENEW_BEFORE_MS = 30 * 86_400_000;
const SHARED_NAME = 'smtp_tls_certificate';

/** Whether a PEM certificate ends before `at` (false when it cannot be read: not ours to judge). */
function endsBefore(cert: string, at: number): boolean {
  try {
    return new Date(new X509Certificate(cert).validTo).getTime() < at;
  } catch {
    return false;
  }
}

/**
 * `${dataDir}/smtp-tls.{key,crt}`; when either is missing, the store's shared certificate (with
 * `shared`), else a new one (key mode 0600), written there. A node's own files are offered to the
 * store when it has none yet.
 */
export async function loadOrCreateTlsCertificate(
  dataDir: string,
  hostname = 'localhost',
  shared?: { store: Store; box: SecretBox },
): Promise<TlsCertificate> {
  const keyPath = join(dataDir, TLS_KEY_FILE);
  const certPath = join(dataDir, TLS_CERT_FILE);
  const [key, cert] = await Promise.all([readIfPresent(keyPath), readIfPresent(certPath)]);
  const local = key && cert ? { key, cert } : undefined;
  if (!shared) return local ?? (await createCertificate(dataDir, hostname));
  const text = await sharedSecret(shared.store, shared.box, SHARED_NAME, async () =>
    JSON.stringify(local ?? (await generateCertificate(hostname))),
  );
  if (local) return local;
  let stored = JSON.parse(text) as TlsCertificate;
  if (endsBefore(stored.cert, Date.now() + RENEW_BEFORE_MS)) {
    const fresh = JSON.stringify(await generateCertificate(hostname));
    stored = JSON.parse(
      await replaceSharedSecret(shared.store, shared.box, SHARED_NAME, text, fresh),
    ) as TlsCertificate;
  }
  await writeFiles(dataDir, stored);
  return stored;
}

async function createCertificate(dataDir: string, hostname: string): Promise<TlsCertificate> {
  const pems = await generateCertificate(hostname);
  await writeFiles(dataDir, pems);
  return pems;
}

async function writeFiles(dataDir: string, pems: TlsCertificate): Promise<void> {
  await writeAtomically(join(dataDir, TLS_KEY_FILE), pems.key, 0o600);
  await writeAtomically(join(dataDir, TLS_CERT_FILE), pems.cert, 0o644);
}

async function generateCertificate(hostname: string): Promise<TlsCertificate> {
  const notBeforeDate = new Date();
  const notAfterDate = new Date(notBeforeDate.getTime() + VALID_DAYS * 86_400_000);
  const pems = await generate([{ name: 'commonName', value: hostname }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: hostname },
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
