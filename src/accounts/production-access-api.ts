// `POST /sesame/account/production-access` (SigV4 service `sesame`): the console's Account page
// decides the account's production-access review, as `sesame admin account production` does. Only
// an operator session (the operator token traded for the account root's credentials) may: an
// account's own keys, root's included, can ask for production access but never grant it.
import type { Operation, OperationTable } from '../api/operation.js';
import { badRequest } from '../api/query-params.js';
import { AwsError } from '../errors/aws-error.js';
import { decideProductionAccess } from '../ses/state/account.js';

export interface DecideProductionAccessInput {
  Decision?: unknown;
}

const DecideProductionAccess: Operation<DecideProductionAccessInput> = {
  authorize: () => [{ action: 'sesame:DecideProductionAccess', resource: '*' }],
  async handle(ctx, input) {
    if (!ctx.caller.operator)
      throw new AwsError(
        'AccessDeniedException',
        'Production access is decided by the operator: sign in to the console with the operator token.',
        403,
      );
    if (input.Decision !== 'grant' && input.Decision !== 'deny')
      throw badRequest('Decision must be grant or deny.');
    const s = await decideProductionAccess(
      ctx.store,
      ctx.caller.accountId,
      ctx.region,
      input.Decision,
      ctx.config,
    );
    return {
      ProductionAccessEnabled: !s.sandbox,
      ReviewStatus: s.reviewStatus,
      CaseId: s.reviewCaseId,
      MaxSendRate: s.maxSendRate,
      Max24HourSend: s.max24HourSend,
    };
  },
};

export const productionAccessOperations: OperationTable = { DecideProductionAccess };
