// Account-level sending state per (account, region): sandbox/production, sending switch, quotas,
// account suppression reasons and the production-access review (docs/spec/ses.md §5.1, §5.3).
// Rows are created lazily: an account that never touched SES in a region reads the defaults.
import { randomUUID } from 'node:crypto';
import type { Store } from '../../store/database.js';
import type { SesAccountRow } from '../../store/schema/ses.js';
import type { Config } from '../../config/config.js';
import { readJson } from './json.js';
import { invalidateSendState } from './invalidate.js';

export const SANDBOX_MAX_24_HOUR_SEND = 200;
export const SANDBOX_MAX_SEND_RATE = 1;

/** What the defaults depend on: the emulator profile starts accounts out of the sandbox. */
export type AccountDefaults = Pick<Config, 'profile' | 'productionMaxSendRate' | 'productionMax24HourSend'>;

export type SuppressionReason = 'BOUNCE' | 'COMPLAINT';
export type ReviewStatus = 'PENDING' | 'GRANTED' | 'DENIED' | 'FAILED';

export interface AccountState {
  sandbox: boolean;
  sendingEnabled: boolean;
  max24HourSend: number;
  maxSendRate: number;
  suppressedReasons: SuppressionReason[];
  enforcementStatus: string;
  details?: Record<string, unknown>;
  reviewStatus?: ReviewStatus;
  reviewCaseId?: string;
}

function defaultRow(
  accountId: string,
  region: string,
  defaults: AccountDefaults | undefined,
  now: number,
): SesAccountRow {
  const emulator = defaults?.profile === 'emulator';
  return {
    account_id: accountId,
    region,
    production_access: emulator ? 1 : 0,
    sending_enabled: 1,
    max_24_hour_send: emulator ? defaults!.productionMax24HourSend : SANDBOX_MAX_24_HOUR_SEND,
    max_send_rate: emulator ? defaults!.productionMaxSendRate : SANDBOX_MAX_SEND_RATE,
    suppressed_reasons: JSON.stringify(['BOUNCE', 'COMPLAINT']),
    enforcement_status: 'HEALTHY',
    details: null,
    review_status: null,
    review_case_id: null,
    updated_at: now,
  };
}

function toState(row: SesAccountRow): AccountState {
  const s: AccountState = {
    sandbox: row.production_access !== 1,
    sendingEnabled: row.sending_enabled === 1,
    max24HourSend: Number(row.max_24_hour_send),
    maxSendRate: Number(row.max_send_rate),
    suppressedReasons: readJson<SuppressionReason[]>(row.suppressed_reasons, []),
    enforcementStatus: row.enforcement_status,
  };
  if (row.details) s.details = readJson<Record<string, unknown>>(row.details, {});
  if (row.review_status) s.reviewStatus = row.review_status as ReviewStatus;
  if (row.review_case_id) s.reviewCaseId = row.review_case_id;
  return s;
}

async function readRow(store: Store, accountId: string, region: string): Promise<SesAccountRow | undefined> {
  return store.db
    .selectFrom('ses_accounts')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .executeTakeFirst();
}

export async function getAccountState(
  store: Store,
  accountId: string,
  region: string,
  defaults?: AccountDefaults,
): Promise<AccountState> {
  const row = await readRow(store, accountId, region);
  return toState(row ?? defaultRow(accountId, region, defaults, Date.now()));
}

/** What the send path checks: sandbox, the sending switch, the quotas and suppression reasons. */
export interface AccountSendingState {
  sandbox: boolean;
  sendingEnabled: boolean;
  max24HourSend: number;
  maxSendRate: number;
  suppressedReasons: SuppressionReason[];
}

export async function getAccountSendingState(
  store: Store,
  accountId: string,
  region: string,
  defaults?: AccountDefaults,
): Promise<AccountSendingState> {
  const s = await getAccountState(store, accountId, region, defaults);
  return {
    sandbox: s.sandbox,
    sendingEnabled: s.sendingEnabled,
    max24HourSend: s.max24HourSend,
    maxSendRate: s.maxSendRate,
    suppressedReasons: s.suppressedReasons,
  };
}

type AccountPatch = Partial<Omit<SesAccountRow, 'account_id' | 'region'>>;

/** Applies `patch(current)` to the account row, creating it from the defaults first. */
export async function updateAccount(
  store: Store,
  accountId: string,
  region: string,
  patch: (current: AccountState) => AccountPatch,
  defaults?: AccountDefaults,
): Promise<AccountState> {
  const updated = await store.db.transaction().execute(async (trx) => {
    const now = Date.now();
    let row = await trx
      .selectFrom('ses_accounts')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .executeTakeFirst();
    if (!row) {
      row = defaultRow(accountId, region, defaults, now);
      await trx
        .insertInto('ses_accounts')
        .values(row)
        .onConflict((oc) => oc.columns(['account_id', 'region']).doNothing())
        .execute();
    }
    const changes = { ...patch(toState(row)), updated_at: now };
    await trx
      .updateTable('ses_accounts')
      .set(changes)
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .execute();
    return toState({ ...row, ...changes });
  });
  await invalidateSendState(store, accountId);
  return updated;
}

export async function setAccountSendingEnabled(
  store: Store,
  accountId: string,
  region: string,
  enabled: boolean,
  defaults?: AccountDefaults,
): Promise<void> {
  await updateAccount(store, accountId, region, () => ({ sending_enabled: enabled ? 1 : 0 }), defaults);
}

export async function setAccountSuppressedReasons(
  store: Store,
  accountId: string,
  region: string,
  reasons: SuppressionReason[],
  defaults?: AccountDefaults,
): Promise<void> {
  await updateAccount(
    store,
    accountId,
    region,
    () => ({ suppressed_reasons: JSON.stringify([...new Set(reasons)]) }),
    defaults,
  );
}

/** Operator command `admin account quota`: sets the quota as is (-1 = unlimited daily quota). */
export async function setAccountQuota(
  store: Store,
  accountId: string,
  region: string,
  quota: { maxSendRate: number; max24HourSend: number },
  defaults?: AccountDefaults,
): Promise<AccountState> {
  return updateAccount(
    store,
    accountId,
    region,
    () => ({ max_send_rate: quota.maxSendRate, max_24_hour_send: quota.max24HourSend }),
    defaults,
  );
}

export type ProductionQuota = Pick<Config, 'productionMaxSendRate' | 'productionMax24HourSend'>;

/**
 * Decides a production-access review (the admin CLI, or at once with autoApproveProduction).
 * `grant` leaves the sandbox and sets the production quota; `deny` keeps the sandbox.
 * Works with or without a pending review: an operator may grant directly.
 */
export async function decideProductionAccess(
  store: Store,
  accountId: string,
  region: string,
  decision: 'grant' | 'deny',
  quota: ProductionQuota,
): Promise<AccountState> {
  return updateAccount(store, accountId, region, (cur) => {
    const caseId = cur.reviewCaseId ?? randomUUID();
    if (decision === 'grant') {
      return {
        production_access: 1,
        review_status: 'GRANTED',
        review_case_id: caseId,
        max_send_rate: quota.productionMaxSendRate,
        max_24_hour_send: quota.productionMax24HourSend,
      };
    }
    return { review_status: 'DENIED', review_case_id: caseId };
  });
}

/** PutAccountDetails: records the details; opens a review when production access is asked for. */
export async function submitAccountDetails(
  store: Store,
  accountId: string,
  region: string,
  details: Record<string, unknown>,
  requestProduction: boolean,
  defaults?: AccountDefaults,
): Promise<'conflict' | AccountState> {
  const current = await getAccountState(store, accountId, region, defaults);
  if (current.reviewStatus === 'PENDING') return 'conflict';
  return updateAccount(
    store,
    accountId,
    region,
    (cur) => {
      const opensReview = requestProduction && cur.sandbox;
      return opensReview
        ? { details: JSON.stringify(details), review_status: 'PENDING', review_case_id: randomUUID() }
        : { details: JSON.stringify(details) };
    },
    defaults,
  );
}
