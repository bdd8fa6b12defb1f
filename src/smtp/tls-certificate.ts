// The SMTP listeners' certificate: the operator's, or a self-signed one generated into the data
// folder on first start and reused afterwards (so clients that pin it keep working). Nodes of one
// store share the generated one (src/store/shared-secrets.ts): a node without certificate files
// takes the store's; a node with its own files keeps them (an operator's per-node certificate).
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { Store } from '../store/database.js';
import type { SecretBox } from '../store/secret-box.js';
import { readIfPresent, sharedSecret, writeAtomically } from '../store/shared-secrets.js';

export interface TlsCertificate {
  /** PEM */
  cert: string;
  /** PEM private key */
  key: string;
}

export const TLS_KEY_FILE = 'smtp-tls.key';
export const TLS_CERT_FILE = 'smtp-tls.crt';

const VALID_DAYS = 825;

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
  const stored = JSON.parse(
    await sharedSecret(shared.store, shared.box, 'smtp_tls_certificate', async () =>
      JSON.stringify(local ?? (await generateCertificate(hostname))),
    ),
  ) as TlsCertificate;
  if (local) return local;
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
