// SES v2 dedicated IP pools and addresses. Addresses are the node's own, declared by the operator
// (SESAME_DEDICATED_IPS); a configuration set's SendingPoolName makes delivery bind its outgoing
// connections to the pool's addresses (src/delivery/sending-pool.ts), within each address's warm-up.
import type { CallContext, OperationTable } from '../../api/operation.js';
import { onAnyResource } from '../authz.js';
import { alreadyExists, badRequest, notFound, texts } from '../errors.js';
import { getAccountFeatures, setAutoWarmup } from '../state/account-features.js';
import { sesArn } from '../state/arn.js';
import {
  DEFAULT_POOL,
  deletePool,
  getDedicatedIpRow,
  getPool,
  insertPool,
  listDedicatedIpRows,
  listPools,
  moveDedicatedIp,
  setPoolScalingMode,
  setWarmupPercentage,
  toDedicatedIp,
  type DedicatedIp,
} from '../state/dedicated-ips.js';
import type { Tag } from '../state/json.js';
import { pageSize, toPage } from '../state/paging.js';
import { afterToken, withContext } from './common.js';
import { creating, onPool } from './resources.js';
import { checkTags, resourceTagContext } from './tag-rules.js';

/** Pools SES keeps itself: they cannot be created, deleted or fetched by name. */
const RESERVED_POOLS = new Set([DEFAULT_POOL, 'ses-shared-pool']);
// [INF] SES refuses names it cannot use in CloudFormation the same way: 1-64 of a-z 0-9 . _ -.
const POOL_NAME = /^[a-z0-9._-]{1,64}$/;

export const poolTexts = {
  scalingMode: 'The ScalingMode parameter is invalid.',
  name: (n: string) =>
    `Invalid pool name <${n}>. Pool names may contain only lowercase letters, numbers, periods, underscores and dashes, up to 64 characters.`,
  reserved: 'Pool name describes either a shared or default dedicated ip pool',
  managedToStandard: 'Scaling mode cannot be changed from MANAGED to STANDARD.',
  sameMode: (m: string) => `The pool is already in ${m} scaling mode.`,
  warmup: 'WarmupPercentage must be between 0 and 100.',
  managedDestination: (n: string) => `Dedicated IPs cannot be moved into the managed pool <${n}>.`,
};

function dedicatedIpShape(ip: DedicatedIp): Record<string, unknown> {
  return {
    Ip: ip.ip,
    WarmupStatus: ip.warmupStatus,
    WarmupPercentage: ip.warmupPercentage,
    PoolName: ip.poolName,
  };
}

/** An address of the caller's account in this region, or AWS's NotFoundException. */
async function ownAddress(ctx: CallContext, ip: string): Promise<DedicatedIp> {
  const row = await getDedicatedIpRow(ctx.store, ctx.caller.accountId, ctx.region, ip);
  if (!row) throw notFound(texts.dedicatedIpNotFound(ip));
  const { autoWarmupEnabled } = await getAccountFeatures(ctx.store, ctx.caller.accountId, ctx.region);
  return toDedicatedIp(row, autoWarmupEnabled, ctx.now);
}

interface CreatePoolInput {
  PoolName: string;
  Tags?: Tag[];
  ScalingMode?: string;
}

export const dedicatedIpOperations: OperationTable = {
  CreateDedicatedIpPool: {
    authorize: creating('dedicated-ip-pool', 'CreateDedicatedIpPool'),
    async handle(ctx: CallContext, i: CreatePoolInput) {
      const mode = i.ScalingMode ?? 'STANDARD';
      if (mode !== 'STANDARD' && mode !== 'MANAGED') throw badRequest(poolTexts.scalingMode);
      if (RESERVED_POOLS.has(i.PoolName)) throw badRequest(poolTexts.reserved);
      if (!POOL_NAME.test(i.PoolName)) throw badRequest(poolTexts.name(i.PoolName));
      const tags = checkTags(i.Tags);
      const created = await insertPool(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        { name: i.PoolName, scalingMode: mode, tags },
        ctx.now,
      );
      if (!created) throw alreadyExists(texts.poolExists(i.PoolName));
      return {};
    },
  },
  GetDedicatedIpPool: onPool<{ PoolName: string }>('GetDedicatedIpPool', async (_ctx, i, found) => {
    if (RESERVED_POOLS.has(i.PoolName)) throw badRequest(poolTexts.reserved);
    const p = await found.existing();
    return { DedicatedIpPool: { PoolName: p.name, ScalingMode: p.scalingMode } };
  }),
  DeleteDedicatedIpPool: onPool<{ PoolName: string }>('DeleteDedicatedIpPool', async (ctx, i) => {
    if (RESERVED_POOLS.has(i.PoolName)) throw badRequest(poolTexts.reserved);
    if (!(await deletePool(ctx.store, ctx.caller.accountId, ctx.region, i.PoolName)))
      throw notFound(texts.poolNotFound(i.PoolName));
    return {};
  }),
  ListDedicatedIpPools: {
    authorize: onAnyResource('ListDedicatedIpPools'),
    async handle(ctx: CallContext, i: { NextToken?: string; PageSize?: number }) {
      const after = afterToken(i.NextToken);
      const size = pageSize(i.PageSize, 100, 1000);
      const names = await listPools(ctx.store, ctx.caller.accountId, ctx.region, {
        ...(after !== undefined ? { after } : {}),
        limit: size + 1,
      });
      // SES lists its default pool beside the account's own once the account has dedicated IPs.
      const hasIps =
        (await listDedicatedIpRows(ctx.store, ctx.caller.accountId, ctx.region, { limit: 1 })).length > 0;
      if (hasIps && (after === undefined || DEFAULT_POOL > after)) names.push(DEFAULT_POOL);
      names.sort();
      const page = toPage(names.slice(0, size + 1), size, (n) => n);
      return { DedicatedIpPools: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
    },
  },
  PutDedicatedIpPoolScalingAttributes: onPool<{ PoolName: string; ScalingMode: string }>(
    'PutDedicatedIpPoolScalingAttributes',
    async (ctx, i, found) => {
      if (i.ScalingMode !== 'STANDARD' && i.ScalingMode !== 'MANAGED')
        throw badRequest(poolTexts.scalingMode);
      const p = await found.existing();
      if (p.scalingMode === 'MANAGED' && i.ScalingMode === 'STANDARD')
        throw badRequest(poolTexts.managedToStandard);
      if (p.scalingMode !== i.ScalingMode)
        await setPoolScalingMode(ctx.store, ctx.caller.accountId, ctx.region, p.name, i.ScalingMode);
      return {};
    },
  ),
  // SAR: GetDedicatedIp takes no resource; GetDedicatedIps is on the pool (every pool without one).
  GetDedicatedIp: {
    authorize: onAnyResource('GetDedicatedIp'),
    async handle(ctx: CallContext, i: { Ip: string }) {
      return { DedicatedIp: dedicatedIpShape(await ownAddress(ctx, i.Ip)) };
    },
  },
  GetDedicatedIps: {
    async authorize(ctx: CallContext, i: { PoolName?: string }) {
      if (i.PoolName === undefined)
        return [
          {
            action: 'ses:GetDedicatedIps',
            resource: sesArn(ctx.region, ctx.caller.accountId, 'dedicated-ip-pool', '*'),
          },
        ];
      const pool = await getPool(ctx.store, ctx.caller.accountId, ctx.region, i.PoolName);
      return [
        {
          action: 'ses:GetDedicatedIps',
          resource: sesArn(ctx.region, ctx.caller.accountId, 'dedicated-ip-pool', i.PoolName),
          ...withContext(resourceTagContext(pool?.tags)),
        },
      ];
    },
    async handle(ctx: CallContext, i: { PoolName?: string; NextToken?: string; PageSize?: number }) {
      if (i.PoolName !== undefined && !RESERVED_POOLS.has(i.PoolName)) {
        if (!(await getPool(ctx.store, ctx.caller.accountId, ctx.region, i.PoolName)))
          throw notFound(texts.poolNotFound(i.PoolName));
      }
      const after = afterToken(i.NextToken);
      const size = pageSize(i.PageSize, 100, 1000);
      const rows = await listDedicatedIpRows(ctx.store, ctx.caller.accountId, ctx.region, {
        ...(i.PoolName !== undefined ? { pool: i.PoolName } : {}),
        ...(after !== undefined ? { after } : {}),
        limit: size + 1,
      });
      const { autoWarmupEnabled } = await getAccountFeatures(ctx.store, ctx.caller.accountId, ctx.region);
      const page = toPage(rows, size, (r) => r.ip);
      return {
        DedicatedIps: page.items.map((r) => dedicatedIpShape(toDedicatedIp(r, autoWarmupEnabled, ctx.now))),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  },
  PutDedicatedIpInPool: {
    // SAR: on the destination pool.
    async authorize(ctx: CallContext, i: { DestinationPoolName?: string }) {
      const pool = await getPool(ctx.store, ctx.caller.accountId, ctx.region, i.DestinationPoolName ?? '');
      return [
        {
          action: 'ses:PutDedicatedIpInPool',
          resource: sesArn(
            ctx.region,
            ctx.caller.accountId,
            'dedicated-ip-pool',
            i.DestinationPoolName ?? '',
          ),
          ...withContext(resourceTagContext(pool?.tags)),
        },
      ];
    },
    async handle(ctx: CallContext, i: { Ip: string; DestinationPoolName: string }) {
      const ip = await ownAddress(ctx, i.Ip);
      if (i.DestinationPoolName !== DEFAULT_POOL) {
        const pool = await getPool(ctx.store, ctx.caller.accountId, ctx.region, i.DestinationPoolName);
        if (!pool) throw notFound(texts.poolNotFound(i.DestinationPoolName));
        if (pool.scalingMode === 'MANAGED') throw badRequest(poolTexts.managedDestination(pool.name));
      }
      await moveDedicatedIp(ctx.store, ip.ip, i.DestinationPoolName);
      return {};
    },
  },
  PutDedicatedIpWarmupAttributes: {
    authorize: onAnyResource('PutDedicatedIpWarmupAttributes'),
    async handle(ctx: CallContext, i: { Ip: string; WarmupPercentage: number }) {
      if (!Number.isInteger(i.WarmupPercentage) || i.WarmupPercentage < 0 || i.WarmupPercentage > 100)
        throw badRequest(poolTexts.warmup);
      const ip = await ownAddress(ctx, i.Ip);
      await setWarmupPercentage(ctx.store, ip.ip, i.WarmupPercentage, ctx.now);
      return {};
    },
  },
  PutAccountDedicatedIpWarmupAttributes: {
    authorize: onAnyResource('PutAccountDedicatedIpWarmupAttributes'),
    async handle(ctx: CallContext, i: { AutoWarmupEnabled?: boolean }) {
      await setAutoWarmup(ctx.store, ctx.caller.accountId, ctx.region, i.AutoWarmupEnabled === true);
      return {};
    },
  },
};
