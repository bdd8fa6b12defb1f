// Email receiving (migration 0040_receiving): receipt rule sets with their rules, the active rule
// set and IP filters of each account and region, and the received messages whose actions are still
// to run or have run (the durable action queue and its trace). Times are epoch ms.

/** A receipt rule set; its rules, in order, are one JSON document (edits rewrite it whole). */
export interface SesReceiptRuleSetRow {
  account_id: string;
  region: string;
  name: string;
  rules: string; // JSON ReceiptRule[] in the API's shape, in evaluation order
  created_at: number;
}

/** The active rule set of an account in a region (at most one: the primary key). */
export interface SesReceiptActiveRow {
  account_id: string;
  region: string;
  rule_set: string;
}

export interface SesReceiptFilterRow {
  account_id: string;
  region: string;
  name: string;
  policy: string; // 'Block' | 'Allow'
  cidr: string;
  created_at: number;
}

export type InboundStatus = 'queued' | 'running' | 'done';

/**
 * One received message in one account: what was received, the rules it matched (a snapshot taken
 * at receipt, so a retry runs what the sender was accepted under) and how far its actions got.
 * The bytes are the mailbox copy (captured_messages, capture_id = message_id).
 */
export interface InboundMessageRow {
  message_id: string;
  account_id: string;
  region: string;
  mail_from: string; // envelope sender ('' for the null sender)
  recipients: string; // JSON: the envelope recipients accepted for this account
  remote_ip: string;
  helo: string;
  tls: number;
  rule_set: string;
  plan: string; // JSON PlannedRule[]
  verdicts: string; // JSON Verdicts
  added_headers: string; // JSON [{name, value}] from AddHeader actions so far
  rule_index: number; // the next action to run: plan[rule_index].actions[action_index]
  action_index: number;
  attempts: number; // attempts of that action so far
  status: InboundStatus;
  lease_owner: string | null;
  lease_until: number | null;
  next_attempt_at: number;
  received_at: number;
  finished_at: number | null;
  trace: string; // JSON TraceEntry[]
  last_error: string | null;
}

export interface ReceivingTables {
  ses_receipt_rule_sets: SesReceiptRuleSetRow;
  ses_receipt_active: SesReceiptActiveRow;
  ses_receipt_filters: SesReceiptFilterRow;
  inbound_messages: InboundMessageRow;
}
