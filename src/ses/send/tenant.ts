// A send that names a tenant (v2 TenantName, X-SES-TENANT): the tenant must exist and be allowed to
// send (its reputation entity's aggregate status), and every resource the send uses — the sending
// identities, the configuration set, the stored template — must be associated with it.
import type { CallContext } from '../../api/operation.js';
import { AwsError } from '../../errors/aws-error.js';
import { entityState, getEntityRow, tenantRatesForSend } from '../state/reputation.js';
import { associatedArns, getTenant } from '../state/tenants.js';
import type { SendResource } from './checks.js';

export const tenantSendTexts = {
  notFound: (t: string) => `Tenant <${t}> does not exist.`,
  paused: (t: string) => `Sending is paused for tenant <${t}>.`,
  notAssociated: (arn: string, t: string) => `Resource <${arn}> is not associated with tenant <${t}>.`,
};

/** Throws SES's refusal; resolves when the tenant may send with these resources. */
export async function checkTenantSend(
  ctx: CallContext,
  tenantName: string,
  resources: readonly SendResource[],
): Promise<void> {
  const accountId = ctx.caller.accountId;
  const tenant = await getTenant(ctx.store, accountId, ctx.region, tenantName);
  if (!tenant) throw new AwsError('NotFoundException', tenantSendTexts.notFound(tenantName), 404);
  const [row, rates] = await Promise.all([
    getEntityRow(ctx.store, accountId, ctx.region, tenant.arn),
    tenantRatesForSend(ctx.store, accountId, ctx.region, tenant.name, ctx.now),
  ]);
  if (entityState(ctx.region, row, rates, ctx.now).aggregate === 'DISABLED')
    throw new AwsError('SendingPausedException', tenantSendTexts.paused(tenantName));
  // Resources of other accounts (delegated sending) cannot be associated: only the caller's count.
  const own = resources.filter((r) => r.ownerAccountId === accountId).map((r) => r.arn);
  const associated = await associatedArns(ctx.store, accountId, ctx.region, tenant.name, own);
  const missing = own.find((arn) => !associated.has(arn));
  if (missing !== undefined)
    throw new AwsError('InvalidParameterValue', tenantSendTexts.notAssociated(missing, tenant.name));
}
