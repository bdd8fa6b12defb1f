// Delivery (migration 0005_delivery): what left the outbox, the SES events it produced, and the DKIM keys
// it was signed with. Times are epoch ms.

/** A message as it left Sesame through the capture transport (the local mailbox). */
export interface CapturedMessageRow {
  capture_id: string; // message_id for outbound mail; `${message_id}:auto-reply:…` for simulated replies; `${message_id}:simulated` for mail to the mailbox simulator
  message_id: string;
  kind: string; // 'outbound' | 'auto-reply' | 'simulated'
  account_id: string;
  region: string;
  principal_arn: string;
  mail_from: string; // envelope sender (SES's anonymised bounce address for outbound mail)
  from_address: string | null; // From header mailbox
  from_name: string | null; // its display name, decoded (migration 0071)
  recipients: string; // JSON array of envelope recipients delivered to
  subject: string | null; // decoded (RFC 2047) since migration 0071
  search_text: string | null; // subject, From address and name, recipients; lower-cased (0071)
  outcomes: string | null; // kind 'simulated': JSON {recipient: outcome} (0071)
  raw: Buffer; // the bytes as they would leave: Return-Path added, DKIM-signed when on
  size: number;
  created_at: number; // when SES accepted the message
  delivered_at: number;
}

/** One SES event (Send, Reject, Delivery, Bounce, Complaint, DeliveryDelay, RenderingFailure). */
export interface DeliveryEventRow {
  event_id: string; // deterministic per (message, type, recipient/attempt): recording is idempotent
  message_id: string;
  account_id: string; // the sending (delegate's) account: statistics count here (docs/spec/ses.md §4.5)
  region: string;
  event_type: string;
  recipients: string; // JSON array of the recipients the event is about ([] for message-level events)
  recipient_count: number; // Send/Reject: destinations; others: recipients concerned
  configuration_set: string | null;
  source_arn: string | null;
  event_time: number;
  payload: string; // JSON in SES's event-publishing format ({eventType, mail, <type>})
  tenant_name: string | null; // the send's tenant (migration 0061)
}

/** A per-domain Easy DKIM key; private_key is sealed (`v1:…`) when a secret box was configured. */
export interface DeliveryDkimKeyRow {
  account_id: string;
  region: string;
  domain: string;
  selector: string;
  private_key: string;
  public_key: string; // base64 DER (SubjectPublicKeyInfo), the `p=` of the DNS record
  created_at: number;
}

export interface DeliveryTables {
  captured_messages: CapturedMessageRow;
  delivery_events: DeliveryEventRow;
  delivery_dkim_keys: DeliveryDkimKeyRow;
}
