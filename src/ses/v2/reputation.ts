// SES v2 reputation entities. The entities are the account's tenants (the SAR gives these actions
// the `tenant` resource type); their SES-managed status comes from Sesame's own bounce and
// complaint records under the chosen reputation policy (src/ses/state/reputation.ts), and a tenant
// whose aggregate status is DISABLED cannot send.
import type { AuthorizationCheck, CallContext, OperationTable } from '../../api/operation.js';
import { badRequest, notFound } from '../errors.js';
import { pageSize, toPage } from '../state/paging.js';
import {
  accountTenantRates,
  entityState,
  getEntityRow,
  noRates,
  REPUTATION_POLICIES,
  reputationPolicyArn,
  setCustomerStatus,
  setEntityPolicy,
  tenantRates,
  type ReputationRates,
  type SendingStatus,
} from '../state/reputation.js';
import { getTenantByArn, listTenants, tenantArn, type Tenant } from '../state/tenants.js';
import { afterToken, withContext } from './common.js';
import { resourceTagContext } from './tag-rules.js';

export const reputationTexts = {
  entityNotFound: (ref: string) => `Reputation entity <${ref}> does not exist.`,
  policy: (arn: string) =>
    `Invalid reputation policy <${arn}>. Valid policies are ${REPUTATION_POLICIES.map((p) => `arn:aws:ses:REGION:aws:reputation-policy/${p}`).join(', ')}.`,
  filter: (k: string) => `Invalid filter <${k}>.`,
};

interface EntityInput {
  ReputationEntityType: string;
  ReputationEntityReference: string;
}

async function entityCheck(
  ctx: CallContext,
  operation: string,
  ref: string | undefined,
): Promise<AuthorizationCheck> {
  const t = await getTenantByArn(ctx.store, ctx.caller.accountId, ctx.region, ref ?? '');
  return { action: `ses:${operation}`, resource: ref ?? '', ...withContext(resourceTagContext(t?.tags)) };
}

async function existingEntity(ctx: CallContext, ref: string): Promise<Tenant> {
  const t = await getTenantByArn(ctx.store, ctx.caller.accountId, ctx.region, ref);
  if (!t) throw notFound(reputationTexts.entityNotFound(ref));
  return t;
}

/** The entity as SES answers it; `known` rates were read with the rest of a list. */
async function entityShape(
  ctx: CallContext,
  t: Tenant,
  known?: ReputationRates,
): Promise<Record<string, unknown>> {
  const [row, rates] = await Promise.all([
    getEntityRow(ctx.store, ctx.caller.accountId, ctx.region, t.arn),
    known ?? tenantRates(ctx.store, ctx.caller.accountId, ctx.region, t.name, ctx.now),
  ]);
  const s = entityState(ctx.region, row, rates, ctx.now);
  const record = (r: { status: SendingStatus; cause?: string; updatedAt?: Date }) => ({
    Status: r.status,
    ...(r.cause ? { Cause: r.cause } : {}),
    ...(r.updatedAt ? { LastUpdatedTimestamp: r.updatedAt } : {}),
  });
  return {
    ReputationEntityReference: t.arn,
    ReputationEntityType: 'RESOURCE',
    ReputationManagementPolicy: s.policyArn,
    CustomerManagedStatus: record(s.customer),
    AwsSesManagedStatus: record(s.awsSes),
    SendingStatusAggregate: s.aggregate,
    ...(s.impact ? { ReputationImpact: s.impact } : {}),
  };
}

const FILTER_KEYS = ['ENTITY_TYPE', 'REPUTATION_IMPACT', 'SENDING_STATUS', 'ENTITY_REFERENCE_PREFIX'];

function matches(e: Record<string, unknown>, filter: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(filter)) {
    if (k === 'ENTITY_TYPE' && e.ReputationEntityType !== v) return false;
    if (k === 'REPUTATION_IMPACT' && e.ReputationImpact !== v) return false;
    if (k === 'SENDING_STATUS' && e.SendingStatusAggregate !== v) return false;
    if (k === 'ENTITY_REFERENCE_PREFIX' && !String(e.ReputationEntityReference).startsWith(v)) return false;
  }
  return true;
}

export const reputationOperations: OperationTable = {
  GetReputationEntity: {
    authorize: async (ctx, i: EntityInput) => [
      await entityCheck(ctx, 'GetReputationEntity', i.ReputationEntityReference),
    ],
    async handle(ctx: CallContext, i: EntityInput) {
      return {
        ReputationEntity: await entityShape(ctx, await existingEntity(ctx, i.ReputationEntityReference)),
      };
    },
  },
  ListReputationEntities: {
    authorize: (ctx: CallContext) => [
      {
        action: 'ses:ListReputationEntities',
        resource: tenantArn(ctx.region, ctx.caller.accountId, '*', '*'),
      },
    ],
    async handle(
      ctx: CallContext,
      i: { Filter?: Record<string, string>; NextToken?: string; PageSize?: number },
    ) {
      const filter = i.Filter ?? {};
      for (const k of Object.keys(filter))
        if (!FILTER_KEYS.includes(k)) throw badRequest(reputationTexts.filter(k));
      const after = afterToken(i.NextToken);
      const size = pageSize(i.PageSize, 100, 1000);
      // Filters apply to computed states: walk the tenants in name order until a page is full.
      const rates = await accountTenantRates(ctx.store, ctx.caller.accountId, ctx.region, ctx.now);
      const out: { key: string; entity: Record<string, unknown> }[] = [];
      let cursor = after;
      for (;;) {
        const batch = await listTenants(ctx.store, ctx.caller.accountId, ctx.region, {
          ...(cursor !== undefined ? { after: cursor } : {}),
          limit: 200,
        });
        for (const t of batch) {
          const entity = await entityShape(ctx, t, rates.get(t.name) ?? noRates());
          if (matches(entity, filter)) out.push({ key: t.name, entity });
          if (out.length > size) break;
        }
        if (out.length > size || batch.length < 200) break;
        cursor = batch[batch.length - 1]!.name;
      }
      const page = toPage(out, size, (x) => x.key);
      return {
        ReputationEntities: page.items.map((x) => x.entity),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  },
  UpdateReputationEntityPolicy: {
    async authorize(ctx: CallContext, i: EntityInput & { ReputationEntityPolicy?: string }) {
      return [
        await entityCheck(ctx, 'UpdateReputationEntityPolicy', i.ReputationEntityReference),
        { action: 'ses:UpdateReputationEntityPolicy', resource: i.ReputationEntityPolicy ?? '' },
      ];
    },
    async handle(ctx: CallContext, i: EntityInput & { ReputationEntityPolicy: string }) {
      const valid = REPUTATION_POLICIES.map((p) => reputationPolicyArn(ctx.region, p));
      if (!valid.includes(i.ReputationEntityPolicy))
        throw badRequest(reputationTexts.policy(i.ReputationEntityPolicy));
      const t = await existingEntity(ctx, i.ReputationEntityReference);
      await setEntityPolicy(ctx.store, ctx.caller.accountId, ctx.region, t.arn, i.ReputationEntityPolicy);
      return {};
    },
  },
  UpdateReputationEntityCustomerManagedStatus: {
    authorize: async (ctx, i: EntityInput) => [
      await entityCheck(ctx, 'UpdateReputationEntityCustomerManagedStatus', i.ReputationEntityReference),
    ],
    async handle(ctx: CallContext, i: EntityInput & { SendingStatus: SendingStatus }) {
      const t = await existingEntity(ctx, i.ReputationEntityReference);
      await setCustomerStatus(ctx.store, ctx.caller.accountId, ctx.region, t.arn, i.SendingStatus, ctx.now);
      return {};
    },
  },
};
