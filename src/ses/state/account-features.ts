// Account-level switches of SES v2 that live beside the sending state: automatic warm-up of
// dedicated IPs, the VDM attributes and the Deliverability dashboard subscription.
import type { Store } from '../../store/database.js';
import type { SesAccountFeaturesRow } from '../../store/schema/ses-v2-extras.js';
import { readJson } from './json.js';

export interface VdmAttributes {
  VdmEnabled: 'ENABLED' | 'DISABLED';
  DashboardAttributes?: { EngagementMetrics?: 'ENABLED' | 'DISABLED' };
  GuardianAttributes?: { OptimizedSharedDelivery?: 'ENABLED' | 'DISABLED' };
}

export interface SubscribedDomain {
  Domain: string;
  SubscriptionStartDate: number; // epoch ms
  InboxPlacementTrackingOption?: { Global?: boolean; TrackedIsps?: string[] };
}

export interface DashboardSubscription {
  enabled: boolean;
  domains: SubscribedDomain[];
}

export interface AccountFeatures {
  autoWarmupEnabled: boolean;
  vdm?: VdmAttributes;
  dashboard: DashboardSubscription;
}

function toFeatures(row: SesAccountFeaturesRow | undefined): AccountFeatures {
  const out: AccountFeatures = {
    // [INF] the default of an account that never set it; GetAccount reported false in the spec.
    autoWarmupEnabled: row?.auto_warmup_enabled === 1,
    dashboard: readJson<DashboardSubscription>(row?.dashboard, { enabled: false, domains: [] }),
  };
  const vdm = readJson<VdmAttributes | undefined>(row?.vdm_attributes, undefined);
  if (vdm) out.vdm = vdm;
  return out;
}

export async function getAccountFeatures(
  store: Store,
  accountId: string,
  region: string,
): Promise<AccountFeatures> {
  const row = await store.db
    .selectFrom('ses_account_features')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .executeTakeFirst();
  return toFeatures(row);
}

type Patch = Partial<Omit<SesAccountFeaturesRow, 'account_id' | 'region'>>;

async function patchFeatures(store: Store, accountId: string, region: string, patch: Patch): Promise<void> {
  await store.db
    .insertInto('ses_account_features')
    .values({
      account_id: accountId,
      region,
      auto_warmup_enabled: null,
      vdm_attributes: null,
      dashboard: null,
      ...patch,
    })
    .onConflict((oc) => oc.columns(['account_id', 'region']).doUpdateSet(patch))
    .execute();
}

export const setAutoWarmup = (store: Store, accountId: string, region: string, enabled: boolean) =>
  patchFeatures(store, accountId, region, { auto_warmup_enabled: enabled ? 1 : 0 });

export const setVdmAttributes = (store: Store, accountId: string, region: string, vdm: VdmAttributes) =>
  patchFeatures(store, accountId, region, { vdm_attributes: JSON.stringify(vdm) });

export const setDashboard = (store: Store, accountId: string, region: string, d: DashboardSubscription) =>
  patchFeatures(store, accountId, region, { dashboard: JSON.stringify(d) });
