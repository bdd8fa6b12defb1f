// A v2 send through a multi-region endpoint (EndpointId): SES splits the traffic equally between the
// endpoint's two regions, so the send runs — identities, quotas, configuration set, delivery — in
// the region whose turn it is. The SDKs sign such a request with SigV4a for region set `*`.
import type { CallContext } from '../../api/operation.js';
import { AwsError } from '../../errors/aws-error.js';
import { endpointById, nextRegion } from '../state/multi-region-endpoints.js';

export const endpointSendTexts = {
  notFound: (id: string) => `Multi-region endpoint with id <${id}> does not exist.`,
};

/** The call context the send runs in: the caller's, or the endpoint's region whose turn it is. */
export async function sendContext(ctx: CallContext, endpointId: string | undefined): Promise<CallContext> {
  if (endpointId === undefined) return ctx;
  const e = await endpointById(ctx.store, ctx.caller.accountId, endpointId);
  if (!e) throw new AwsError('NotFoundException', endpointSendTexts.notFound(endpointId), 404);
  return { ...ctx, region: nextRegion(e) };
}
