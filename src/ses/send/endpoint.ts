// A v2 send through a multi-region endpoint (EndpointId): SES splits the traffic equally between the
// endpoint's two regions, so the send runs — identities, quotas, configuration set, delivery — in
// the region whose turn it is. The SDKs sign such a request with SigV4a for region set `*`.
import type { CallContext } from '../../api/operation.js';
import { AwsError } from '../../errors/aws-error.js';
import { inRegionSet } from '../../http/sigv4a-endpoints.js';
import { endpointById, nextRegion } from '../state/multi-region-endpoints.js';

export const endpointSendTexts = {
  notFound: (id: string) => `Multi-region endpoint with id <${id}> does not exist.`,
  // [INF] SES's wording is not recorded; the signature is valid in no region the send could run in.
  outsideRegionSet: (set: readonly string[], id: string) =>
    `The request's region set <${set.join(',')}> names neither region of multi-region endpoint <${id}>.`,
};

/**
 * The call context the send runs in: the caller's, or the endpoint's region whose turn it is among
 * those a SigV4a signature is valid in.
 */
export async function sendContext(ctx: CallContext, endpointId: string | undefined): Promise<CallContext> {
  if (endpointId === undefined) return ctx;
  const e = await endpointById(ctx.store, ctx.caller.accountId, endpointId);
  if (!e) throw new AwsError('NotFoundException', endpointSendTexts.notFound(endpointId), 404);
  const set = ctx.signingRegionSet;
  const signedFor = set ? e.regions.filter((r) => inRegionSet(r, set)) : e.regions;
  if (set && signedFor.length === 0)
    throw new AwsError('SignatureDoesNotMatch', endpointSendTexts.outsideRegionSet(set, endpointId), 403);
  return { ...ctx, region: nextRegion({ ...e, regions: signedFor }) };
}
