// Beyond SES, for local development: mail Sesame delivers with the capture transport to a domain
// that has an active receipt rule here is received through the same path as mail from the MX
// listener, so a send -> receive -> Lambda loop runs on one machine. The loop's sending MTA is
// Sesame itself, so its verdict lookups are answered by Sesame for what it is authoritative on:
// its own Easy DKIM keys (`<selector>._domainkey.<domain>`) and the SPF of its bounce domains
// (`amazonses.com` and the verified custom MAIL FROM domains here: the loop sends from 127.0.0.1);
// every other name goes to the resolver.
import type { Deliver, OutgoingMessage, Transport } from '../delivery/transports/types.js';
import type { Store } from '../store/database.js';
import { receiveMessage, receivedHere, type ReceiveDeps } from './receive.js';
import type { DnsResolve } from './verdicts.js';

/** The host name the loop's sending side presents (SES's outbound naming). */
export const loopbackHelo = (region: string) => `a1-1.smtp-out.${region}.amazonses.com`;

const LOOP_SPF = 'v=spf1 ip4:127.0.0.0/8 ip6:::1 -all';

export function loopbackResolver(store: Store, resolve: DnsResolve): DnsResolve {
  return async (name, rrtype) => {
    const host = name.toLowerCase().replace(/\.$/, '');
    if (rrtype === 'TXT' && /(^|\.)amazonses\.com$/.test(host) && !host.includes('_domainkey'))
      return [[LOOP_SPF]];
    // `_dmarc.…`, `…._domainkey.…` and the like are never MAIL FROM domains: no lookup for them.
    if (rrtype === 'TXT' && !host.includes('_') && (await isMailFromDomain(store, host))) return [[LOOP_SPF]];
    const dkim = rrtype === 'TXT' ? /^([^.]+)\._domainkey\.(.+)$/.exec(host) : null;
    if (dkim) {
      const key = await store.db
        .selectFrom('delivery_dkim_keys')
        .select('public_key')
        .where('selector', '=', dkim[1]!)
        .where('domain', '=', dkim[2]!)
        .executeTakeFirst();
      if (key) return [[`v=DKIM1; k=rsa; p=${key.public_key}`]];
    }
    return resolve(name, rrtype);
  };
}

/** A verified custom MAIL FROM domain of an identity here: the loop's envelope senders use it. */
async function isMailFromDomain(store: Store, host: string): Promise<boolean> {
  const row = await store.db
    .selectFrom('ses_identities')
    .select('identity')
    .where('mail_from_domain', '=', host)
    .where('mail_from_status', '=', 'Success')
    .executeTakeFirst();
  return row !== undefined;
}

/** The capture transport, receiving what it captures for recipients with an active receipt rule. */
export function withLoopbackReceiving(transport: Transport, deps: ReceiveDeps): Transport {
  if (transport.name !== 'capture') return transport;
  const loop: ReceiveDeps = { ...deps, resolve: loopbackResolver(deps.store, deps.resolve) };
  const envelope = (m: OutgoingMessage) => ({ recipients: m.recipients, ip: '127.0.0.1', secure: true });
  const deliver: Deliver = async (m) => {
    const outcomes = await transport.deliver(m);
    const delivered = outcomes.filter((o) => o.kind === 'delivered').map((o) => o.recipient);
    // Seeded by the MessageId: a redelivery after a crash receives nothing twice.
    // The capture's Return-Path gives way to the one the receiving side writes.
    const raw = m.raw.subarray(
      /^Return-Path:[^\n]*\n/i.exec(m.raw.toString('latin1', 0, 1024))?.[0].length ?? 0,
    );
    if (delivered.length > 0)
      await receiveMessage(
        loop,
        { ...envelope(m), recipients: delivered, mailFrom: m.mailFrom, helo: loopbackHelo(m.region) },
        raw,
        m.messageId,
      );
    return outcomes;
  };
  // Mail no receipt rule here takes (nearly all of it) is captured with its attempt's settle, as
  // without the loop; the rest takes `deliver` above: captured, then received.
  const capture = transport.deliver.asWrite;
  if (capture)
    deliver.asWrite = async (m) => ((await receivedHere(loop, envelope(m))) ? undefined : capture(m));
  return { ...transport, deliver };
}
