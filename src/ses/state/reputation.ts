// Reputation entities (tenants): the reputation policy chosen for each, its customer-managed status,
// and the SES-managed status Sesame derives from its own bounce and complaint records. Findings use
// SES's published account thresholds: a bounce rate of 5 % or a complaint rate of 0.1 % is a
// low-impact finding ("under review"), 10 % or 0.5 % a high-impact one ("sending paused").
import type { Store } from '../../store/database.js';
import type { SesReputationEntityRow } from '../../store/schema/ses-v2-extras.js';

export type SendingStatus = 'ENABLED' | 'REINSTATED' | 'DISABLED';
export type Impact = 'LOW' | 'HIGH';

export const reputationPolicyArn = (region: string, name: 'none' | 'standard' | 'strict'): string =>
  `arn:aws:ses:${region}:aws:reputation-policy/${name}`;
export const REPUTATION_POLICIES = ['none', 'standard', 'strict'] as const;
/** [INF] the policy of an entity nobody chose one for. */
export const DEFAULT_REPUTATION_POLICY = 'standard';

/** The window findings are computed over, and the volume below which rates say nothing. */
export const FINDING_WINDOW_MS = 7 * 86_400_000;
export const MIN_VOLUME = 20;

export interface ReputationRates {
  sent: number;
  bounced: number;
  complained: number;
}

export function impactOf(r: ReputationRates): Impact | undefined {
  if (r.sent < MIN_VOLUME) return undefined;
  const bounce = r.bounced / r.sent;
  const complaint = r.complained / r.sent;
  if (bounce >= 0.1 || complaint >= 0.005) return 'HIGH';
  if (bounce >= 0.05 || complaint >= 0.001) return 'LOW';
  return undefined;
}

/** Recipients sent, hard-bounced and complained about for a tenant over the window. */
export async function tenantRates(
  store: Store,
  accountId: string,
  region: string,
  tenant: string,
  now: Date,
): Promise<ReputationRates> {
  return (await ratesByTenant(store, accountId, region, now, tenant)).get(tenant) ?? noRates();
}

/** Every tenant's rates in one read of the window (a list of entities, not one read per tenant). */
export function accountTenantRates(
  store: Store,
  accountId: string,
  region: string,
  now: Date,
): Promise<Map<string, ReputationRates>> {
  return ratesByTenant(store, accountId, region, now);
}

export const noRates = (): ReputationRates => ({ sent: 0, bounced: 0, complained: 0 });

async function ratesByTenant(
  store: Store,
  accountId: string,
  region: string,
  now: Date,
  tenant?: string,
): Promise<Map<string, ReputationRates>> {
  let q = store.db
    .selectFrom('delivery_events')
    .select(['tenant_name', 'event_type', 'payload', 'recipient_count'])
    .where('account_id', '=', accountId)
    .where('region', '=', region);
  q = tenant === undefined ? q.where('tenant_name', 'is not', null) : q.where('tenant_name', '=', tenant);
  const rows = await q
    .where('event_type', 'in', ['Send', 'Bounce', 'Complaint'])
    .where('event_time', '>=', now.getTime() - FINDING_WINDOW_MS)
    .execute();
  const byTenant = new Map<string, ReputationRates>();
  if (tenant !== undefined) byTenant.set(tenant, noRates());
  for (const r of rows) {
    const name = r.tenant_name!;
    let out = byTenant.get(name);
    if (!out) byTenant.set(name, (out = noRates()));
    const n = Number(r.recipient_count);
    if (r.event_type === 'Send') out.sent += n;
    else if (r.event_type === 'Complaint') out.complained += n;
    else if (
      (JSON.parse(r.payload) as { bounce?: { bounceType?: string } }).bounce?.bounceType === 'Permanent'
    )
      out.bounced += n;
  }
  for (const [name, rates] of byTenant)
    ratesOf(store).set(ratesKey(accountId, region, name), { at: now.getTime(), rates });
  return byTenant;
}

/**
 * How long a send trusts the rates last computed for its tenant. They are read from seven days of
 * events (tens of milliseconds per ten thousand): per send that cost more than the send, and held
 * SQLite's one connection meanwhile. SES raises findings from its records over time, not per
 * message; any fresh read (GetTenant, GetReputationEntity) updates what sends see at once.
 */
export const SEND_RATES_MAX_AGE_MS = 60_000;

const recentRates = new WeakMap<object, Map<string, { at: number; rates: ReputationRates }>>();
const ratesKey = (accountId: string, region: string, tenant: string) =>
  `${accountId}\u0000${region}\u0000${tenant}`;

function ratesOf(store: Store): Map<string, { at: number; rates: ReputationRates }> {
  let m = recentRates.get(store.key);
  if (!m) recentRates.set(store.key, (m = new Map()));
  if (m.size > 10_000) m.clear();
  return m;
}

/** The tenant's rates for the send path: the last computed ones while under a minute old. */
export async function tenantRatesForSend(
  store: Store,
  accountId: string,
  region: string,
  tenant: string,
  now: Date,
): Promise<ReputationRates> {
  const hit = ratesOf(store).get(ratesKey(accountId, region, tenant));
  const age = hit ? now.getTime() - hit.at : Infinity;
  if (hit && age >= 0 && age < SEND_RATES_MAX_AGE_MS) return hit.rates;
  return tenantRates(store, accountId, region, tenant, now);
}

export interface EntityState {
  policyArn: string;
  customer: { status: SendingStatus; cause?: string; updatedAt?: Date };
  awsSes: { status: SendingStatus; cause?: string; updatedAt: Date };
  aggregate: SendingStatus;
  impact?: Impact;
}

export async function getEntityRow(
  store: Store,
  accountId: string,
  region: string,
  reference: string,
): Promise<SesReputationEntityRow | undefined> {
  return store.db
    .selectFrom('ses_reputation_entities')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('entity_reference', '=', reference)
    .executeTakeFirst();
}

/** The entity's state now: SES-managed status from the findings and the policy, then the aggregate. */
export function entityState(
  region: string,
  row: SesReputationEntityRow | undefined,
  rates: ReputationRates,
  now: Date,
): EntityState {
  const policyArn = row?.policy ?? reputationPolicyArn(region, DEFAULT_REPUTATION_POLICY);
  const policy = policyArn.slice(policyArn.lastIndexOf('/') + 1);
  const impact = impactOf(rates);
  const paused =
    impact !== undefined && (policy === 'strict' || (policy === 'standard' && impact === 'HIGH'));
  const awsSes: EntityState['awsSes'] = paused
    ? {
        status: 'DISABLED',
        cause: `Sending paused by the ${policy} reputation policy: bounce rate ${pct(rates.bounced, rates.sent)}, complaint rate ${pct(rates.complained, rates.sent)}.`,
        updatedAt: now,
      }
    : { status: 'ENABLED', updatedAt: now };
  const customer: EntityState['customer'] = {
    status: (row?.customer_status as SendingStatus | null) ?? 'ENABLED',
  };
  if (row?.customer_cause) customer.cause = row.customer_cause;
  if (row?.customer_updated_at) customer.updatedAt = new Date(Number(row.customer_updated_at));
  let aggregate: SendingStatus;
  if (customer.status === 'DISABLED') aggregate = 'DISABLED';
  else if (customer.status === 'REINSTATED') aggregate = 'REINSTATED';
  else aggregate = awsSes.status;
  return { policyArn, customer, awsSes, aggregate, ...(impact ? { impact } : {}) };
}

const pct = (n: number, d: number): string => `${((100 * n) / Math.max(1, d)).toFixed(2)}%`;

export async function setEntityPolicy(
  store: Store,
  accountId: string,
  region: string,
  reference: string,
  policyArn: string,
): Promise<void> {
  await upsert(store, { account_id: accountId, region, entity_reference: reference }, { policy: policyArn });
}

export async function setCustomerStatus(
  store: Store,
  accountId: string,
  region: string,
  reference: string,
  status: SendingStatus,
  now: Date,
): Promise<void> {
  await upsert(
    store,
    { account_id: accountId, region, entity_reference: reference },
    { customer_status: status, customer_cause: null, customer_updated_at: now.getTime() },
  );
}

async function upsert(
  store: Store,
  key: Pick<SesReputationEntityRow, 'account_id' | 'region' | 'entity_reference'>,
  patch: Partial<SesReputationEntityRow>,
): Promise<void> {
  await store.db
    .insertInto('ses_reputation_entities')
    .values({
      ...key,
      policy: null,
      customer_status: null,
      customer_cause: null,
      customer_updated_at: null,
      ...patch,
    })
    .onConflict((oc) => oc.columns(['account_id', 'region', 'entity_reference']).doUpdateSet(patch))
    .execute();
}
