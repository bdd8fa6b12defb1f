// SES v2 account-level suppression list.
import type { CallContext, OperationTable } from '../../api/operation.js';
import { AwsError } from '../../errors/aws-error.js';
import { onAnyResource } from '../authz.js';
import { badRequest, notFound, texts } from '../errors.js';
import type { SuppressionReason } from '../state/account.js';
import { isValidEmailAddress } from '../state/identity-names.js';
import { decodeNextToken, pageSize, toPage } from '../state/paging.js';
import {
  deleteSuppressedDestination,
  getSuppressedDestination,
  listSuppressedDestinations,
  putSuppressedDestination,
} from '../state/suppression.js';

const notSuppressed = (a: string): AwsError =>
  notFound(`Email address ${a} does not exist on your suppression list.`);

export const suppressionOperations: OperationTable = {
  PutSuppressedDestination: {
    authorize: onAnyResource('PutSuppressedDestination'),
    async handle(ctx: CallContext, i: { EmailAddress: string; Reason: SuppressionReason }) {
      if (!isValidEmailAddress(i.EmailAddress ?? '')) throw badRequest(texts.invalidEmail(i.EmailAddress));
      if (i.Reason !== 'BOUNCE' && i.Reason !== 'COMPLAINT')
        throw badRequest(`Invalid suppression reason: ${i.Reason}.`);
      await putSuppressedDestination(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        i.EmailAddress,
        i.Reason,
        ctx.now,
      );
      return {};
    },
  },
  GetSuppressedDestination: {
    authorize: onAnyResource('GetSuppressedDestination'),
    async handle(ctx: CallContext, i: { EmailAddress: string }) {
      const d = await getSuppressedDestination(ctx.store, ctx.caller.accountId, ctx.region, i.EmailAddress);
      if (!d) throw notSuppressed(i.EmailAddress);
      const attrs = {
        ...(d.messageId ? { MessageId: d.messageId } : {}),
        ...(d.feedbackId ? { FeedbackId: d.feedbackId } : {}),
      };
      return {
        SuppressedDestination: {
          EmailAddress: d.emailAddress,
          Reason: d.reason,
          LastUpdateTime: d.lastUpdateTime,
          ...(Object.keys(attrs).length > 0 ? { Attributes: attrs } : {}),
        },
      };
    },
  },
  DeleteSuppressedDestination: {
    authorize: onAnyResource('DeleteSuppressedDestination'),
    async handle(ctx: CallContext, i: { EmailAddress: string }) {
      if (!(await deleteSuppressedDestination(ctx.store, ctx.caller.accountId, ctx.region, i.EmailAddress)))
        throw notSuppressed(i.EmailAddress);
      return {};
    },
  },
  ListSuppressedDestinations: {
    authorize: onAnyResource('ListSuppressedDestinations'),
    async handle(
      ctx: CallContext,
      i: {
        Reasons?: SuppressionReason[];
        StartDate?: Date;
        EndDate?: Date;
        NextToken?: string;
        PageSize?: number;
      },
    ) {
      const after = decodeNextToken(i.NextToken);
      if (after === null) throw new AwsError('InvalidNextTokenException', 'The NextToken is not valid.', 400);
      const size = pageSize(i.PageSize, 1000, 1000);
      const rows = await listSuppressedDestinations(ctx.store, ctx.caller.accountId, ctx.region, {
        ...(i.Reasons ? { reasons: i.Reasons } : {}),
        ...(i.StartDate ? { startDate: i.StartDate } : {}),
        ...(i.EndDate ? { endDate: i.EndDate } : {}),
        ...(after !== undefined ? { after } : {}),
        limit: size + 1,
      });
      const page = toPage(rows, size, (r) => r.emailAddress);
      return {
        SuppressedDestinationSummaries: page.items.map((r) => ({
          EmailAddress: r.emailAddress,
          Reason: r.reason,
          LastUpdateTime: r.lastUpdateTime,
        })),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  },
};
