// SES v2 state beyond sending (migrations 0060-0064): dedicated IPs and pools, tenants,
// multi-region endpoints, reputation entities, account features, deliverability test reports and
// the mail archive. Times are epoch ms; JSON documents are text.

export interface SesDedicatedIpPoolRow {
  account_id: string;
  region: string;
  name: string;
  scaling_mode: string; // 'STANDARD' | 'MANAGED'
  tags: string;
  created_at: number;
}

/** A sending address the operator declared (SESAME_DEDICATED_IPS). */
export interface SesDedicatedIpRow {
  ip: string;
  account_id: string;
  region: string;
  pool_name: string; // 'ses-default-dedicated-pool' until moved
  warmup_percentage: number; // 0-100 as last set
  warmup_updated_at: number; // automatic warm-up advances from here
  created_at: number;
}

export interface SesDedicatedIpUsageRow {
  ip: string;
  day: string; // UTC YYYY-MM-DD
  recipients: number;
}

export interface SesTenantRow {
  account_id: string;
  region: string;
  name: string;
  tenant_id: string; // tn-…
  resource_name: string; // name/tenant_id
  tags: string;
  created_at: number;
}

export interface SesTenantResourceRow {
  account_id: string;
  region: string;
  tenant_name: string;
  resource_arn: string;
  resource_type: string; // 'EMAIL_IDENTITY' | 'CONFIGURATION_SET' | 'EMAIL_TEMPLATE'
  created_at: number;
}

export interface SesMultiRegionEndpointRow {
  account_id: string;
  region: string; // the primary region (where it was created)
  name: string;
  endpoint_id: string;
  regions: string; // JSON [primary, secondary]
  tags: string;
  created_at: number;
  updated_at: number;
}

export interface SesReputationEntityRow {
  account_id: string;
  region: string;
  entity_reference: string; // the tenant's ARN
  policy: string | null; // reputation-policy ARN; null = the default
  customer_status: string | null; // 'ENABLED' | 'DISABLED' | 'REINSTATED'
  customer_cause: string | null;
  customer_updated_at: number | null;
}

export interface SesAccountFeaturesRow {
  account_id: string;
  region: string;
  auto_warmup_enabled: number | null;
  vdm_attributes: string | null; // JSON VdmAttributes
  dashboard: string | null; // JSON {enabled, since, domains: DomainDeliverabilityTrackingOption[]}
}

export interface SesDeliverabilityTestReportRow {
  account_id: string;
  region: string;
  report_id: string;
  report_name: string | null;
  from_address: string;
  subject: string | null;
  message_id: string; // the test message's outbox id: its events are the report's results
  message: Buffer;
  tags: string;
  created_at: number;
}

export interface SesArchivedMessageRow {
  archive_id: string; // a-… (the ArchiveArn's id)
  message_id: string;
  account_id: string;
  region: string;
  configuration_set: string;
  from_address: string | null;
  recipients: string; // JSON array
  subject: string | null;
  raw: Buffer;
  size: number;
  archived_at: number;
}

export interface SesV2ExtraTables {
  ses_dedicated_ip_pools: SesDedicatedIpPoolRow;
  ses_dedicated_ips: SesDedicatedIpRow;
  ses_dedicated_ip_usage: SesDedicatedIpUsageRow;
  ses_tenants: SesTenantRow;
  ses_tenant_resources: SesTenantResourceRow;
  ses_multi_region_endpoints: SesMultiRegionEndpointRow;
  ses_reputation_entities: SesReputationEntityRow;
  ses_account_features: SesAccountFeaturesRow;
  ses_deliverability_test_reports: SesDeliverabilityTestReportRow;
  ses_archived_messages: SesArchivedMessageRow;
}
