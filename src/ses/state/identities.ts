// Verified identities (addresses and domains) of one account in one region. Shared by API v1 and v2;
// each API words its own errors, so these functions return values (undefined / false) instead.
import { randomBytes } from 'node:crypto';
import type { Store } from '../../store/database.js';
import type { SesIdentityRow } from '../../store/schema/ses.js';
import type { Config } from '../../config/config.js';
import { identityArn } from './arn.js';
import { coveringIdentities, type IdentityType } from './identity-names.js';
import { readJson, type Tag } from './json.js';
import { invalidateSendState } from './invalidate.js';
import { dropResourceAssociations } from './tenants.js';

/** v1 status words; v2 upper-cases them (`TemporaryFailure` -> `TEMPORARY_FAILURE`). */
export type VerificationStatus = 'Pending' | 'Success' | 'Failed' | 'TemporaryFailure' | 'NotStarted';

/** Whether a new identity is verified at once: `auto` verification or the emulator profile. */
export function initialVerificationStatus(
  config: Pick<Config, 'verification' | 'profile'>,
): VerificationStatus {
  return config.profile === 'emulator' || config.verification === 'auto' ? 'Success' : 'Pending';
}

export function newVerificationToken(): string {
  return randomBytes(32).toString('base64');
}

/** Three Easy DKIM tokens: 32 characters of [a-z0-9] each, as SES hands out. */
export function newDkimTokens(): string[] {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [0, 1, 2].map(() => Array.from(randomBytes(32), (b) => alphabet[b % alphabet.length]).join(''));
}

export interface NewIdentity {
  identity: string;
  type: IdentityType;
  status: VerificationStatus;
  verificationToken?: string;
  dkimEnabled?: boolean;
  dkimTokens?: string[];
  dkimStatus?: VerificationStatus;
  configurationSet?: string;
  tags?: Tag[];
  now: Date;
}

/** The row of a new identity: verification as given, every other setting at SES's default. */
export function newIdentityRow(accountId: string, region: string, n: NewIdentity): SesIdentityRow {
  return {
    account_id: accountId,
    region,
    identity: n.identity,
    identity_type: n.type,
    verification_status: n.status,
    verification_token: n.verificationToken ?? null,
    dkim_enabled: n.dkimEnabled ? 1 : 0,
    dkim_status: n.dkimStatus ?? 'NotStarted',
    dkim_tokens: JSON.stringify(n.dkimTokens ?? []),
    feedback_forwarding: 1,
    bounce_topic: null,
    complaint_topic: null,
    delivery_topic: null,
    headers_in_bounce: 0,
    headers_in_complaint: 0,
    headers_in_delivery: 0,
    mail_from_domain: null,
    mail_from_behavior: 'UseDefaultValue',
    mail_from_status: null,
    mail_from_set_at: null,
    configuration_set: n.configurationSet ?? null,
    tags: JSON.stringify(n.tags ?? []),
    created_at: n.now.getTime(),
  };
}

/** Inserts the identity unless it exists; true when it was created. */
export async function insertIdentity(
  store: Store,
  accountId: string,
  region: string,
  n: NewIdentity,
): Promise<boolean> {
  const res = await store.db
    .insertInto('ses_identities')
    .values(newIdentityRow(accountId, region, n))
    .onConflict((oc) => oc.columns(['account_id', 'region', 'identity']).doNothing())
    .executeTakeFirst();
  await invalidateSendState(store, accountId);
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Whether `identity` may be added (SES's quota of identities per account and region): it exists
 * already, or the account has fewer than `max` in the region. Checked before the insert, so two
 * creations racing at the very limit may both pass.
 */
export async function identityQuotaAllows(
  store: Store,
  accountId: string,
  region: string,
  identity: string,
  max: number,
): Promise<boolean> {
  if (await getIdentity(store, accountId, region, identity)) return true;
  const row = await store.db
    .selectFrom('ses_identities')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .executeTakeFirst();
  return Number(row?.n ?? 0) < max;
}

export async function getIdentity(
  store: Store,
  accountId: string,
  region: string,
  identity: string,
): Promise<SesIdentityRow | undefined> {
  return store.db
    .selectFrom('ses_identities')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('identity', '=', identity)
    .executeTakeFirst();
}

export async function getIdentities(
  store: Store,
  accountId: string,
  region: string,
  identities: readonly string[],
): Promise<SesIdentityRow[]> {
  if (identities.length === 0) return [];
  return store.db
    .selectFrom('ses_identities')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('identity', 'in', [...identities])
    .execute();
}

export type IdentityPatch = Partial<
  Omit<SesIdentityRow, 'account_id' | 'region' | 'identity' | 'identity_type' | 'created_at'>
>;

/** Updates an existing identity; false when it does not exist. */
export async function updateIdentity(
  store: Store,
  accountId: string,
  region: string,
  identity: string,
  patch: IdentityPatch,
): Promise<boolean> {
  const res = await store.db
    .updateTable('ses_identities')
    .set(patch)
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('identity', '=', identity)
    .executeTakeFirst();
  await invalidateSendState(store, accountId);
  return Number(res.numUpdatedRows) > 0;
}

/** Deletes an identity, its sending-authorization policies (docs/spec/ses.md §4.2) and DKIM key; false when absent. */
export async function deleteIdentity(
  store: Store,
  accountId: string,
  region: string,
  identity: string,
): Promise<boolean> {
  const deleted = await store.db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('ses_identity_policies')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('identity', '=', identity)
      .execute();
    // Its DKIM signing attributes (a BYODKIM key) and its Easy DKIM key go with it.
    await trx
      .deleteFrom('ses_dkim_signing')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('identity', '=', identity)
      .execute();
    await trx
      .deleteFrom('delivery_dkim_keys')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('domain', '=', identity)
      .execute();
    const res = await trx
      .deleteFrom('ses_identities')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('identity', '=', identity)
      .executeTakeFirst();
    // Its tenant associations go with it (the tenants stay).
    await dropResourceAssociations(
      { ...store, db: trx },
      accountId,
      region,
      identityArn(region, accountId, identity),
    );
    return Number(res.numDeletedRows) > 0;
  });
  await invalidateSendState(store, accountId);
  return deleted;
}

export interface ListIdentitiesOptions {
  type?: IdentityType;
  /** Continue after this identity name (keyset paging). */
  after?: string;
  limit: number;
}

/** Identities ordered by name; fetches `limit` rows. */
export async function listIdentities(
  store: Store,
  accountId: string,
  region: string,
  opts: ListIdentitiesOptions,
): Promise<SesIdentityRow[]> {
  let q = store.db
    .selectFrom('ses_identities')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region);
  if (opts.type) q = q.where('identity_type', '=', opts.type);
  if (opts.after !== undefined) q = q.where('identity', '>', opts.after);
  return q.orderBy('identity').limit(opts.limit).execute();
}

/** For the verification flows (email link, DNS check): the identity becomes verified. */
export async function markIdentityVerified(
  store: Store,
  accountId: string,
  region: string,
  identity: string,
): Promise<boolean> {
  return updateIdentity(store, accountId, region, identity, { verification_status: 'Success' });
}

/** For the DNS check of the DKIM CNAMEs: DKIM becomes verified (signing still needs DkimEnabled). */
export async function markDkimVerified(
  store: Store,
  accountId: string,
  region: string,
  identity: string,
): Promise<boolean> {
  return updateIdentity(store, accountId, region, identity, { dkim_status: 'Success' });
}

export const dkimTokensOf = (row: SesIdentityRow): string[] => readJson<string[]>(row.dkim_tokens, []);
export const tagsOf = (row: { tags: string }): Tag[] => readJson<Tag[]>(row.tags, []);

export interface SendingIdentity {
  /** The identity name that covers the address (the address itself, its domain or a parent domain). */
  identity: string;
  identityArn: string;
  identityType: IdentityType;
  verified: boolean;
  /** The identity's default configuration set (v2 PutEmailIdentityConfigurationSetAttributes). */
  defaultConfigurationSet?: string;
  /** Easy DKIM signing on for this identity. */
  dkimEnabled: boolean;
  /** The identity's tags (`aws:ResourceTag/*` of checks on it). */
  tags: Tag[];
}

/**
 * The identity that covers `address` for sending: the first *verified* one of the address, its
 * domain, then parent domains; when none is verified, the most specific one that exists (so the
 * caller can name it); undefined when none exists.
 */
export async function findSendingIdentity(
  store: Store,
  accountId: string,
  region: string,
  address: string,
): Promise<SendingIdentity | undefined> {
  const candidates = coveringIdentities(address);
  const rows = await getIdentities(store, accountId, region, candidates);
  const byName = new Map(rows.map((r) => [r.identity, r]));
  const ordered = candidates.map((c) => byName.get(c)).filter((r): r is SesIdentityRow => r !== undefined);
  const row = ordered.find((r) => r.verification_status === 'Success') ?? ordered[0];
  if (!row) return undefined;
  const found: SendingIdentity = {
    identity: row.identity,
    identityArn: identityArn(region, accountId, row.identity),
    identityType: row.identity_type as IdentityType,
    verified: row.verification_status === 'Success',
    dkimEnabled: row.dkim_enabled === 1,
    tags: tagsOf(row),
  };
  if (row.configuration_set) found.defaultConfigurationSet = row.configuration_set;
  return found;
}
