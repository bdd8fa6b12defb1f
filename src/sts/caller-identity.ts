// GetCallerIdentity (never denied, even under an explicit deny) and GetAccessKeyInfo.
import type { Operation } from '../api/operation.js';
import { AwsError } from '../errors/aws-error.js';
import { constraintViolation } from './errors.js';
import { required } from './input.js';

export interface CallerIdentity {
  UserId: string;
  Account: string;
  Arn: string;
}

export const getCallerIdentity: Operation<Record<string, never>, CallerIdentity> = {
  authorize: () => [],
  handle: async (ctx) => ({
    UserId: ctx.caller.userId,
    Account: ctx.caller.accountId,
    Arn: ctx.caller.principal.arn,
  }),
};

export const getAccessKeyInfo: Operation<{ AccessKeyId?: string }, { Account: string }> = {
  authorize: () => [{ action: 'sts:GetAccessKeyInfo', resource: '*' }],
  handle: async (ctx, input) => {
    const id = required(input.AccessKeyId, 'accessKeyId');
    if (id.length < 16)
      throw constraintViolation(id, 'accessKeyId', 'Member must have length greater than or equal to 16');
    if (id.length > 128)
      throw constraintViolation(id, 'accessKeyId', 'Member must have length less than or equal to 128');
    if (!/^\w*$/.test(id))
      throw constraintViolation(id, 'accessKeyId', 'Member must satisfy regular expression pattern: [\\w]*');
    const db = ctx.store.db;
    const key =
      (await db
        .selectFrom('iam_access_keys')
        .select('account_id')
        .where('access_key_id', '=', id)
        .executeTakeFirst()) ??
      (await db
        .selectFrom('iam_sessions')
        .select('account_id')
        .where('access_key_id', '=', id)
        .executeTakeFirst());
    // AWS decodes the account from the key id itself; ours carry none, so an unknown key is refused. [INF]
    if (!key) throw new AwsError('InvalidParameterValue', `The access key ID ${id} is not valid.`, 400);
    return { Account: key.account_id };
  },
};
