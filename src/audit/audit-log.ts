// Every API call and SMTP message leaves one CloudTrail-shaped record (issue 3, "Audit log").
import type { CallContext } from '../api/operation.js';
import type { AwsError } from '../errors/aws-error.js';
import type { Store } from '../store/database.js';
import { batchedWrite } from '../store/write-batch.js';
import { insertRow } from '../store/prepared-insert.js';
import { timeOrderedUuid } from './event-id.js';
import { contextColumn, type RecordedContext } from './request-context.js';

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
  /** The request context of the call's checks (request-context.ts). */
  requestContext?: RecordedContext;
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
    requestContext: ctx.audit.context,
    errorCode: error?.code,
    errorMessage: error?.message,
    requestId: ctx.requestId,
  };
}

/** Written in a transaction shared with the other requests in flight (group commit). */
export async function recordAuditEvent(store: Store, e: AuditEvent): Promise<void> {
  await batchedWrite(store, (tx) => insertAuditEvent(tx, e));
}

/** Inserts with the store it is given (a transaction's, to commit the record with other writes). */
export async function insertAuditEvent(store: Store, e: AuditEvent): Promise<void> {
  await insertRow(store, 'audit_events', {
    event_id: timeOrderedUuid(e.time.getTime()),
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
    request_context: contextColumn(e.requestContext),
    error_code: e.errorCode ?? null,
    error_message: e.errorMessage ?? null,
    request_id: e.requestId,
  });
}
