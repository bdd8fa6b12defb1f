// SES v2 Deliverability dashboard: the subscription, campaigns and domain statistics from Sesame's
// recorded sends and events (src/ses/deliverability/campaigns.ts), and blacklist reports from DNSBL
// look-ups of the account's dedicated addresses in the operator's zones (SESAME_DNSBL_ZONES).
// Inbox placement panels of real mailbox providers exist only inside AWS: Sesame counts deliveries
// as inbox and complaints as spam, by recipient domain.
import type { CallContext, OperationTable } from '../../api/operation.js';
import { AwsError } from '../../errors/aws-error.js';
import { onAnyResource } from '../authz.js';
import { badRequest, notFound, texts } from '../errors.js';
import { domainCampaigns, domainStatistics, type Campaign } from '../deliverability/campaigns.js';
import { dnsblListings, dnsblResolver, type Listing } from '../deliverability/dnsbl.js';
import { getAccountFeatures, setDashboard, type SubscribedDomain } from '../state/account-features.js';
import { identityArn } from '../state/arn.js';
import { getDedicatedIpRow } from '../state/dedicated-ips.js';
import { getIdentity, tagsOf } from '../state/identities.js';
import { pageSize, toPage } from '../state/paging.js';
import { afterToken, withContext } from './common.js';
import { resourceTagContext } from './tag-rules.js';

const DAY_MS = 86_400_000;

export const deliverabilityTexts = {
  notVerified: (d: string) => `Domain ${d} is not a verified domain of this account.`,
  notSubscribed: (d: string) => `Domain ${d} is not subscribed to the Deliverability dashboard.`,
  range: 'EndDate must be on or after StartDate and at most 30 days after it.',
  campaignNotFound: (id: string) => `Campaign ${id} does not exist.`,
  noAddresses: 'BlacklistItemNames must name between 1 and 5 dedicated IP addresses.',
};

interface TrackingOption {
  Domain: string;
  SubscriptionStartDate?: Date;
  InboxPlacementTrackingOption?: { Global?: boolean; TrackedIsps?: string[] };
}

const shapeDomain = (d: SubscribedDomain) => ({
  Domain: d.Domain,
  SubscriptionStartDate: new Date(d.SubscriptionStartDate),
  ...(d.InboxPlacementTrackingOption ? { InboxPlacementTrackingOption: d.InboxPlacementTrackingOption } : {}),
});

async function subscribed(ctx: CallContext, domain: string): Promise<void> {
  const { dashboard } = await getAccountFeatures(ctx.store, ctx.caller.accountId, ctx.region);
  if (!dashboard.enabled || !dashboard.domains.some((d) => d.Domain.toLowerCase() === domain.toLowerCase()))
    throw notFound(deliverabilityTexts.notSubscribed(domain));
}

function checkRange(start: Date, end: Date): void {
  if (end.getTime() < start.getTime() || end.getTime() - start.getTime() > 30 * DAY_MS)
    throw badRequest(deliverabilityTexts.range);
}

const campaignShape = (c: Campaign) => c;

/** A campaign id names its From address, subject and day: find it among the last 30 days' campaigns. */
async function findCampaign(ctx: CallContext, id: string): Promise<Campaign | undefined> {
  const { dashboard } = await getAccountFeatures(ctx.store, ctx.caller.accountId, ctx.region);
  const end = new Date(Math.floor(ctx.now.getTime() / DAY_MS) * DAY_MS + DAY_MS);
  const start = new Date(end.getTime() - 31 * DAY_MS);
  for (const d of dashboard.enabled ? dashboard.domains : []) {
    const found = (
      await domainCampaigns(ctx.store, ctx.caller.accountId, ctx.region, d.Domain, start, end)
    ).find((c) => c.CampaignId === id);
    if (found) return found;
  }
  return undefined;
}

export const deliverabilityOperations: OperationTable = {
  GetDeliverabilityDashboardOptions: {
    authorize: onAnyResource('GetDeliverabilityDashboardOptions'),
    async handle(ctx: CallContext) {
      const { dashboard } = await getAccountFeatures(ctx.store, ctx.caller.accountId, ctx.region);
      return {
        DashboardEnabled: dashboard.enabled,
        AccountStatus: dashboard.enabled ? 'ACTIVE' : 'DISABLED',
        ActiveSubscribedDomains: dashboard.enabled ? dashboard.domains.map(shapeDomain) : [],
        PendingExpirationSubscribedDomains: [],
      };
    },
  },
  PutDeliverabilityDashboardOption: {
    authorize: onAnyResource('PutDeliverabilityDashboardOption'),
    async handle(ctx: CallContext, i: { DashboardEnabled: boolean; SubscribedDomains?: TrackingOption[] }) {
      const { dashboard } = await getAccountFeatures(ctx.store, ctx.caller.accountId, ctx.region);
      if (!i.DashboardEnabled) {
        await setDashboard(ctx.store, ctx.caller.accountId, ctx.region, { enabled: false, domains: [] });
        return {};
      }
      const domains: SubscribedDomain[] = [];
      for (const d of i.SubscribedDomains ?? []) {
        const name = (d.Domain ?? '').toLowerCase();
        const id = await getIdentity(ctx.store, ctx.caller.accountId, ctx.region, name);
        if (!id || id.identity_type !== 'Domain' || id.verification_status !== 'Success')
          throw notFound(deliverabilityTexts.notVerified(d.Domain));
        const before = dashboard.domains.find((x) => x.Domain === name);
        domains.push({
          Domain: name,
          SubscriptionStartDate: before?.SubscriptionStartDate ?? ctx.now.getTime(),
          ...(d.InboxPlacementTrackingOption
            ? { InboxPlacementTrackingOption: d.InboxPlacementTrackingOption }
            : {}),
        });
      }
      await setDashboard(ctx.store, ctx.caller.accountId, ctx.region, { enabled: true, domains });
      return {};
    },
  },
  ListDomainDeliverabilityCampaigns: {
    authorize: onAnyResource('ListDomainDeliverabilityCampaigns'),
    async handle(
      ctx: CallContext,
      i: { SubscribedDomain: string; StartDate: Date; EndDate: Date; NextToken?: string; PageSize?: number },
    ) {
      checkRange(i.StartDate, i.EndDate);
      await subscribed(ctx, i.SubscribedDomain);
      const after = afterToken(i.NextToken);
      const size = pageSize(i.PageSize, 100, 1000);
      const all = await domainCampaigns(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        i.SubscribedDomain,
        i.StartDate,
        new Date(i.EndDate.getTime() + DAY_MS),
      );
      const start = after === undefined ? 0 : all.findIndex((c) => c.CampaignId === after) + 1;
      const page = toPage(all.slice(start, start + size + 1), size, (c) => c.CampaignId);
      return {
        DomainDeliverabilityCampaigns: page.items.map(campaignShape),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  },
  GetDomainDeliverabilityCampaign: {
    authorize: onAnyResource('GetDomainDeliverabilityCampaign'),
    async handle(ctx: CallContext, i: { CampaignId: string }) {
      const c = await findCampaign(ctx, i.CampaignId);
      if (!c) throw notFound(deliverabilityTexts.campaignNotFound(i.CampaignId));
      return { DomainDeliverabilityCampaign: campaignShape(c) };
    },
  },
  GetDomainStatisticsReport: {
    // SAR: on the domain's identity.
    async authorize(ctx: CallContext, i: { Domain?: string }) {
      const name = (i.Domain ?? '').toLowerCase();
      const row = await getIdentity(ctx.store, ctx.caller.accountId, ctx.region, name);
      return [
        {
          action: 'ses:GetDomainStatisticsReport',
          resource: identityArn(ctx.region, ctx.caller.accountId, name),
          ...withContext(resourceTagContext(row ? tagsOf(row) : undefined)),
        },
      ];
    },
    async handle(ctx: CallContext, i: { Domain: string; StartDate: Date; EndDate: Date }) {
      checkRange(i.StartDate, i.EndDate);
      const row = await getIdentity(ctx.store, ctx.caller.accountId, ctx.region, i.Domain.toLowerCase());
      if (!row) throw notFound(texts.identityNotFound(i.Domain));
      await subscribed(ctx, i.Domain);
      const s = await domainStatistics(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        i.Domain,
        i.StartDate,
        i.EndDate,
      );
      return {
        OverallVolume: {
          VolumeStatistics: {
            InboxRawCount: s.overall.inbox,
            SpamRawCount: s.overall.spam,
            ProjectedInbox: s.overall.inbox,
            ProjectedSpam: s.overall.spam,
          },
          ReadRatePercent: 0,
          DomainIspPlacements: s.overall.isps,
        },
        DailyVolumes: s.daily,
      };
    },
  },
  GetBlacklistReports: {
    authorize: onAnyResource('GetBlacklistReports'),
    async handle(ctx: CallContext, i: { BlacklistItemNames: string[] }) {
      const names = i.BlacklistItemNames ?? [];
      if (names.length === 0 || names.length > 5) throw badRequest(deliverabilityTexts.noAddresses);
      for (const ip of names)
        if (!(await getDedicatedIpRow(ctx.store, ctx.caller.accountId, ctx.region, ip)))
          throw notFound(texts.dedicatedIpNotFound(ip));
      const resolver = dnsblResolver(ctx.config.dnsServers);
      const report: Record<string, Listing[]> = {};
      for (const ip of names) {
        try {
          report[ip] = await dnsblListings(resolver, ip, ctx.config.dnsblZones, ctx.now);
        } catch (e) {
          throw new AwsError('InternalFailure', `Blacklist look-up failed: ${(e as Error).message}`, 500);
        }
      }
      return { BlacklistReport: report };
    },
  },
};
