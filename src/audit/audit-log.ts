// Every API call and SMTP message leaves one CloudTrail-shaped record (issue 3, "Audit log").
import type { CallContext, RequestSource } from '../api/operation.js';
import type { AwsError } from '../errors/aws-error.js';
import type { Store } from '../store/database.js';
import { batchedWrite } from '../store/write-batch.js';
import { insertRow } from '../store/prepared-insert.js';
import { randomUUID } from 'node:crypto';
import { timeOrderedUuid } from './event-id.js';
import { unauthenticatedLimit, type SuppressedSummary } from './unauthenticated-limit.js';
import { contextColumn, type RecordedContext } from './request-context.js';

export interface AuditEvent {
  time: Date;
  accountId?: string;
  region?: string;
  principalArn?: string;
  accessKeyId?: string;
  sourceIp?: string;
  /** The VPC endpoint the call came through, as CloudTrail's vpcEndpointId. */
  vpcEndpointId?: string;
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

/** CloudTrail's sourceIPAddress and vpcEndpointId: through an endpoint, the client's VPC address. */
export function auditSource(source: RequestSource): { sourceIp?: string; vpcEndpointId?: string } {
  return source.sourceVpce === undefined
    ? { sourceIp: source.ip }
    : { sourceIp: source.vpcSourceIp, vpcEndpointId: source.sourceVpce };
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
    ...auditSource(ctx.source),
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

/**
 * Written in a transaction shared with the other requests in flight (group commit). Unauthenticated
 * failures beyond their per-source allowance are only counted (unauthenticated-limit.ts).
 */
export async function recordAuditEvent(store: Store, e: AuditEvent): Promise<void> {
  if (e.decision === 'Unauthenticated') {
    const { admit, closed } = unauthenticatedLimit(store).admit(e.sourceIp, e.time.getTime());
    if (closed) await writeSummaries(store, closed);
    if (!admit) return;
  }
  await batchedWrite(store, (tx) => insertAuditEvent(tx, e));
}

/** Writes the summaries of unauthenticated failures not recorded one by one (a timer calls it). */
export async function flushAuditSummaries(store: Store, now = new Date(), force = false): Promise<number> {
  const closed = unauthenticatedLimit(store).flush(now.getTime(), force);
  await writeSummaries(store, closed);
  return closed.length;
}

async function writeSummaries(store: Store, summaries: readonly SuppressedSummary[]): Promise<void> {
  const limit = unauthenticatedLimit(store).perSourcePerMinute;
  for (const s of summaries)
    await batchedWrite(store, (tx) =>
      insertAuditEvent(tx, {
        time: s.to,
        sourceIp: s.sourceIp,
        eventSource: 'sesame',
        eventName: 'UnauthenticatedRequestsSuppressed',
        actions: [],
        resources: [],
        decision: 'Unauthenticated',
        errorCode: 'Suppressed',
        errorMessage:
          `${s.count} more unauthenticated requests from ${s.sourceIp} between ${s.from.toISOString()} ` +
          `and ${s.to.toISOString()} were counted, not recorded one by one ` +
          `(SESAME_AUDIT_UNAUTHENTICATED_PER_MINUTE=${limit})`,
        requestId: randomUUID(),
      }),
    );
}

/**
 * Field bounds: what a client sends (User-Agent, a claimed key id, a region) is kept only this
 * long, so one record stays small whatever the request carried (a 7 KB User-Agent was kept whole).
 */
const MAX = { short: 128, text: 1024, message: 2048, json: 32 * 1024 } as const;

function clip(s: string | undefined, max: number): string | null {
  if (s === undefined) return null;
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function clipJson(v: unknown): string {
  const text = JSON.stringify(v);
  return text.length <= MAX.json ? text : JSON.stringify({ truncated: true, length: text.length });
}

/** Inserts with the store it is given (a transaction's, to commit the record with other writes). */
export async function insertAuditEvent(store: Store, e: AuditEvent): Promise<void> {
  await insertRow(
    store,
    'audit_events',
    {
      event_id: timeOrderedUuid(e.time.getTime()),
      event_time: e.time.getTime(),
      account_id: e.accountId ?? null,
      region: clip(e.region, MAX.short),
      principal_arn: clip(e.principalArn, MAX.message),
      access_key_id: clip(e.accessKeyId, MAX.short),
      source_ip: clip(e.sourceIp, MAX.short),
      user_agent: clip(e.userAgent, MAX.text),
      event_source: clip(e.eventSource, MAX.short)!,
      event_name: clip(e.eventName, MAX.short)!,
      actions: clipJson(e.actions),
      resources: clipJson(e.resources),
      decision: e.decision,
      explanation: e.explanation === undefined ? null : clipJson(e.explanation),
      // Bounded by contextColumn itself (16 KB, marked truncated).
      request_context: contextColumn(e.requestContext),
      error_code: clip(e.errorCode, MAX.short),
      error_message: clip(e.errorMessage, MAX.message),
      request_id: clip(e.requestId, MAX.short)!,
      // Left out (not null) when absent: public-listener records keep their compiled statement.
      vpc_endpoint_id: e.vpcEndpointId === undefined ? undefined : clip(e.vpcEndpointId, MAX.short),
    },
    { folded: true },
  );
}

/** Deletes records older than `before` (epoch ms), a batch at a time; returns how many went. */
export async function pruneAuditEvents(store: Store, before: number, batch = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const res = await store.db
      .deleteFrom('audit_events')
      .where('seq', 'in', (eb) =>
        eb.selectFrom('audit_events').select('seq').where('event_time', '<', before).limit(batch),
      )
      .executeTakeFirst();
    const n = Number(res.numDeletedRows);
    total += n;
    if (n < batch) return total;
  }
}
