// SES v2 account operations: GetAccount, the production-access request (PutAccountDetails), the
// sending switch and account-level suppression reasons (docs/spec/ses.md §5.1).
import type { CallContext, OperationTable } from '../../api/operation.js';
import { onAnyResource } from '../authz.js';
import { badRequest, conflict } from '../errors.js';
import {
  decideProductionAccess,
  getAccountState,
  setAccountSendingEnabled,
  setAccountSuppressedReasons,
  submitAccountDetails,
  type SuppressionReason,
} from '../state/account.js';
import { sentInLast24Hours } from '../state/ledger.js';
import { getAccountFeatures } from '../state/account-features.js';

interface AccountDetailsInput {
  MailType: string;
  WebsiteURL: string;
  ContactLanguage?: string;
  UseCaseDescription?: string;
  AdditionalContactEmailAddresses?: string[];
  ProductionAccessEnabled?: boolean;
}

export const accountOperations: OperationTable = {
  GetAccount: {
    authorize: onAnyResource('GetAccount'),
    async handle(ctx: CallContext) {
      const s = await getAccountState(ctx.store, ctx.caller.accountId, ctx.region, ctx.config);
      const features = await getAccountFeatures(ctx.store, ctx.caller.accountId, ctx.region);
      const out: Record<string, unknown> = {
        DedicatedIpAutoWarmupEnabled: features.autoWarmupEnabled,
        EnforcementStatus: s.enforcementStatus,
        ProductionAccessEnabled: !s.sandbox,
        SendQuota: {
          Max24HourSend: s.max24HourSend,
          MaxSendRate: s.maxSendRate,
          SentLast24Hours: await sentInLast24Hours(ctx.store, ctx.caller.accountId, ctx.region, ctx.now),
        },
        SendingEnabled: s.sendingEnabled,
        SuppressionAttributes: { SuppressedReasons: s.suppressedReasons },
        ...(features.vdm ? { VdmAttributes: features.vdm } : {}),
      };
      if (s.details || s.reviewStatus) {
        out.Details = {
          ...(s.details ?? {}),
          ...(s.reviewStatus
            ? {
                ReviewDetails: {
                  Status: s.reviewStatus,
                  ...(s.reviewCaseId ? { CaseId: s.reviewCaseId } : {}),
                },
              }
            : {}),
        };
      }
      return out;
    },
  },
  PutAccountDetails: {
    authorize: onAnyResource('PutAccountDetails'),
    async handle(ctx: CallContext, i: AccountDetailsInput) {
      if (!i.MailType || !i.WebsiteURL) throw badRequest('MailType and WebsiteURL are required.');
      const emails = i.AdditionalContactEmailAddresses;
      if (emails !== undefined && (emails.length < 1 || emails.length > 4)) {
        throw badRequest('AdditionalContactEmailAddresses must contain between 1 and 4 addresses.');
      }
      const details: Record<string, unknown> = { MailType: i.MailType, WebsiteURL: i.WebsiteURL };
      if (i.ContactLanguage !== undefined) details.ContactLanguage = i.ContactLanguage;
      if (i.UseCaseDescription !== undefined) details.UseCaseDescription = i.UseCaseDescription;
      if (emails !== undefined) details.AdditionalContactEmailAddresses = emails;
      const res = await submitAccountDetails(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        details,
        i.ProductionAccessEnabled === true,
        ctx.config,
      );
      if (res === 'conflict') throw conflict('A review of your account details is already in progress.');
      if (res.reviewStatus === 'PENDING' && ctx.config.autoApproveProduction) {
        await decideProductionAccess(ctx.store, ctx.caller.accountId, ctx.region, 'grant', ctx.config);
      }
      return {};
    },
  },
  PutAccountSendingAttributes: {
    authorize: onAnyResource('PutAccountSendingAttributes'),
    async handle(ctx: CallContext, i: { SendingEnabled?: boolean }) {
      await setAccountSendingEnabled(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        i.SendingEnabled === true,
        ctx.config,
      );
      return {};
    },
  },
  PutAccountSuppressionAttributes: {
    authorize: onAnyResource('PutAccountSuppressionAttributes'),
    async handle(ctx: CallContext, i: { SuppressedReasons?: SuppressionReason[] }) {
      await setAccountSuppressedReasons(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        i.SuppressedReasons ?? [],
        ctx.config,
      );
      return {};
    },
  },
};
