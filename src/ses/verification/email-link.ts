// Email-address verification (SESAME_VERIFICATION=email): SES mails a link to the address; opening
// it verifies the identity. The token is random, kept only as a SHA-256 hash with its expiry (24 h,
// as SES's link), in the identity's verification_token column, which address identities otherwise
// leave empty (GetIdentityVerificationAttributes shows tokens for domains only).
import { createHash, randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Store } from '../../store/database.js';
import type { Config } from '../../config/config.js';
import { notify } from '../../delivery/notify.js';
import { insertOutbox } from '../send/outbox.js';
import { messageIdHeader, newMessageId, rfc5322Date } from '../send/message-id.js';
import { invalidateSendState } from '../state/invalidate.js';

export const VERIFICATION_SENDER = 'no-reply-aws@amazon.com';
export const EMAIL_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
const PREFIX = 'email-link:';

const REGION_NAMES: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'ca-central-1': 'Canada (Central)',
  'eu-west-1': 'Europe (Ireland)',
  'eu-west-2': 'Europe (London)',
  'eu-west-3': 'Europe (Paris)',
  'eu-central-1': 'Europe (Frankfurt)',
  'eu-north-1': 'Europe (Stockholm)',
  'eu-south-1': 'Europe (Milan)',
  'ap-south-1': 'Asia Pacific (Mumbai)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-northeast-2': 'Asia Pacific (Seoul)',
  'ap-northeast-3': 'Asia Pacific (Osaka)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
  'sa-east-1': 'South America (São Paulo)',
};

export const regionDisplayName = (region: string): string => REGION_NAMES[region] ?? region;

export const verificationSubject = (region: string): string =>
  `Amazon Web Services – Email Address Verification Request in region ${regionDisplayName(region)}`;

const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** The value stored in verification_token: hash and expiry, never the token itself. */
export const storedTokenValue = (token: string, expiresAt: number): string =>
  `${PREFIX}${hashToken(token)}:${expiresAt}`;

/** Base of the links: SESAME_PUBLIC_URL when set, else the HTTP listener. */
export function publicBaseUrl(config: Pick<Config, 'httpHost' | 'httpPort' | 'publicUrl'>): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, '');
  const host = config.httpHost.includes(':') ? `[${config.httpHost}]` : config.httpHost;
  return `http://${host}:${config.httpPort}`;
}

export interface VerificationMailRequest {
  store: Store;
  config: Pick<Config, 'httpHost' | 'httpPort' | 'publicUrl'>;
  accountId: string;
  region: string;
  /** Who asked (the caller's principal ARN), recorded on the outbox row. */
  principalArn: string;
  identity: string;
  operation: string;
  apiVersion: '1' | '2';
  now: Date;
}

function mailBody(link: string, identity: string, region: string): { text: string; html: string } {
  const where = regionDisplayName(region);
  const text = [
    'Dear Amazon Web Services Customer,',
    '',
    `We have received a request to authorize this email address (${identity}) for use with Amazon SES` +
      ` in region ${where}. If you requested this verification, please go to the following URL to confirm` +
      ' that you are authorized to use this email address:',
    '',
    link,
    '',
    'Your request will not be processed unless you confirm the address using this URL. This link expires' +
      ' 24 hours after your original verification request.',
    '',
    'If you did NOT request to verify this email address, do not click on the link.',
    '',
    'Sincerely,',
    '',
    'The Amazon Web Services Team.',
  ].join('\n');
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const html =
    `<p>Dear Amazon Web Services Customer,</p><p>We have received a request to authorize this email address` +
    ` (${esc(identity)}) for use with Amazon SES in region ${esc(where)}. If you requested this verification,` +
    ` please go to the following URL to confirm that you are authorized to use this email address:</p>` +
    `<p><a href="${esc(link)}">${esc(link)}</a></p><p>Your request will not be processed unless you confirm` +
    ` the address using this URL. This link expires 24 hours after your original verification request.</p>` +
    `<p>If you did NOT request to verify this email address, do not click on the link.</p>` +
    `<p>Sincerely,</p><p>The Amazon Web Services Team.</p>`;
  return { text, html };
}

/**
 * Issues a fresh token for the identity (replacing any earlier one) and queues the verification
 * mail into the outbox, where the delivery workers pick it up. Returns the message id.
 */
export async function sendVerificationEmail(r: VerificationMailRequest): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = r.now.getTime() + EMAIL_TOKEN_TTL_MS;
  const link = `${publicBaseUrl(r.config)}/verify-email?token=${encodeURIComponent(token)}`;
  const messageId = newMessageId(r.now);
  const { text, html } = mailBody(link, r.identity, r.region);
  const raw = await new MailComposer({
    from: VERIFICATION_SENDER,
    to: r.identity,
    subject: verificationSubject(r.region),
    text,
    html,
    date: rfc5322Date(r.now),
    messageId: messageIdHeader(messageId, r.region),
    disableFileAccess: true,
    disableUrlAccess: true,
  })
    .compile()
    .build();
  await r.store.db.transaction().execute(async (trx) => {
    const tx: Store = { ...r.store, db: trx };
    await tx.db
      .updateTable('ses_identities')
      .set({ verification_token: storedTokenValue(token, expiresAt) })
      .where('account_id', '=', r.accountId)
      .where('region', '=', r.region)
      .where('identity', '=', r.identity)
      .execute();
    await insertOutbox(tx, [
      {
        messageId,
        accountId: r.accountId,
        region: r.region,
        principalArn: r.principalArn,
        source: VERIFICATION_SENDER,
        recipients: [r.identity],
        raw,
        tags: [],
        apiVersion: r.apiVersion,
        operation: r.operation,
        createdAt: r.now,
      },
    ]);
  });
  notify('outbox'); // committed: delivery takes it now, not at its next poll
  return messageId;
}

export type RedeemResult =
  | { ok: true; accountId: string; region: string; identity: string }
  | { ok: false; reason: 'unknown' | 'expired' };

/** Verifies the identity the token was issued for; the token is used up. Unknown/expired: no change. */
export async function redeemVerificationToken(store: Store, token: string, now: Date): Promise<RedeemResult> {
  if (!token || token.length > 200) return { ok: false, reason: 'unknown' };
  // The hash is hex, so it holds no LIKE wildcard.
  const row = await store.db
    .selectFrom('ses_identities')
    .select(['account_id', 'region', 'identity', 'verification_token'])
    .where('identity_type', '=', 'EmailAddress')
    .where('verification_token', 'like', `${PREFIX}${hashToken(token)}:%`)
    .executeTakeFirst();
  if (!row?.verification_token) return { ok: false, reason: 'unknown' };
  const expiresAt = Number(row.verification_token.slice(row.verification_token.lastIndexOf(':') + 1));
  if (!(expiresAt > now.getTime())) return { ok: false, reason: 'expired' };
  const res = await store.db
    .updateTable('ses_identities')
    .set({ verification_status: 'Success', verification_token: null })
    .where('account_id', '=', row.account_id)
    .where('region', '=', row.region)
    .where('identity', '=', row.identity)
    // Only the row still holding this token: a concurrent second click finds nothing.
    .where('verification_token', '=', row.verification_token)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) return { ok: false, reason: 'unknown' };
  await invalidateSendState(store, row.account_id);
  return { ok: true, accountId: row.account_id, region: row.region, identity: row.identity };
}
