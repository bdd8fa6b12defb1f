// Relay through a smarthost: one pooled nodemailer SMTP connection set, STARTTLS (required unless
// disabled) and AUTH. The message bytes go out as prepared; the envelope is SES's.
import nodemailer from 'nodemailer';
import type { OutgoingMessage, RecipientOutcome, Transport } from './types.js';
import { enhancedStatus, failAll } from './types.js';

export interface RelayOptions {
  host: string;
  port: number;
  /** Implicit TLS (port 465 style). Default false: plain connection upgraded with STARTTLS. */
  secure?: boolean;
  /** Refuse to send unless the server offers STARTTLS. Default true. */
  requireTLS?: boolean;
  /** Never upgrade with STARTTLS, even when offered (`?tls=off`). */
  ignoreTLS?: boolean;
  auth?: { user: string; pass: string };
  tls?: { rejectUnauthorized?: boolean; ca?: string | Buffer; servername?: string };
  /** EHLO name. */
  name?: string;
  /** Parallel connections to the smarthost. Default 5. */
  maxConnections?: number;
  connectionTimeoutMs?: number;
}

interface SendError {
  responseCode?: number;
  response?: string;
  rejected?: string[];
  rejectedErrors?: SendError[];
  recipient?: string;
}

export function relayTransport(opts: RelayOptions): Transport {
  // One connection pool per local address: dedicated-pool mail binds to its address.
  const pools = new Map<string, ReturnType<typeof nodemailer.createTransport>>();
  const poolFor = (localAddress: string | undefined) => {
    const key = localAddress ?? '';
    let t = pools.get(key);
    if (!t) pools.set(key, (t = createPool(opts, localAddress)));
    return t;
  };
  return {
    name: 'relay',
    addsReturnPath: false,
    deliver: (m) => sendVia(poolFor(m.localAddress), m, `${opts.host}:${opts.port}`),
    close: async () => {
      for (const t of pools.values()) t.close();
    },
  };
}

function createPool(opts: RelayOptions, localAddress: string | undefined) {
  return nodemailer.createTransport({
    pool: true,
    host: opts.host,
    port: opts.port,
    secure: opts.secure ?? false,
    requireTLS: opts.requireTLS ?? true,
    ...(opts.ignoreTLS ? { ignoreTLS: true } : {}),
    ...(opts.auth ? { auth: opts.auth } : {}),
    ...(opts.tls ? { tls: opts.tls } : {}),
    ...(opts.name ? { name: opts.name } : {}),
    maxConnections: opts.maxConnections ?? 5,
    connectionTimeout: opts.connectionTimeoutMs ?? 30_000,
    ...(localAddress ? { localAddress } : {}),
  });
}

/** Sends with a nodemailer transport and maps accepted/rejected recipients to outcomes. */
export async function sendVia(
  transport: { sendMail(o: object): Promise<unknown> },
  m: OutgoingMessage,
  remoteMta: string,
): Promise<RecipientOutcome[]> {
  try {
    const info = (await transport.sendMail({
      envelope: { from: m.mailFrom, to: m.recipients },
      raw: m.raw,
    })) as { accepted: string[]; rejected: string[]; rejectedErrors?: SendError[]; response: string };
    const rejected = new Map<string, SendError>();
    for (const e of info.rejectedErrors ?? []) if (e.recipient) rejected.set(e.recipient.toLowerCase(), e);
    const rejectedSet = new Set(info.rejected.map((r) => r.toLowerCase()));
    return m.recipients.map((recipient): RecipientOutcome => {
      if (!rejectedSet.has(recipient.toLowerCase()))
        return { recipient, kind: 'delivered', smtpResponse: info.response, remoteMta };
      const e = rejected.get(recipient.toLowerCase());
      const code = e?.responseCode ?? 450;
      const text = e?.response ?? `${code} recipient rejected`;
      return {
        recipient,
        kind: 'failed',
        permanent: code >= 500,
        smtpResponse: text,
        status: enhancedStatus(text, code >= 500),
      };
    });
  } catch (err) {
    // Every recipient refused: nodemailer throws with the per-recipient errors attached.
    const e = err as SendError;
    if (e.rejectedErrors && e.rejectedErrors.length > 0) {
      return m.recipients.map((recipient) => {
        const r = e.rejectedErrors!.find((x) => x.recipient?.toLowerCase() === recipient.toLowerCase()) ?? e;
        return failAll([recipient], r)[0]!;
      });
    }
    return failAll(m.recipients, err);
  }
}
