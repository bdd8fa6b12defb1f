// Reading the audit log: filters, newest-first pages and oldest-first tails (CLI, API, console).
import type { Store } from '../store/database.js';
import type { AuditEvent as AuditEventStored } from '../store/schema/audit.js';
import { contextForPeople, type RecordedContext } from './request-context.js';

export interface AuditQuery {
  accountId?: string;
  principalArn?: string;
  eventName?: string;
  decision?: string;
  since?: Date;
  until?: Date;
  /** Only records after this sequence number (for tailing). */
  afterSeq?: number;
  /** Only records before this sequence number (the next, older page of a newest-first listing). */
  beforeSeq?: number;
  limit?: number;
}

export interface AuditRecord {
  seq: number;
  eventId: string;
  eventTime: string;
  accountId: string | null;
  region: string | null;
  principalArn: string | null;
  accessKeyId: string | null;
  sourceIp: string | null;
  vpcEndpointId: string | null;
  userAgent: string | null;
  eventSource: string;
  eventName: string;
  actions: string[];
  resources: string[];
  decision: string;
  explanation: unknown;
  /** The request context the call was decided with (null for records older than it, or unauthorized). */
  requestContext: RecordedContext | null;
  errorCode: string | null;
  errorMessage: string | null;
  requestId: string;
}

function toRecord(r: AuditEventStored): AuditRecord {
  return {
    seq: r.seq,
    eventId: r.event_id,
    eventTime: new Date(r.event_time).toISOString(),
    accountId: r.account_id,
    region: r.region,
    principalArn: r.principal_arn,
    accessKeyId: r.access_key_id,
    sourceIp: r.source_ip,
    vpcEndpointId: r.vpc_endpoint_id,
    userAgent: r.user_agent,
    eventSource: r.event_source,
    eventName: r.event_name,
    actions: JSON.parse(r.actions) as string[],
    resources: JSON.parse(r.resources) as string[],
    decision: r.decision,
    explanation: r.explanation === null ? null : (JSON.parse(r.explanation) as unknown),
    requestContext:
      r.account_id === null || r.region === null
        ? null
        : contextForPeople(r.request_context, {
            eventTime: r.event_time,
            accountId: r.account_id,
            region: r.region,
          }),
    errorCode: r.error_code,
    errorMessage: r.error_message,
    requestId: r.request_id,
  };
}

/** The decisions a record can carry (store/schema/audit.ts). */
export const AUDIT_DECISIONS = [
  'Allowed',
  'ExplicitDeny',
  'ImplicitDeny',
  'Unauthenticated',
  'NotEvaluated',
] as const;

/** Newest first, unless afterSeq is given (then oldest first, for tailing). */
export async function queryAuditEvents(store: Store, q: AuditQuery): Promise<AuditRecord[]> {
  let query = store.db.selectFrom('audit_events').selectAll();
  if (q.accountId) query = query.where('account_id', '=', q.accountId);
  if (q.principalArn) query = query.where('principal_arn', '=', q.principalArn);
  if (q.eventName) query = query.where('event_name', '=', q.eventName);
  if (q.decision) query = query.where('decision', '=', q.decision);
  if (q.since) query = query.where('event_time', '>=', q.since.getTime());
  if (q.until) query = query.where('event_time', '<', q.until.getTime());
  if (q.beforeSeq !== undefined) query = query.where('seq', '<', q.beforeSeq);
  if (q.afterSeq !== undefined) query = query.where('seq', '>', q.afterSeq).orderBy('seq', 'asc');
  else query = query.orderBy('seq', 'desc');
  // 1,001: a page of 1,000 and the one record that tells whether another page follows.
  const rows = await query.limit(Math.min(Math.max(q.limit ?? 100, 1), 1001)).execute();
  return rows.map(toRecord);
}
