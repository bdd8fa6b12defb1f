// Pre-signed GET URLs of objects in the S3-compatible store (SigV4 query authentication, as S3
// defines it): the payload is UNSIGNED-PAYLOAD, only `host` is signed, and the key is escaped once
// (S3 does not double-encode paths). Import and export jobs answer these as FailedRecordsS3Url and
// as the export file's S3Url.
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export interface PresignGet {
  endpoint: string;
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  bucket: string;
  key: string;
  expiresInSeconds: number;
  /** For tests comparing with another signer: the signing time (default now). */
  signingDate?: Date;
}

/** RFC 3986 escaping, as SigV4 canonical URIs and query strings need it. */
const escape = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const CONTENT_SHA256 = 'x-amz-content-sha256';

export async function presignGetUrl(p: PresignGet): Promise<string> {
  const base = new URL(p.endpoint);
  const path = `${base.pathname.replace(/\/+$/, '')}/${escape(p.bucket)}/${p.key.split('/').map(escape).join('/')}`;
  const signer = new SignatureV4({
    service: 's3',
    region: p.region,
    credentials: p.credentials,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: false,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: base.protocol,
      hostname: base.hostname,
      ...(base.port ? { port: Number(base.port) } : {}),
      path,
      query: {},
      headers: { host: base.host, [CONTENT_SHA256]: 'UNSIGNED-PAYLOAD' },
    },
    {
      expiresIn: p.expiresInSeconds,
      unsignableHeaders: new Set([CONTENT_SHA256]),
      unhoistableHeaders: new Set([CONTENT_SHA256]),
      ...(p.signingDate ? { signingDate: p.signingDate } : {}),
    },
  );
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${escape(k)}=${escape(String(v))}`)
    .join('&');
  return `${base.protocol}//${base.host}${path}?${query}`;
}
