// SES v2 multi-region endpoints (global endpoints): kept in their primary region, with one
// secondary region. A v2 SendEmail/SendBulkEmail naming the EndpointId (SigV4a-signed for region
// set `*`) is sent in the two regions by turns (src/ses/send/endpoint.ts).
import type { CallContext, OperationTable } from '../../api/operation.js';
import { onAnyResource } from '../authz.js';
import { alreadyExists, badRequest, notFound, texts } from '../errors.js';
import type { Tag } from '../state/json.js';
import {
  deleteEndpoint,
  insertEndpoint,
  listEndpoints,
  newEndpointId,
  type MultiRegionEndpoint,
} from '../state/multi-region-endpoints.js';
import { pageSize, toPage } from '../state/paging.js';
import { afterToken, withContext } from './common.js';
import { onEndpoint } from './resources.js';
import { checkTags, requestTagContext } from './tag-rules.js';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export const endpointTexts = {
  routes: 'RoutesDetails must contain exactly one route configuration.',
  region: (r: string) => `Invalid region <${r}>.`,
  samePrimary: (r: string) => `The secondary region <${r}> must be different from the primary region.`,
};

interface CreateInput {
  EndpointName: string;
  Details: { RoutesDetails: { Region: string }[] };
  Tags?: Tag[];
}

export const multiRegionEndpointOperations: OperationTable = {
  CreateMultiRegionEndpoint: {
    // SAR: no resource type; the Tags feed aws:RequestTag/* and aws:TagKeys.
    authorize: (_ctx: CallContext, i: CreateInput) => [
      { action: 'ses:CreateMultiRegionEndpoint', resource: '*', ...withContext(requestTagContext(i.Tags)) },
    ],
    async handle(ctx: CallContext, i: CreateInput) {
      const routes = i.Details?.RoutesDetails ?? [];
      if (routes.length !== 1) throw badRequest(endpointTexts.routes);
      const secondary = routes[0]!.Region;
      if (!REGION.test(secondary)) throw badRequest(endpointTexts.region(secondary));
      if (secondary === ctx.region) throw badRequest(endpointTexts.samePrimary(secondary));
      const tags = checkTags(i.Tags);
      const e: MultiRegionEndpoint = {
        accountId: ctx.caller.accountId,
        primaryRegion: ctx.region,
        name: i.EndpointName,
        endpointId: newEndpointId(),
        regions: [ctx.region, secondary],
        tags,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      };
      if (!(await insertEndpoint(ctx.store, e))) throw alreadyExists(texts.endpointExists(i.EndpointName));
      // Provisioning is immediate here: the next GetMultiRegionEndpoint answers READY.
      return { Status: 'CREATING', EndpointId: e.endpointId };
    },
  },
  GetMultiRegionEndpoint: onEndpoint<{ EndpointName: string }>(
    'GetMultiRegionEndpoint',
    async (_ctx, _i, found) => {
      const e = await found.existing();
      return {
        EndpointName: e.name,
        EndpointId: e.endpointId,
        Routes: e.regions.map((Region) => ({ Region })),
        Status: 'READY',
        CreatedTimestamp: e.createdAt,
        LastUpdatedTimestamp: e.updatedAt,
      };
    },
  ),
  DeleteMultiRegionEndpoint: onEndpoint<{ EndpointName: string }>(
    'DeleteMultiRegionEndpoint',
    async (ctx, i) => {
      if (!(await deleteEndpoint(ctx.store, ctx.caller.accountId, ctx.region, i.EndpointName)))
        throw notFound(texts.endpointNotFound(i.EndpointName));
      return { Status: 'DELETING' };
    },
  ),
  ListMultiRegionEndpoints: {
    authorize: onAnyResource('ListMultiRegionEndpoints'),
    async handle(ctx: CallContext, i: { NextToken?: string; PageSize?: number }) {
      const after = afterToken(i.NextToken);
      const size = pageSize(i.PageSize, 100, 1000);
      const rows = await listEndpoints(ctx.store, ctx.caller.accountId, ctx.region, {
        ...(after !== undefined ? { after } : {}),
        limit: size + 1,
      });
      const page = toPage(rows, size, (e) => e.name);
      // This operation's NextToken must be standard base64 (NextTokenV2's pattern).
      const next = page.nextToken && Buffer.from(page.nextToken, 'base64url').toString('base64');
      return {
        MultiRegionEndpoints: page.items.map((e) => ({
          EndpointName: e.name,
          Status: 'READY',
          EndpointId: e.endpointId,
          Regions: e.regions,
          CreatedTimestamp: e.createdAt,
          LastUpdatedTimestamp: e.updatedAt,
        })),
        ...(next ? { NextToken: next } : {}),
      };
    },
  },
};
