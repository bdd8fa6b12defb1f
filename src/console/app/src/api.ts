// Clients of Sesame's public APIs, all signed with the signed-in key: the AWS SDK for STS, IAM and
// SES v2, and a small SigV4-signed fetch for Sesame's own REST API (service `sesame`).
import { STSClient } from '@aws-sdk/client-sts';
import { IAMClient } from '@aws-sdk/client-iam';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SESClient } from '@aws-sdk/client-ses';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256, Sha256Js } from '@smithy/core/checksum';
import type { Session } from './session.js';

/** WebCrypto exists only in secure contexts (HTTPS, localhost): plain HTTP elsewhere hashes in JS. */
export const sha256 = typeof window !== 'undefined' && window.isSecureContext ? Sha256 : Sha256Js;

export interface Clients {
  sts: STSClient;
  iam: IAMClient;
  sesv2: SESv2Client;
  /** SES v1 (Query): receipt rule sets, rules and filters exist only there. */
  ses: SESClient;
  /** Sesame's own API (service `sesame`): GET by default; `init` for DELETE or a JSON POST. */
  sesame: (
    path: string,
    query?: Record<string, string | undefined>,
    init?: { method: 'GET' | 'POST' | 'DELETE'; body?: unknown },
  ) => Promise<Response>;
  sesameJson: <T>(path: string, query?: Record<string, string | undefined>) => Promise<T>;
  /** A presigned GET URL (5 minutes): for what the browser loads itself (a frame's document). */
  presign: (path: string, query?: Record<string, string | undefined>) => Promise<string>;
}

function credentialsOf(s: Session) {
  return {
    accessKeyId: s.accessKeyId,
    secretAccessKey: s.secretAccessKey,
    ...(s.sessionToken ? { sessionToken: s.sessionToken } : {}),
  };
}

/** SigV4's encoding (RFC 3986: space is %20, never '+'), so the server canonicalizes what was signed. */
const enc = (v: string) =>
  encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const queryString = (q: Record<string, string | string[] | null>) =>
  Object.entries(q)
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`)
    .join('&');

export function clientsFor(s: Session): Clients {
  const cfg = {
    endpoint: window.location.origin,
    region: s.region,
    credentials: credentialsOf(s),
    maxAttempts: 1,
    sha256,
  };
  const signer = new SignatureV4({
    service: 'sesame',
    region: s.region,
    credentials: credentialsOf(s),
    sha256,
  });
  const request = (
    path: string,
    query: Record<string, string | undefined>,
    method = 'GET',
    body?: string,
  ) => {
    const url = new URL(path, window.location.origin);
    const q: Record<string, string> = {};
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q[k] = v;
    return new HttpRequest({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: q,
      headers: { host: url.host, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body } : {}),
    });
  };
  const sesame: Clients['sesame'] = async (path, query = {}, init) => {
    const body = init?.body === undefined ? undefined : JSON.stringify(init.body);
    const req = request(path, query, init?.method ?? 'GET', body);
    const signed = await signer.sign(req);
    const headers = { ...signed.headers };
    delete headers.host; // the browser sets Host itself (same value)
    const qs = queryString(req.query);
    return fetch(`${window.location.origin}${req.path}${qs ? `?${qs}` : ''}`, {
      method: req.method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
  };
  const presign: Clients['presign'] = async (path, query = {}) => {
    const signed = await signer.presign(request(path, query), { expiresIn: 300 });
    return `${window.location.origin}${signed.path}?${queryString(signed.query ?? {})}`;
  };
  const sesameJson = async <T>(path: string, query?: Record<string, string | undefined>): Promise<T> =>
    readJson<T>(await sesame(path, query));
  return {
    sts: new STSClient(cfg),
    iam: new IAMClient(cfg),
    sesv2: new SESv2Client(cfg),
    ses: new SESClient(cfg),
    sesame,
    sesameJson,
    presign,
  };
}

/**
 * The error text of a failed answer, read from its body: AWS's `Code: message` when the body is
 * JSON ({"__type","message"}, the code also in x-amzn-ErrorType), else the status and the text.
 */
export async function failureText(res: Response): Promise<string> {
  return failureTextOf(res, await res.text());
}

function failureTextOf(res: Response, text: string): string {
  const code = res.headers.get('x-amzn-errortype')?.split(':')[0] || String(res.status);
  try {
    const body = JSON.parse(text) as { __type?: string; message?: string; Message?: string };
    return `${body.__type ?? code}: ${body.message ?? body.Message ?? text}`;
  } catch {
    return `${code}: ${text || res.statusText}`; // not JSON (a proxy's page, say)
  }
}

/** A JSON answer's body; a failed answer throws its error text (failureText). */
export async function readJson<T>(res: Response): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(failureTextOf(res, text));
  return JSON.parse(text) as T;
}

/** AWS's own error text (code + message), the way the console shows failures. */
export function errorText(e: unknown): string {
  const err = e as { name?: string; message?: string; Code?: string };
  if (err && typeof err === 'object' && err.message) {
    const code = err.Code ?? err.name;
    return code && code !== 'Error' && !err.message.startsWith(code)
      ? `${code}: ${err.message}`
      : err.message;
  }
  return String(e);
}
