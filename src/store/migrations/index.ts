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
import { auditRequestContextMigration } from './0070_audit_request_context.js';
import { mailboxDecodedMigration } from './0071_mailbox_decoded.js';

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
  '0070_audit_request_context': auditRequestContextMigration,
  '0071_mailbox_decoded': mailboxDecodedMigration,
};
