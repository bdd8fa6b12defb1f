// ListRecommendations (SES v2, VDM advisor): the account's recommendations in this region, computed
// from its own state (findings.ts) and kept with their history (recommendations.ts). Filters: one
// key, or STATUS with IMPACT or with TYPE (the API's rule); pages of up to 100, HIGH impact first.
import type { CallContext, OperationTable } from '../../api/operation.js';
import { onAnyResource } from '../authz.js';
import { badRequest } from '../errors.js';
import { encodeNextToken, pageSize } from '../state/paging.js';
import { afterToken } from '../v2/common.js';
import { mailDns } from './dns.js';
import { domainFindings, reputationFindings } from './findings.js';
import { reconcileRecommendations } from './recommendations.js';

type FilterKey = 'TYPE' | 'IMPACT' | 'STATUS' | 'RESOURCE_ARN';

// [INF] wording not recorded.
export const filterTexts = {
  combination: 'Filter can be a single filter, or STATUS combined with IMPACT or with TYPE.',
  value: (key: string, value: string) => `Invalid value ${value} for filter ${key}.`,
};

const VALUES: Partial<Record<FilterKey, string[]>> = {
  TYPE: ['DKIM', 'DMARC', 'SPF', 'BIMI', 'COMPLAINT', 'BOUNCE', 'FEEDBACK_3P', 'IP_LISTING'],
  IMPACT: ['LOW', 'HIGH'],
  STATUS: ['OPEN', 'FIXED'],
};

function checkFilter(filter: Partial<Record<FilterKey, string>>): void {
  const keys = Object.keys(filter).sort();
  if (keys.length === 2 && keys.join() !== 'IMPACT,STATUS' && keys.join() !== 'STATUS,TYPE')
    throw badRequest(filterTexts.combination);
  for (const [k, v] of Object.entries(filter)) {
    const allowed = VALUES[k as FilterKey];
    if (allowed && !allowed.includes(v!)) throw badRequest(filterTexts.value(k, v!));
  }
}

const COLUMN = { TYPE: 'type', IMPACT: 'impact', STATUS: 'status', RESOURCE_ARN: 'resource_arn' } as const;

export const recommendationOperations: OperationTable = {
  ListRecommendations: {
    authorize: onAnyResource('ListRecommendations'),
    async handle(
      ctx: CallContext,
      i: { Filter?: Partial<Record<FilterKey, string>>; NextToken?: string; PageSize?: number },
    ) {
      const filter = i.Filter ?? {};
      checkFilter(filter);
      const after = afterToken(i.NextToken);
      const size = pageSize(i.PageSize, 100, 100);
      const { store, region } = ctx;
      const accountId = ctx.caller.accountId;
      const domains = await store.db
        .selectFrom('ses_identities')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('region', '=', region)
        .where('identity_type', '=', 'Domain')
        .where('verification_status', '=', 'Success')
        .orderBy('identity')
        .limit(1000)
        .execute();
      const dns = mailDns(ctx.config);
      const findings = [
        ...(await Promise.all(domains.map((d) => domainFindings(store, dns, d)))).flat(),
        ...(await reputationFindings(store, accountId, region, ctx.now)),
      ];
      const rows = await reconcileRecommendations(store, accountId, region, findings, ctx.now);
      const sortKey = (r: (typeof rows)[number]) =>
        `${r.impact === 'HIGH' ? 0 : 1}\n${r.resource_arn}\n${r.type}\n${r.code}`;
      const listed = rows
        .filter((r) => Object.entries(filter).every(([k, v]) => r[COLUMN[k as FilterKey]] === v))
        .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1))
        .filter((r) => after === undefined || sortKey(r) > after);
      const page = listed.slice(0, size);
      return {
        Recommendations: page.map((r) => ({
          ResourceArn: r.resource_arn,
          Type: r.type,
          Description: r.description,
          Status: r.status,
          CreatedTimestamp: new Date(Number(r.created_at)),
          LastUpdatedTimestamp: new Date(Number(r.updated_at)),
          Impact: r.impact,
        })),
        ...(listed.length > size ? { NextToken: encodeNextToken(sortKey(page[page.length - 1]!)) } : {}),
      };
    },
  },
};
