import type { Generated, Selectable } from 'kysely';

/** One CloudTrail-shaped record per API call or SMTP message. */
export interface AuditEventRow {
  seq: Generated<number>; // monotonic, for tailing
  event_id: string;
  event_time: number; // epoch ms
  account_id: string | null; // the caller's account (null: unauthenticated)
  region: string | null;
  principal_arn: string | null;
  access_key_id: string | null;
  source_ip: string | null;
  user_agent: string | null;
  event_source: string; // 'ses.amazonaws.com', 'iam.amazonaws.com', 'sts.amazonaws.com', 'smtp'
  event_name: string; // operation name
  actions: string; // JSON array of IAM actions authorized
  resources: string; // JSON array of resource ARNs
  decision: string; // 'Allowed' | 'ExplicitDeny' | 'ImplicitDeny' | 'Unauthenticated' | 'NotEvaluated'
  explanation: string | null; // JSON of the policy engine's Decision for the deciding check
  request_context: string | null; // JSON of the checks' request context (audit/request-context.ts; migration 0070)
  error_code: string | null;
  error_message: string | null;
  request_id: string;
  vpc_endpoint_id: string | null; // `vpce-…` for calls through a VPC endpoint listener (0021)
}

export type AuditEvent = Selectable<AuditEventRow>;

export interface AuditTables {
  audit_events: AuditEventRow;
}
