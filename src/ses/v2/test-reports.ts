// SES v2 predictive inbox placement tests. Outside AWS there are no seed mailboxes at mailbox
// providers: the test message goes through Sesame's send pipeline (limits, quotas, DKIM, delivery)
// to the mailbox simulator's success address, and the report is what Sesame observed of it —
// delivered (inbox), complained (spam) or bounced (missing), and whether it left DKIM-signed.
import { randomUUID } from 'node:crypto';
import type { AuthorizationCheck, CallContext, OperationTable } from '../../api/operation.js';
import { eventsOfMessage } from '../../delivery/events.js';
import { signingDomain } from '../../delivery/dkim.js';
import { onAnyResource } from '../authz.js';
import { badRequest } from '../errors.js';
import { acceptSend } from '../send/pipeline.js';
import { defaultRateLimiter } from '../send/rate-limiter.js';
import { normalizeV2SendEmail, type V2SendEmailInput } from '../send/normalize-v2.js';
import { toV2Error } from '../send/errors.js';
import { isAwsError } from '../../errors/aws-error.js';
import { identityArn } from '../state/arn.js';
import { getIdentities, tagsOf } from '../state/identities.js';
import { coveringIdentities } from '../state/identity-names.js';
import type { Tag } from '../state/json.js';
import { pageSize, toPage } from '../state/paging.js';
import { insertTestReport, listTestReports, type TestReport } from '../state/test-reports.js';
import { afterToken, withContext } from './common.js';
import { onTestReport } from './resources.js';
import { checkTags, requestTagContext, resourceTagContext } from './tag-rules.js';

export const TEST_SEED = 'success@simulator.amazonses.com';

interface CreateInput {
  ReportName?: string;
  FromEmailAddress: string;
  Content: V2SendEmailInput['Content'];
  Tags?: Tag[];
}

/** SAR: on the identity that covers the From address (the address before its domain). */
async function fromIdentityCheck(ctx: CallContext, i: CreateInput): Promise<AuthorizationCheck[]> {
  const address = /<([^>]+)>/.exec(i.FromEmailAddress ?? '')?.[1] ?? i.FromEmailAddress ?? '';
  const candidates = coveringIdentities(address);
  const rows = await getIdentities(ctx.store, ctx.caller.accountId, ctx.region, candidates);
  const row = candidates.map((c) => rows.find((r) => r.identity === c)).find((r) => r !== undefined);
  const name = row?.identity ?? candidates[candidates.length - 1] ?? address;
  return [
    {
      action: 'ses:CreateDeliverabilityTestReport',
      resource: identityArn(ctx.region, ctx.caller.accountId, name),
      ...withContext({ ...requestTagContext(i.Tags), ...resourceTagContext(row ? tagsOf(row) : undefined) }),
    },
  ];
}

async function reportStatus(ctx: CallContext, r: TestReport) {
  const events = await eventsOfMessage(ctx.store, r.messageId);
  const settled = (t: string) => events.filter((e) => e.type === t).flatMap((e) => e.recipients);
  const delivered = settled('Delivery').length;
  const bounced = settled('Bounce').length;
  const complained = settled('Complaint').length;
  const done = delivered + bounced > 0;
  const pct = (n: number) => (done ? (100 * n) / Math.max(1, delivered + bounced) : 0);
  const dkim = await signingDomain(ctx.store, ctx.caller.accountId, ctx.region, r.fromAddress);
  return {
    status: done ? 'COMPLETED' : 'IN_PROGRESS',
    placement: {
      InboxPercentage: pct(delivered - complained),
      SpamPercentage: pct(complained),
      MissingPercentage: pct(bounced),
      // SES's own MAIL FROM domain passes SPF; DKIM when the From domain signs.
      SpfPercentage: done ? 100 : 0,
      DkimPercentage: done && dkim ? 100 : 0,
    },
  };
}

const summary = (r: TestReport, status: string) => ({
  ReportId: r.reportId,
  ...(r.reportName !== undefined ? { ReportName: r.reportName } : {}),
  ...(r.subject !== undefined ? { Subject: r.subject } : {}),
  FromEmailAddress: r.fromAddress,
  CreateDate: r.createdAt,
  DeliverabilityTestStatus: status,
});

export const testReportOperations: OperationTable = {
  CreateDeliverabilityTestReport: {
    authorize: fromIdentityCheck,
    async handle(ctx: CallContext, i: CreateInput) {
      const tags = checkTags(i.Tags);
      let req;
      try {
        req = await normalizeV2SendEmail({
          FromEmailAddress: i.FromEmailAddress,
          Destination: { ToAddresses: [TEST_SEED] },
          Content: i.Content,
        });
      } catch (e) {
        throw isAwsError(e) ? toV2Error(e) : e;
      }
      if (!req.from) throw badRequest('FromEmailAddress is required.');
      // This call was authorized as ses:CreateDeliverabilityTestReport: the send itself is not
      // authorized again as ses:SendEmail (AWS asks for no send permission).
      let messageId: string;
      try {
        const sent = await acceptSend(ctx, req, {
          authorizer: () => undefined,
          rateLimiter: defaultRateLimiter,
        });
        messageId = sent.messageIds[0] ?? '';
      } catch (e) {
        throw isAwsError(e) ? toV2Error(e) : e;
      }
      const subject =
        i.Content.Simple?.Subject?.Data ?? i.Content.Template?.TemplateContent?.Subject ?? undefined;
      const report: TestReport = {
        reportId: randomUUID(),
        ...(i.ReportName !== undefined ? { reportName: i.ReportName } : {}),
        fromAddress: req.from.address,
        ...(subject !== undefined ? { subject } : {}),
        messageId,
        message: Buffer.from(
          JSON.stringify(i.Content, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v)),
        ),
        tags,
        createdAt: ctx.now,
      };
      await insertTestReport(ctx.store, ctx.caller.accountId, ctx.region, report);
      return { ReportId: report.reportId, DeliverabilityTestStatus: 'IN_PROGRESS' };
    },
  },
  GetDeliverabilityTestReport: onTestReport<{ ReportId: string }>(
    'GetDeliverabilityTestReport',
    async (ctx, _i, found) => {
      const r = await found.existing();
      const s = await reportStatus(ctx, r);
      return {
        DeliverabilityTestReport: summary(r, s.status),
        OverallPlacement: s.placement,
        IspPlacements: [],
        Message: r.message.toString('utf8'),
        Tags: r.tags,
      };
    },
  ),
  ListDeliverabilityTestReports: {
    authorize: onAnyResource('ListDeliverabilityTestReports'),
    async handle(ctx: CallContext, i: { NextToken?: string; PageSize?: number }) {
      const after = afterToken(i.NextToken);
      const size = pageSize(i.PageSize, 100, 1000);
      const rows = await listTestReports(ctx.store, ctx.caller.accountId, ctx.region, {
        ...(after !== undefined ? { after } : {}),
        limit: size + 1,
      });
      const page = toPage(rows, size, (r) => `${r.createdAt.getTime()}:${r.reportId}`);
      const items = [];
      for (const r of page.items) items.push(summary(r, (await reportStatus(ctx, r)).status));
      return { DeliverabilityTestReports: items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
    },
  },
};
