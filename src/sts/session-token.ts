// GetSessionToken: temporary credentials that act as the calling IAM user (its policies, its
// boundary) or the root user. No policy controls the call (IAM docs, "Permissions for
// GetSessionToken"); session credentials may not call it, and IAM refuses the credentials it issues
// (iam/session-token-guard.ts).
import type { Operation } from '../api/operation.js';
import { GET_SESSION_TOKEN_SESSION } from '../iam/session-token-guard.js';
import { issueSession, type Credentials } from './credentials.js';
import { sessionCredentialsRefused } from './errors.js';
import * as v from './input.js';

export interface GetSessionTokenInput {
  DurationSeconds?: number;
  SerialNumber?: string;
  TokenCode?: string;
}

const DEFAULT_SECONDS = 43200;
/** Root sessions are cut to one hour (silently, as the API reference says). */
const ROOT_MAX_SECONDS = 3600;

export const getSessionToken: Operation<GetSessionTokenInput, { Credentials: Credentials }> = {
  authorize: () => [],
  handle: async (ctx, input) => {
    const requested =
      input.DurationSeconds === undefined
        ? DEFAULT_SECONDS
        : v.intInRange(input.DurationSeconds, 'durationSeconds', 900, 129600);
    const caller = ctx.caller;
    if (caller.temporary || (caller.principal.kind !== 'User' && caller.principal.kind !== 'Account'))
      throw sessionCredentialsRefused('GetSessionToken');
    const isRoot = caller.principal.kind === 'Account';
    const credentials = await issueSession(
      ctx,
      {
        account_id: caller.accountId,
        kind: 'user',
        role_id: null,
        role_arn: null,
        // Root sessions have no user id: principals.ts resolves them to the account's root.
        user_id: isRoot ? null : caller.userId,
        // Marks the session as GetSessionToken's: IAM refuses its calls (no MFA in Sesame).
        session_name: GET_SESSION_TOKEN_SESSION,
        session_policy: null,
        session_policy_arns: null,
        session_tags: '[]',
        transitive_tag_keys: '[]',
        source_identity: null,
      },
      isRoot ? Math.min(requested, ROOT_MAX_SECONDS) : requested,
    );
    return { Credentials: credentials };
  },
};
