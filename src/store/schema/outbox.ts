// The outbox (migration 0004_outbox): every message SES accepted, committed before its MessageId is
// returned (docs/architecture.md rule 4). Delivery workers lease rows; nothing is deleted on acceptance.

export type OutboxStatus = 'queued' | 'sending' | 'delivered' | 'failed';

/** An outbox row as delivery holds it: the stored row with its MIME bytes. */
export interface OutboxRow extends OutboxTableRow {
  raw: Buffer; // final MIME bytes (X-SES-* stripped, Message-ID/Date rewritten): outbox_bodies
}

export interface OutboxTableRow {
  message_id: string;
  account_id: string; // the sending (caller's, delegate's) account: quotas and statistics count here
  region: string;
  principal_arn: string; // the caller that sent it (events' callerIdentity)
  source: string; // envelope sender (bare address): feedback goes here
  from_address: string | null; // From header mailbox (bare address)
  source_arn: string | null; // identity ARN used for From (the owner's, for delegated sends)
  recipients: string; // JSON array of envelope recipients
  size: number; // bytes of raw
  configuration_set: string | null;
  tags: string; // JSON array of {Name, Value}
  api_version: string; // '1' | '2'
  operation: string; // 'SendEmail', 'SendRawEmail', ..., 'SMTP'
  created_at: number; // epoch ms
  status: OutboxStatus;
  attempts: number;
  lease_owner: string | null;
  lease_until: number | null; // epoch ms
  next_attempt_at: number; // epoch ms; a worker picks rows with next_attempt_at <= now
  last_error: string | null;
  tenant_name: string | null; // v2 TenantName (migration 0061)
  list_management: string | null; // JSON {ContactListName, TopicName?} (migration 0050)
}

/** The bytes of an outbox row (migration 0080_outbox_bodies), written once: the row's updates do not rewrite them. */
export interface OutboxBodyRow {
  message_id: string;
  raw: Buffer;
}

export interface OutboxTables {
  outbox: OutboxTableRow;
  outbox_bodies: OutboxBodyRow;
}
