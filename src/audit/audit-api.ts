// The audit log over HTTP (SigV4 service `sesame`, GET /sesame/audit/events): the console's and
// scripts' view of `sesame audit tail`. Authorized as `sesame:LookupEvents`; records are always
// the caller's account's. Pages go back with `before` (newest first) and forward with `after`
// (oldest first, for tailing).
import type { OperationTable } from '../api/operation.js';
import { badRequest, dateParam } from '../api/query-params.js';
import { AUDIT_DECISIONS, queryAuditEvents, type AuditQuery } from './audit-query.js';

export interface LookupEventsInput {
  principal?: string;
  eventName?: string;
  decision?: string;
  since?: string;
  until?: string;
  limit?: string;
  /** Records after this sequence number, oldest first (for tailing); otherwise newest first. */
  after?: string;
  /** Records before this sequence number, newest first: the page after one that ended at `NextBefore`. */
  before?: string;
}

/** A whole-number parameter in [min, max]; undefined when absent or empty. */
function whole(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
    throw badRequest(`${name} must be a whole number ${min === 0 ? 'up to' : `from ${min} to`} ${max}.`);
  return Number(v);
}

function decisionParam(v: string | undefined): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (!(AUDIT_DECISIONS as readonly string[]).includes(v))
    throw badRequest(`decision must be one of ${AUDIT_DECISIONS.join(', ')}.`);
  return v;
}

export const auditOperations: OperationTable = {
  LookupEvents: {
    authorize: () => [{ action: 'sesame:LookupEvents', resource: '*' }],
    async handle(ctx, input: LookupEventsInput) {
      const since = dateParam('since', input.since);
      const until = dateParam('until', input.until);
      if (since && until && since.getTime() >= until.getTime())
        throw badRequest('since must be before until.');
      const afterSeq = whole('after', input.after, 0, Number.MAX_SAFE_INTEGER);
      const beforeSeq = whole('before', input.before, 0, Number.MAX_SAFE_INTEGER);
      if (afterSeq !== undefined && beforeSeq !== undefined)
        throw badRequest('after and before cannot be used together.');
      const filters: AuditQuery = {
        accountId: ctx.caller.accountId,
        principalArn: input.principal || undefined,
        eventName: input.eventName || undefined,
        decision: decisionParam(input.decision),
        since,
        until,
      };
      // The mailbox API's bounds and wording: a page of 0 is refused, never read as 1.
      const limit = whole('limit', input.limit, 1, 1000) ?? 100;
      if (afterSeq !== undefined)
        return { Events: await queryAuditEvents(ctx.store, { ...filters, afterSeq, limit }) };
      // Newest first: one record more than the page tells whether an older page follows.
      const records = await queryAuditEvents(ctx.store, { ...filters, beforeSeq, limit: limit + 1 });
      if (records.length <= limit) return { Events: records };
      const page = records.slice(0, limit);
      return { Events: page, NextBefore: page[page.length - 1]!.seq };
    },
  },
};
