// The audit log over HTTP (SigV4 service `sesame`, GET /sesame/audit/events): the console's and
// scripts' view of `sesame audit tail`. Authorized as `sesame:LookupEvents`; records are always
// the caller's account's.
import type { OperationTable } from '../api/operation.js';
import { badRequest, dateParam } from '../api/query-params.js';
import { queryAuditEvents } from './audit-query.js';

export interface LookupEventsInput {
  principal?: string;
  eventName?: string;
  decision?: string;
  since?: string;
  until?: string;
  limit?: string;
  /** Records after this sequence number, oldest first (for tailing); otherwise newest first. */
  after?: string;
}

function whole(name: string, v: string | undefined, max: number): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v) || Number(v) > max) throw badRequest(`${name} must be a whole number up to ${max}.`);
  return Number(v);
}

export const auditOperations: OperationTable = {
  LookupEvents: {
    authorize: () => [{ action: 'sesame:LookupEvents', resource: '*' }],
    async handle(ctx, input: LookupEventsInput) {
      const records = await queryAuditEvents(ctx.store, {
        accountId: ctx.caller.accountId,
        principalArn: input.principal || undefined,
        eventName: input.eventName || undefined,
        decision: input.decision || undefined,
        since: dateParam('since', input.since),
        until: dateParam('until', input.until),
        afterSeq: whole('after', input.after, Number.MAX_SAFE_INTEGER),
        limit: whole('limit', input.limit, 1000) ?? 100,
      });
      return { Events: records };
    },
  },
};
