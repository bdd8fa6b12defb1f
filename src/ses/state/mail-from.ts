// Custom MAIL FROM domains (SetIdentityMailFromDomain, PutEmailIdentityMailFromAttributes): the
// domain's status of its own (Pending until its MX record is seen, Failed after 72 hours without
// it; at once Success when verification is automatic), and which domain a message leaves with.
// The most specific identity covering the From address that has a MAIL FROM domain decides, as an
// address identity's settings win over its domain's. Until its status is Success,
// BehaviorOnMXFailure applies: UseDefaultValue sends with SES's own domain, RejectMessage refuses
// the send with MailFromDomainNotVerifiedException.
import type { Config } from '../../config/config.js';
import type { Store } from '../../store/database.js';
import type { SesIdentityRow } from '../../store/schema/ses.js';
import { AwsError } from '../../errors/aws-error.js';
import { getIdentities, initialVerificationStatus, type IdentityPatch } from './identities.js';
import { coveringIdentities } from './identity-names.js';
import { cachedAccountRead } from './send-cache.js';

export interface MailFromSetting {
  domain: string;
  status: string;
  rejectMessage: boolean;
}

/**
 * The columns a new MAIL FROM setting writes: a new domain starts over, and so does one that
 * failed; the same domain, pending or verified, keeps its status.
 */
export function mailFromPatch(
  row: SesIdentityRow,
  domain: string | null,
  behavior: string,
  config: Pick<Config, 'verification' | 'profile'>,
  now: Date,
): IdentityPatch {
  const same =
    domain !== null &&
    domain === row.mail_from_domain &&
    (row.mail_from_status === 'Pending' || row.mail_from_status === 'Success');
  return {
    mail_from_domain: domain,
    mail_from_behavior: behavior,
    mail_from_status:
      domain === null ? null : same ? row.mail_from_status : initialVerificationStatus(config),
    mail_from_set_at: domain === null ? null : same ? row.mail_from_set_at : now.getTime(),
  };
}

/** The MAIL FROM setting that applies to mail from `address` in the identity owner's account. */
export function cachedMailFrom(
  store: Store,
  ownerAccountId: string,
  region: string,
  address: string,
): Promise<MailFromSetting | undefined> {
  return cachedAccountRead(
    store,
    ownerAccountId,
    `mail-from\u0000${region}\u0000${address.toLowerCase()}`,
    async () => {
      const names = coveringIdentities(address);
      const rows = await getIdentities(store, ownerAccountId, region, names);
      for (const name of names) {
        const row = rows.find((r) => r.identity === name);
        if (row?.mail_from_domain)
          return {
            domain: row.mail_from_domain,
            status: row.mail_from_status ?? 'Pending',
            rejectMessage: row.mail_from_behavior === 'RejectMessage',
          };
      }
      return undefined;
    },
  );
}

/** A send whose MAIL FROM domain is not verified and asks for RejectMessage is refused. */
export function checkMailFrom(setting: MailFromSetting | undefined): void {
  if (setting && setting.status !== 'Success' && setting.rejectMessage)
    throw new AwsError('MailFromDomainNotVerifiedException', 'DNS setup for MAIL FROM domain is invalid.');
}

/** The domain a message leaves with as envelope sender, when not SES's own. */
export function usableMailFromDomain(setting: MailFromSetting | undefined): string | undefined {
  return setting?.status === 'Success' ? setting.domain : undefined;
}

/**
 * With automatic verification, MAIL FROM domains set before their status was kept (Pending since
 * the migration that added it) are confirmed as any new one is. Returns how many.
 */
export async function confirmPendingMailFrom(
  store: Store,
  config: Pick<Config, 'verification' | 'profile'>,
): Promise<number> {
  if (initialVerificationStatus(config) !== 'Success') return 0;
  const res = await store.db
    .updateTable('ses_identities')
    .set({ mail_from_status: 'Success' })
    .where('mail_from_status', '=', 'Pending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
