// SES v2 VDM settings (account and configuration set) and configuration-set archiving. VDM's
// dashboard is BatchGetMetricData over Sesame's own events; Guardian's optimized shared delivery
// exists only inside AWS (stored and answered). An ArchiveArn makes delivery keep every message of
// the set, as handed to the receiving server, in Sesame's archive (src/archive/).
import type { AuthorizationCheck, CallContext, OperationTable } from '../../api/operation.js';
import { onAnyResource } from '../authz.js';
import { badRequest } from '../errors.js';
import { setVdmAttributes, type VdmAttributes } from '../state/account-features.js';
import { updateConfigurationSet } from '../state/configuration-sets.js';
import { onConfigurationSet } from './resources.js';

export const archiveTexts = {
  otherAccount: (arn: string) => `Archive <${arn}> must be in the configuration set's account and region.`,
};

/** `arn:aws:ses:REGION:ACCOUNT:mailmanager-archive/a-…` of the caller's account and region. */
function checkArchiveArn(ctx: CallContext, arn: string): void {
  const m = /^arn:aws[a-z-]*:ses:([a-z0-9-]+):(\d+):mailmanager-archive\/(a-[a-z0-9]{24,62})$/.exec(arn);
  if (!m || m[1] !== ctx.region || m[2] !== ctx.caller.accountId)
    throw badRequest(archiveTexts.otherAccount(arn));
}

interface ArchivingInput {
  ConfigurationSetName: string;
  ArchiveArn?: string;
}

const putArchiving = onConfigurationSet<ArchivingInput>(
  'PutConfigurationSetArchivingOptions',
  async (ctx, i, found) => {
    await found.existing();
    if (i.ArchiveArn !== undefined) checkArchiveArn(ctx, i.ArchiveArn);
    await updateConfigurationSet(ctx.store, ctx.caller.accountId, ctx.region, i.ConfigurationSetName, {
      archivingOptions: i.ArchiveArn !== undefined ? { ArchiveArn: i.ArchiveArn } : null,
    });
    return {};
  },
);

export const vdmArchivingOperations: OperationTable = {
  PutAccountVdmAttributes: {
    authorize: onAnyResource('PutAccountVdmAttributes'),
    async handle(ctx: CallContext, i: { VdmAttributes: VdmAttributes }) {
      const v = i.VdmAttributes;
      const out: VdmAttributes = { VdmEnabled: v.VdmEnabled };
      if (v.DashboardAttributes) out.DashboardAttributes = { ...v.DashboardAttributes };
      if (v.GuardianAttributes) out.GuardianAttributes = { ...v.GuardianAttributes };
      await setVdmAttributes(ctx.store, ctx.caller.accountId, ctx.region, out);
      return {};
    },
  },
  PutConfigurationSetVdmOptions: onConfigurationSet<{
    ConfigurationSetName: string;
    VdmOptions?: Record<string, unknown>;
  }>('PutConfigurationSetVdmOptions', async (ctx, i, found) => {
    await found.existing();
    await updateConfigurationSet(ctx.store, ctx.caller.accountId, ctx.region, i.ConfigurationSetName, {
      vdmOptions: i.VdmOptions ?? null,
    });
    return {};
  }),
  PutConfigurationSetArchivingOptions: {
    // SAR: the configuration set, and the Mail Manager archive when one is named.
    async authorize(ctx: CallContext, i: ArchivingInput): Promise<AuthorizationCheck[]> {
      const checks = await putArchiving.authorize!(ctx, i);
      if (i.ArchiveArn !== undefined)
        checks.push({ action: 'ses:PutConfigurationSetArchivingOptions', resource: i.ArchiveArn });
      return checks;
    },
    handle: putArchiving.handle,
  },
};
