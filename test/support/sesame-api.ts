// Sesame's own API (SigV4 service `sesame`: mailbox, audit, policy what-if) called the way any
// client would: a request signed with @smithy/signature-v4 and sent with fetch.
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Creds } from './ses-fixtures.js';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // Answers are read loosely by tests.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  bytes: Buffer;
}

/** RFC 3986, as SigV4 canonicalizes (a space is %20, never '+'). */
const enc = (v: string) =>
  encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export async function sesameCall(
  endpoint: string,
  creds: Creds,
  method: string,
  path: string,
  opts: { query?: Record<string, string>; body?: unknown; region?: string } = {},
): Promise<Answer> {
  const url = new URL(endpoint);
  const query = opts.query ?? {};
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const req = new HttpRequest({
    method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query,
    headers: {
      host: url.host,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body } : {}),
  });
  const signer = new SignatureV4({
    credentials: creds,
    region: opts.region ?? 'us-east-1',
    service: 'sesame',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(req);
  const qs = Object.entries(query)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join('&');
  const res = await fetch(`${endpoint}${path}${qs ? `?${qs}` : ''}`, {
    method,
    headers: signed.headers as Record<string, string>,
    ...(body !== undefined ? { body } : {}),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  let json: unknown = {};
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON (raw MIME, attachment bytes)
  }
  return { status: res.status, headers: res.headers, text, json, bytes };
}
