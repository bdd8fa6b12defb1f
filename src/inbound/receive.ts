// One received message, accepted: routed to the accounts whose active rule sets take its
// recipients, checked (SPF, DKIM, DMARC, and spam and virus when a rule scans), stamped with the
// headers SES adds, and committed — per account, the mailbox copy (kind `inbound`) and its action
// queue row with the rules it matched — before the SMTP reply says 250 (docs/architecture.md rule 4: what was
// accepted is never lost). The listener and the capture loop both come here.
import { createHash, randomBytes } from 'node:crypto';
import { notify } from '../delivery/notify.js';
import { storeCaptured } from '../delivery/transports/capture.js';
import { parseMailbox } from '../ses/send/address.js';
import { rfc5322Date } from '../ses/send/message-id.js';
import { firstHeader, splitHeaders } from '../ses/send/mime-headers.js';
import type { ReceiptAction, ReceiptRule } from '../ses/receiving/index.js';
import type { Store } from '../store/database.js';
import { batchedWrite } from '../store/write-batch.js';
import type { ReceivingSettings } from '../config/receiving.js';
import { directoryOf, routeRecipient, type ReceivingAccount, type RecipientRoute } from './directory.js';
import { ruleApplies } from './match.js';
import { authenticateMessage, type DnsResolve, type Verdicts } from './verdicts.js';
import { keepFresh } from './fresh.js';

/** A rule as the message matched it at receipt: what its actions will run with. */
export interface PlannedRule {
  name: string;
  /** The envelope recipients this rule matched (the notifications' receipt.recipients). */
  recipients: string[];
  actions: ReceiptAction[];
  scanEnabled: boolean;
}

export interface InboundEnvelope {
  mailFrom: string;
  recipients: string[];
  ip: string;
  helo: string;
  secure: boolean;
}

export interface ReceiveDeps {
  store: Store;
  region: string;
  resolve: DnsResolve;
  scanners: Pick<ReceivingSettings, 'spamd' | 'clamd'>;
  now: () => Date;
}

export interface Received {
  accountId: string;
  messageId: string;
  recipients: string[];
}

/** The host name SES receives as, in Received headers and DSNs. */
export const inboundHost = (region: string) => `inbound-smtp.${region}.amazonaws.com`;

const BASE32 = '0123456789abcdefghijklmnopqrstuv';

/** SES's inbound message ids: 40 lower-case base-32 characters (`o3vrnil0e2ic28trm7dfhrc2v0…`). */
export function inboundMessageId(seed?: string): string {
  const bytes =
    seed === undefined ? randomBytes(25) : createHash('sha256').update(seed).digest().subarray(0, 25);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** The rules of one account that the accepted recipients match, in rule-set order. */
export function planFor(rules: readonly ReceiptRule[], recipients: readonly string[]): PlannedRule[] {
  const plan: PlannedRule[] = [];
  for (const rule of rules) {
    if (!rule.Enabled) continue;
    const matched = recipients.filter((r) => ruleApplies(rule, r));
    if (matched.length === 0) continue;
    plan.push({ name: rule.Name, recipients: matched, actions: rule.Actions, scanEnabled: rule.ScanEnabled });
  }
  return plan;
}

/** Groups routed recipients by the accounts that took them. */
function byAccount(routes: readonly [string, RecipientRoute][]): Map<ReceivingAccount, string[]> {
  const out = new Map<ReceivingAccount, string[]>();
  for (const [address, route] of routes)
    for (const { account } of route.accepted) out.set(account, [...(out.get(account) ?? []), address]);
  return out;
}

function sesHeaders(
  e: InboundEnvelope,
  a: { messageId: string; firstRecipient: string; at: Date; region: string; eol: string },
  auth: { verdicts: Verdicts; receivedSpf: string; authenticationResults: string },
): string {
  const lines = [
    `Return-Path: <${e.mailFrom}>`,
    `Received: from ${e.helo} (${e.helo} [${e.ip}]) by ${inboundHost(a.region)} with SMTP id ${a.messageId} for ${a.firstRecipient}; ${rfc5322Date(a.at)} (UTC)`,
    ...(auth.verdicts.spam ? [`X-SES-Spam-Verdict: ${auth.verdicts.spam}`] : []),
    ...(auth.verdicts.virus ? [`X-SES-Virus-Verdict: ${auth.verdicts.virus}`] : []),
    `Received-SPF: ${auth.receivedSpf}`,
    `Authentication-Results: ${auth.authenticationResults.replace(/\r\n/g, a.eol)}`,
  ];
  return lines.join(a.eol) + a.eol;
}

/** The accounts whose receipt rules take some of the envelope's recipients, with their plans. */
async function takenBy(deps: ReceiveDeps, e: Pick<InboundEnvelope, 'recipients' | 'ip' | 'secure'>) {
  const dir = await directoryOf(deps.store, deps.region);
  const routes = e.recipients.map(
    (r) => [r, routeRecipient(dir, r, { ip: e.ip, secure: e.secure })] as [string, RecipientRoute],
  );
  return [...byAccount(routes)]
    .map(([account, recipients]) => ({ account, recipients, plan: planFor(account.rules, recipients) }))
    .filter((a) => a.plan.length > 0);
}

/** Whether a receipt rule here takes any of the envelope's recipients (receiveMessage would keep it). */
export async function receivedHere(
  deps: ReceiveDeps,
  e: Pick<InboundEnvelope, 'recipients' | 'ip' | 'secure'>,
): Promise<boolean> {
  return (await takenBy(deps, e)).length > 0;
}

/**
 * Accepts a message for the recipients that some account takes and commits it. `seed` makes the
 * message ids deterministic (the capture loop: a redelivery commits nothing new).
 */
export async function receiveMessage(
  deps: ReceiveDeps,
  e: InboundEnvelope,
  raw: Buffer,
  seed?: string,
): Promise<Received[]> {
  const taken = await takenBy(deps, e);
  if (taken.length === 0) return [];
  const auth = await authenticateMessage({
    raw,
    ip: e.ip,
    helo: e.helo,
    mailFrom: e.mailFrom,
    resolve: deps.resolve,
    scan: taken.some((a) => a.plan.some((r) => r.scanEnabled)),
    scanners: deps.scanners,
  });
  const at = deps.now();
  const split = splitHeaders(raw);
  const from = firstHeader(split.fields, 'from');
  const fromAddress = from === undefined ? undefined : parseMailbox(from)?.address;
  const received = taken.map(({ account, recipients, plan }) => {
    const messageId = inboundMessageId(seed === undefined ? undefined : `${seed}\n${account.accountId}`);
    const head = sesHeaders(
      e,
      { messageId, firstRecipient: recipients[0]!, at, region: deps.region, eol: split.eol },
      auth,
    );
    return { account, recipients, plan, messageId, raw: Buffer.concat([Buffer.from(head, 'utf8'), raw]) };
  });
  await batchedWrite(deps.store, async (tx) => {
    for (const r of received) {
      await storeCaptured(
        tx,
        {
          kind: 'inbound',
          captureId: r.messageId,
          messageId: r.messageId,
          accountId: r.account.accountId,
          region: deps.region,
          principalArn: '',
          mailFrom: e.mailFrom,
          ...(fromAddress ? { fromAddress } : {}),
          recipients: r.recipients,
          raw: r.raw,
          createdAt: at,
        },
        at,
      );
      await tx.db
        .insertInto('inbound_messages')
        .values({
          message_id: r.messageId,
          account_id: r.account.accountId,
          region: deps.region,
          mail_from: e.mailFrom,
          recipients: JSON.stringify(r.recipients),
          remote_ip: e.ip,
          helo: e.helo,
          tls: e.secure ? 1 : 0,
          rule_set: r.account.ruleSet,
          plan: JSON.stringify(r.plan),
          verdicts: JSON.stringify(auth.verdicts),
          added_headers: '[]',
          rule_index: 0,
          action_index: 0,
          attempts: 0,
          status: 'queued',
          lease_owner: null,
          lease_until: null,
          next_attempt_at: at.getTime(),
          received_at: at.getTime(),
          finished_at: null,
          trace: JSON.stringify([
            {
              at: at.toISOString(),
              event: 'Received',
              ruleSet: r.account.ruleSet,
              rules: r.plan.map((p) => p.name),
            },
          ]),
          last_error: null,
        })
        .onConflict((oc) => oc.column('message_id').doNothing())
        .execute();
    }
  });
  for (const r of received) keepFresh(deps.store, r.messageId, r.raw);
  notify('inbound');
  return received.map((r) => ({
    accountId: r.account.accountId,
    messageId: r.messageId,
    recipients: r.recipients,
  }));
}
