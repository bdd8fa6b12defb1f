// The ordered list of schema versions. Names sort in application order; never rename one that shipped.
import type { SchemaMigration } from './types.js';
import { iamMigration } from './0001_iam.js';
import { sesMigration } from './0002_ses.js';
import { auditMigration } from './0003_audit.js';
import { outboxMigration } from './0004_outbox.js';
import { deliveryMigration } from './0005_delivery.js';
import { ledgerWindowIndexMigration } from './0006_ledger_window_index.js';
import { eventPublishingMigration } from './0007_event_publishing.js';
import { ledgerMinutesMigration } from './0008_ledger_minutes.js';
import { mailboxPagingIndexMigration } from './0009_mailbox_paging_index.js';
import { storeMetaMigration } from './0010_store_meta.js';
import { sendRateBucketsMigration } from './0011_send_rate_buckets.js';
import { policyAttachmentsByAccountMigration } from './0020_policy_attachments_by_account.js';
import { auditVpcEndpointMigration } from './0021_audit_vpc_endpoint.js';
import { auditTimeIndexMigration } from './0030_audit_time_index.js';
import { receivingMigration } from './0040_receiving.js';
import { contactListsMigration } from './0050_contact_lists.js';
import { customVerificationMigration } from './0051_custom_verification.js';
import { dkimSigningMigration } from './0052_dkim_signing.js';
import { recommendationsMigration } from './0053_recommendations.js';
import { dedicatedIpsMigration } from './0060_dedicated_ips.js';
import { tenantsMigration } from './0061_tenants.js';
import { multiRegionEndpointsMigration } from './0062_multi_region_endpoints.js';
import { reputationDeliverabilityMigration } from './0063_reputation_deliverability.js';
import { archiveMigration } from './0064_archive.js';
import { importExportJobsMigration } from './0065_import_export_jobs.js';
import { auditRequestContextMigration } from './0070_audit_request_context.js';
import { mailboxDecodedMigration } from './0071_mailbox_decoded.js';
import { outboxBodiesMigration } from './0080_outbox_bodies.js';
import { mailFromStatusMigration } from './0081_mail_from_status.js';

export const migrations: Record<string, SchemaMigration> = {
  '0001_iam': iamMigration,
  '0002_ses': sesMigration,
  '0003_audit': auditMigration,
  '0004_outbox': outboxMigration,
  '0005_delivery': deliveryMigration,
  '0006_ledger_window_index': ledgerWindowIndexMigration,
  '0007_event_publishing': eventPublishingMigration,
  '0008_ledger_minutes': ledgerMinutesMigration,
  '0009_mailbox_paging_index': mailboxPagingIndexMigration,
  '0010_store_meta': storeMetaMigration,
  '0011_send_rate_buckets': sendRateBucketsMigration,
  '0020_policy_attachments_by_account': policyAttachmentsByAccountMigration,
  '0021_audit_vpc_endpoint': auditVpcEndpointMigration,
  '0030_audit_time_index': auditTimeIndexMigration,
  '0040_receiving': receivingMigration,
  '0050_contact_lists': contactListsMigration,
  '0051_custom_verification': customVerificationMigration,
  '0052_dkim_signing': dkimSigningMigration,
  '0053_recommendations': recommendationsMigration,
  '0060_dedicated_ips': dedicatedIpsMigration,
  '0061_tenants': tenantsMigration,
  '0062_multi_region_endpoints': multiRegionEndpointsMigration,
  '0063_reputation_deliverability': reputationDeliverabilityMigration,
  '0064_archive': archiveMigration,
  '0065_import_export_jobs': importExportJobsMigration,
  '0070_audit_request_context': auditRequestContextMigration,
  '0071_mailbox_decoded': mailboxDecodedMigration,
  '0080_outbox_bodies': outboxBodiesMigration,
  '0081_mail_from_status': mailFromStatusMigration,
};
