// Direct delivery: recipients grouped by domain, each domain's MX hosts tried by preference (the
// domain itself when it has no MX, RFC 5321 §5.1), opportunistic STARTTLS. The resolver and port are
// injectable so tests never leave 127.0.0.1.
import { promises as dns } from 'node:dns';
import nodemailer from 'nodemailer';
import { sendVia } from './relay.js';
import type { OutgoingMessage, RecipientOutcome, Transport } from './types.js';
import { failAll } from './types.js';
import { domainOf } from '../../ses/send/address.js';

export interface MxOptions {
  resolveMx?: (domain: string) => Promise<{ exchange: string; priority: number }[]>;
  /** Port of the receiving MTAs. Default 25. */
  port?: number;
  /** EHLO name. */
  name?: string;
  connectionTimeoutMs?: number;
}

/** MX hosts in preference order; [] for a null MX (the domain accepts no mail, RFC 7505). */
export async function mxHosts(
  domain: string,
  resolveMx: NonNullable<MxOptions['resolveMx']>,
): Promise<string[] | 'no-domain'> {
  try {
    const records = await resolveMx(domain);
    if (records.length === 0) return [domain];
    if (records.length === 1 && (records[0]!.exchange === '' || records[0]!.exchange === '.')) return [];
    return [...records].sort((a, b) => a.priority - b.priority).map((r) => r.exchange);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENODATA') return [domain];
    if (code === 'ENOTFOUND') return 'no-domain';
    throw err;
  }
}

export function mxTransport(opts: MxOptions = {}): Transport {
  const resolveMx = opts.resolveMx ?? ((d: string) => dns.resolveMx(d));
  const port = opts.port ?? 25;
  async function toDomain(
    m: OutgoingMessage,
    domain: string,
    recipients: string[],
  ): Promise<RecipientOutcome[]> {
    let hosts: string[] | 'no-domain';
    try {
      hosts = await mxHosts(domain, resolveMx);
    } catch (err) {
      return failAll(recipients, {
        message: `DNS lookup for ${domain} failed: ${(err as Error).message}`,
        responseCode: 451,
      });
    }
    if (hosts === 'no-domain')
      return failAll(recipients, {
        responseCode: 550,
        response: `550 5.1.2 Domain ${domain} does not exist`,
      });
    if (hosts.length === 0)
      return failAll(recipients, {
        responseCode: 556,
        response: `556 5.1.10 Domain ${domain} does not accept mail (null MX)`,
      });
    let last: RecipientOutcome[] = [];
    for (const host of hosts) {
      const t = nodemailer.createTransport({
        host,
        port,
        secure: false,
        // Opportunistic TLS: MX certificates are often not valid for the MX name.
        tls: { rejectUnauthorized: false },
        ...(opts.name ? { name: opts.name } : {}),
        ...(m.localAddress ? { localAddress: m.localAddress } : {}),
        connectionTimeout: opts.connectionTimeoutMs ?? 30_000,
      });
      try {
        last = await sendVia(t, { ...m, recipients }, host);
      } finally {
        t.close();
      }
      // A definite answer (delivered or 5xx) ends it; a temporary failure tries the next MX.
      if (last.every((o) => o.kind === 'delivered' || o.permanent)) return last;
    }
    return last;
  }
  return {
    name: 'mx',
    addsReturnPath: false,
    async deliver(m) {
      const byDomain = new Map<string, string[]>();
      for (const r of m.recipients) byDomain.set(domainOf(r), [...(byDomain.get(domainOf(r)) ?? []), r]);
      const parts = await Promise.all([...byDomain].map(([d, rs]) => toDomain(m, d, rs)));
      return parts.flat();
    },
  };
}
