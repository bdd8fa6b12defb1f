// Every API call and SMTP message leaves one CloudTrail-shaped record (issue 3, "Audit log").
import { randomUUID } from 'node:crypto';
import type { CallContext } from '../api/operation.js';
import type { AwsError } from '../errors/aws-error.js';
import type { Store } from '../store/database.js';
import type { AuditEvent as AuditEventStored } from '../store/schema/audit.js';

export interface AuditEvent {
  time: Date;
  accountId?: string;
  region?: string;
  principalArn?: string;
  accessKeyId?: string;
  sourceIp?: string;
  userAgent?: string;
  eventSource: string;
  eventName: string;
  actions: string[];
  resources: string[];
  decision: string;
  explanation?: unknown;
  errorCode?: string;
  errorMessage?: string;
  requestId: string;
}

/** The record of an authenticated call that ran (or failed) with this context. */
export function callAuditEvent(
  ctx: CallContext,
  eventSource: string,
  eventName: string,
  error?: AwsError,
): AuditEvent {
  return {
    time: ctx.now,
    accountId: ctx.caller.accountId,
    region: ctx.region,
    principalArn: ctx.caller.principal.arn,
    accessKeyId: ctx.caller.accessKeyId,
    sourceIp: ctx.source.ip,
    userAgent: ctx.source.userAgent,
    eventSource,
    eventName,
    actions: ctx.audit.actions,
    resources: ctx.audit.resources,
    decision: ctx.audit.decision ?? (error ? 'NotEvaluated' : 'Allowed'),
    explanation: ctx.audit.explanation,
    errorCode: error?.code,
    errorMessage: error?.message,
    requestId: ctx.requestId,
  };
}

export async function recordAuditEvent(store: Store, e: AuditEvent): Promise<void> {
  await store.db
    .insertInto('audit_events')
    .values({
      event_id: randomUUID(),
      event_time: e.time.getTime(),
      account_id: e.accountId ?? null,
      region: e.region ?? null,
      principal_arn: e.principalArn ?? null,
      access_key_id: e.accessKeyId ?? null,
      source_ip: e.sourceIp ?? null,
      user_agent: e.userAgent ?? null,
      event_source: e.eventSource,
      event_name: e.eventName,
      actions: JSON.stringify(e.actions),
      resources: JSON.stringify(e.resources),
      decision: e.decision,
      explanation: e.explanation === undefined ? null : JSON.stringify(e.explanation),
      error_code: e.errorCode ?? null,
      error_message: e.errorMessage ?? null,
      request_id: e.requestId,
    })
    .execute();
}

export interface AuditQuery {
  accountId?: string;
  principalArn?: string;
  eventName?: string;
  decision?: string;
  since?: Date;
  until?: Date;
  /** Only records after this sequence number (for tailing). */
  afterSeq?: number;
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
  userAgent: string | null;
  eventSource: string;
  eventName: string;
  actions: string[];
  resources: string[];
  decision: string;
  explanation: unknown;
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
    userAgent: r.user_agent,
    eventSource: r.event_source,
    eventName: r.event_name,
    actions: JSON.parse(r.actions) as string[],
    resources: JSON.parse(r.resources) as string[],
    decision: r.decision,
    explanation: r.explanation === null ? null : (JSON.parse(r.explanation) as unknown),
    errorCode: r.error_code,
    errorMessage: r.error_message,
    requestId: r.request_id,
  };
}

/** Newest first, unless afterSeq is given (then oldest first, for tailing). */
export async function queryAuditEvents(store: Store, q: AuditQuery): Promise<AuditRecord[]> {
  let query = store.db.selectFrom('audit_events').selectAll();
  if (q.accountId) query = query.where('account_id', '=', q.accountId);
  if (q.principalArn) query = query.where('principal_arn', '=', q.principalArn);
  if (q.eventName) query = query.where('event_name', '=', q.eventName);
  if (q.decision) query = query.where('decision', '=', q.decision);
  if (q.since) query = query.where('event_time', '>=', q.since.getTime());
  if (q.until) query = query.where('event_time', '<', q.until.getTime());
  if (q.afterSeq !== undefined) query = query.where('seq', '>', q.afterSeq).orderBy('seq', 'asc');
  else query = query.orderBy('seq', 'desc');
  const rows = await query.limit(Math.min(Math.max(q.limit ?? 100, 1), 1000)).execute();
  return rows.map(toRecord);
}
