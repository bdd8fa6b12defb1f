// Hand-made requests signed with @smithy/signature-v4 (what the SDKs use) and sent with fetch: for
// the tests that need a request no SDK would build (odd parameters, headers, services).
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { ROOT_KEY } from './server.js';

export interface SignedSpec {
  method?: string;
  path?: string;
  query?: Record<string, string>;
  /** A form body for Query services by default. */
  body?: string;
  headers?: Record<string, string>;
  service?: string;
  region?: string;
  creds?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Send x-amz-content-sha256 (as the JS SDK does); false signs like botocore, without it. */
  declareHash?: boolean;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

export const FORM = 'application/x-www-form-urlencoded; charset=utf-8';

/** Signs `spec` for `endpoint` (header form) and sends it. */
export async function signedFetch(endpoint: string, spec: SignedSpec): Promise<Answer> {
  const url = new URL(endpoint);
  const method = spec.method ?? 'POST';
  const req = new HttpRequest({
    method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: spec.path ?? '/',
    query: spec.query ?? {},
    headers: { host: url.host, ...(method === 'GET' ? {} : { 'content-type': FORM }), ...spec.headers },
    body: spec.body,
  });
  const signer = new SignatureV4({
    credentials: spec.creds ?? ROOT_KEY,
    region: spec.region ?? 'us-east-1',
    service: spec.service ?? 'ses',
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: spec.declareHash ?? true,
  });
  const signed = await signer.sign(req);
  const headers = { ...(signed.headers as Record<string, string>) };
  delete headers.host; // fetch sends the same Host itself
  const qs = new URLSearchParams(spec.query ?? {}).toString();
  const res = await fetch(`${endpoint}${spec.path ?? '/'}${qs ? `?${qs}` : ''}`, {
    method,
    headers,
    body: spec.body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]!);

/** `<Code>` and `<Message>` of a Query-protocol error body, unescaped. */
export function queryErrorFields(text: string): { code?: string; message?: string } {
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  const raw = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
  const message = raw === undefined ? undefined : unescapeXml(raw);
  return { ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message } : {}) };
}
