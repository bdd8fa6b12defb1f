// SES v1 account operations: quota (sandbox 200 / 1), sending statistics, sending switch.
import type { OperationTable } from '../../api/operation.js';
import { sendStatistics } from '../../delivery/statistics.js';
import { onAnyResource } from '../authz.js';
import { getAccountState, setAccountSendingEnabled } from '../state/account.js';
import { sentInLast24Hours } from '../state/ledger.js';

export const accountOperations: OperationTable = {
  GetSendQuota: {
    authorize: onAnyResource('GetSendQuota'),
    async handle(ctx) {
      const s = await getAccountState(ctx.store, ctx.caller.accountId, ctx.region, ctx.config);
      return {
        Max24HourSend: s.max24HourSend,
        MaxSendRate: s.maxSendRate,
        SentLast24Hours: await sentInLast24Hours(ctx.store, ctx.caller.accountId, ctx.region, ctx.now),
      };
    },
  },
  GetSendStatistics: {
    authorize: onAnyResource('GetSendStatistics'),
    async handle(ctx) {
      return { SendDataPoints: await sendStatistics(ctx.store, ctx.caller.accountId, ctx.region, ctx.now) };
    },
  },
  GetAccountSendingEnabled: {
    authorize: onAnyResource('GetAccountSendingEnabled'),
    async handle(ctx) {
      const s = await getAccountState(ctx.store, ctx.caller.accountId, ctx.region, ctx.config);
      return { Enabled: s.sendingEnabled };
    },
  },
  UpdateAccountSendingEnabled: {
    authorize: onAnyResource('UpdateAccountSendingEnabled'),
    async handle(ctx, i: { Enabled?: boolean }) {
      // The model leaves Enabled optional; absent means false (as the SDK default for a boolean).
      await setAccountSendingEnabled(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        i.Enabled === true,
        ctx.config,
      );
      return {};
    },
  },
};
