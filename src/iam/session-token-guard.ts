// IAM refuses every call made with GetSessionToken credentials that were issued without MFA (STS
// API reference, GetSessionToken: "You cannot call any IAM API operations unless MFA
// authentication information is included in the request"). AWS answers InvalidClientTokenId, 403,
// "The security token included in the request is invalid" (no final period on IAM's answer).
// Sesame has no MFA devices, so no GetSessionToken session carries MFA.
import type { CallContext, Operation, OperationTable } from '../api/operation.js';
import { AwsError } from '../errors/aws-error.js';

/**
 * Written as `session_name` of the sessions GetSessionToken issues (unused for user sessions), so
 * they can be told apart from other user/root sessions such as the console's operator sign-in.
 */
export const GET_SESSION_TOKEN_SESSION = 'GetSessionToken';
/** The session name of a console operator session (console/operator-session.ts). */
export const OPERATOR_SESSION_NAME = 'SesameOperator';

const sessionTokenRefused = (): AwsError =>
  new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid', 403);

/** Throws when the caller authenticated with GetSessionToken credentials (marked when resolved). */
function refuseSessionTokenCredentials(ctx: CallContext): void {
  if (ctx.caller.fromGetSessionToken) throw sessionTokenRefused();
}

/** The same operations, each refusing GetSessionToken credentials before anything else. */
export function refusingSessionTokenCredentials(table: OperationTable): OperationTable {
  const out: OperationTable = {};
  for (const [name, op] of Object.entries(table)) {
    const guarded: Operation = {
      ...op,
      authorize: async (ctx, input) => {
        refuseSessionTokenCredentials(ctx);
        return op.authorize ? op.authorize(ctx, input) : [];
      },
    };
    out[name] = guarded;
  }
  return out;
}
