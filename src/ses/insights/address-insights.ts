// GetEmailAddressInsights: what Sesame can check for real — the address's syntax, its domain's mail
// DNS records (MX, else A/AAAA), what this account knows of the mailbox (the suppression list, hard
// bounces and remote deliveries it recorded, the mailbox simulator), role and disposable-domain lists and
// random-looking input — each as SES's confidence verdict. A mailbox nothing is known of is MEDIUM:
// Sesame does not probe remote servers.
import type { CallContext, OperationTable } from '../../api/operation.js';
import { simulatorScenario } from '../../delivery/simulator.js';
import { CAPTURE_RESPONSE } from '../../delivery/transports/capture.js';
import { onAnyResource } from '../authz.js';
import { addressSyntaxError } from '../send/address.js';
import { findSendingIdentity } from '../state/identities.js';
import { isValidEmailAddress } from '../state/identity-names.js';
import { isSuppressed } from '../state/suppression.js';
import { isDisposable, isRandomInput, isRoleAddress, type Confidence } from './address-checks.js';
import { mailDns, orNone, type MailDns } from './dns.js';

const verdict = (c: Confidence) => ({ ConfidenceVerdict: c });

async function dnsRecords(dns: MailDns, domain: string): Promise<Confidence> {
  const mx = await orNone(dns.resolveMx(domain));
  // A null MX (RFC 7505) says the domain takes no mail.
  if (mx.length > 0) return mx.every((m) => m.exchange === '' || m.exchange === '.') ? 'LOW' : 'HIGH';
  const [a, aaaa] = await Promise.all([orNone(dns.resolve4(domain)), orNone(dns.resolve6(domain))]);
  return a.length + aaaa.length > 0 ? 'MEDIUM' : 'LOW';
}

/** What this account's records say about the mailbox. */
async function mailbox(ctx: CallContext, address: string): Promise<Confidence> {
  const scenario = simulatorScenario(address);
  if (scenario) return scenario === 'bounce' || scenario === 'suppressionlist' ? 'LOW' : 'HIGH';
  const { store, region } = ctx;
  const accountId = ctx.caller.accountId;
  if (await isSuppressed(store, accountId, region, address)) return 'LOW';
  if ((await findSendingIdentity(store, accountId, region, address))?.identity === address) return 'HIGH';
  const recent = await store.db
    .selectFrom('delivery_events')
    .select(['event_type', 'recipients', 'payload'])
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('event_type', 'in', ['Delivery', 'Bounce'])
    // LIKE narrows (the address's own wildcard characters match anything there); the test is exact.
    .where('recipients', 'like', `%${JSON.stringify(address).replace(/[%_\\]/g, '_')}%`)
    .orderBy('event_time', 'desc')
    .limit(20)
    .execute();
  for (const e of recent) {
    if (!(JSON.parse(e.recipients) as string[]).includes(address)) continue;
    const p = JSON.parse(e.payload) as {
      delivery?: { smtpResponse?: string };
      bounce?: { bounceType?: string; bounceSubType?: string };
    };
    // A capture "delivery" kept the message locally: it proves nothing of the mailbox.
    if (e.event_type === 'Delivery' && p.delivery?.smtpResponse !== CAPTURE_RESPONSE) return 'HIGH';
    const b = p.bounce;
    if (b?.bounceType === 'Permanent' && (b.bounceSubType === 'General' || b.bounceSubType === 'NoEmail'))
      return 'LOW';
  }
  return 'MEDIUM';
}

export const addressInsightsOperations: OperationTable = {
  GetEmailAddressInsights: {
    authorize: onAnyResource('GetEmailAddressInsights'),
    async handle(ctx: CallContext, i: { EmailAddress: string }) {
      const address = i.EmailAddress.trim();
      const syntax: Confidence =
        addressSyntaxError(address) === undefined && isValidEmailAddress(address) ? 'HIGH' : 'LOW';
      const domain = address.slice(address.lastIndexOf('@') + 1);
      const dns: Confidence = syntax === 'HIGH' ? await dnsRecords(mailDns(ctx.config), domain) : 'LOW';
      const exists: Confidence = dns === 'LOW' ? 'LOW' : await mailbox(ctx, address);
      const disposable = isDisposable(address);
      const random = isRandomInput(address);
      const checks = [syntax, dns, exists];
      const valid: Confidence =
        checks.includes('LOW') || disposable === 'HIGH'
          ? 'LOW'
          : checks.every((c) => c === 'HIGH') && random === 'LOW'
            ? 'HIGH'
            : 'MEDIUM';
      return {
        MailboxValidation: {
          IsValid: verdict(valid),
          Evaluations: {
            HasValidSyntax: verdict(syntax),
            HasValidDnsRecords: verdict(dns),
            MailboxExists: verdict(exists),
            IsRoleAddress: verdict(isRoleAddress(address)),
            IsDisposable: verdict(disposable),
            IsRandomInput: verdict(random),
          },
        },
      };
    },
  },
};
