// Shared pieces of the IAM operations: authorization checks on IAM resource ARNs (with the
// resource's tags and boundary as context), and the generation bump that follows every write.
import type { AuthorizationCheck, CallContext, Operation } from '../../api/operation.js';
import type { ContextValue } from '../../policy/request.js';
import { groupArn, policyArn, roleArn, rootArn, userArn } from '../arns.js';
import { findGroup, findRole, findUser, tagsOf } from '../entities.js';
import { requestTagContext, resourceTagContext } from '../../authz/tag-context.js';
import { nonUserCredentials } from '../errors.js';
import { bumpGeneration } from '../generation.js';
import { isAwsManagedArn } from '../aws-managed/catalog.js';

export const accountOf = (ctx: CallContext): string => ctx.caller.accountId;

/** A write: after it succeeds, every cached caller of the account is invalidated. */
export function mutating<I, O>(op: Operation<I, O>): Operation<I, O> {
  return {
    ...op,
    handle: async (ctx, input) => {
      const out = await op.handle(ctx, input);
      await bumpGeneration(ctx.store, accountOf(ctx));
      return out;
    },
  };
}

type Context = Record<string, ContextValue>;

export function check(action: string, resource: string, context?: Context): AuthorizationCheck {
  return context && Object.keys(context).length > 0 ? { action, resource, context } : { action, resource };
}

export { requestTagContext };

const boundaryContext = (arn: string | null | undefined): Context =>
  arn ? { 'iam:PermissionsBoundary': arn } : {};

export interface ResourceCheckOptions {
  extra?: Context;
  /** Add the entity's current boundary as `iam:PermissionsBoundary`. */
  withBoundary?: boolean;
}

/** A check on an existing (or not) user: its real ARN with path, and its tags. */
export async function userCheck(
  ctx: CallContext,
  action: string,
  name: string | undefined,
  opts: ResourceCheckOptions = {},
): Promise<AuthorizationCheck> {
  const a = accountOf(ctx);
  if (name === undefined) return check(action, userArn(a, '/', ''), opts.extra);
  const u = await findUser(ctx.store.db, a, name);
  if (!u) return check(action, userArn(a, '/', name), opts.extra);
  return check(action, userArn(a, u.path, u.name), {
    ...resourceTagContext(await tagsOf(ctx.store.db, 'user', u.user_id)),
    ...(opts.withBoundary ? boundaryContext(u.permissions_boundary_arn) : {}),
    ...opts.extra,
  });
}

export async function roleCheck(
  ctx: CallContext,
  action: string,
  name: string | undefined,
  opts: ResourceCheckOptions = {},
): Promise<AuthorizationCheck> {
  const a = accountOf(ctx);
  const r = name === undefined ? undefined : await findRole(ctx.store.db, a, name);
  if (!r) return check(action, roleArn(a, '/', name ?? ''), opts.extra);
  return check(action, roleArn(a, r.path, r.name), {
    ...resourceTagContext(await tagsOf(ctx.store.db, 'role', r.role_id)),
    ...(opts.withBoundary ? boundaryContext(r.permissions_boundary_arn) : {}),
    ...opts.extra,
  });
}

export async function groupCheck(
  ctx: CallContext,
  action: string,
  name: string | undefined,
  extra?: Context,
): Promise<AuthorizationCheck> {
  const a = accountOf(ctx);
  const g = name === undefined ? undefined : await findGroup(ctx.store.db, a, name);
  return check(action, g ? groupArn(a, g.path, g.name) : groupArn(a, '/', name ?? ''), extra);
}

export function policyCheck(action: string, arn: string | undefined, extra?: Context): AuthorizationCheck {
  return check(action, arn ?? '*', extra);
}

/**
 * A write on a managed policy. AWS managed policies belong to AWS, not to the caller's account:
 * nothing grants their writes on AWS's side, so every caller is denied, the root user too (reads
 * of them are decided by the caller's own policies, as for the account's own resources).
 */
export function policyWriteCheck(
  action: string,
  arn: string | undefined,
  extra?: Context,
): AuthorizationCheck {
  const c = policyCheck(action, arn, extra);
  return arn !== undefined && isAwsManagedArn(arn) ? { ...c, resourceAccount: 'aws' } : c;
}

export { policyArn };

/**
 * Operations whose UserName is optional act on the caller itself: an IAM user (by name), the root
 * user, or — for any other credentials — AWS's ValidationError.
 */
export type Self = { kind: 'user'; name: string } | { kind: 'root' };

export function selfOrNamed(ctx: CallContext, userName: string | undefined): Self {
  if (userName !== undefined) return { kind: 'user', name: userName };
  const c = ctx.caller;
  if (c.principal.kind === 'Account') return { kind: 'root' };
  if (c.principal.kind === 'User' && c.userName !== undefined && !c.temporary)
    return { kind: 'user', name: c.userName };
  throw nonUserCredentials();
}

/** Check for an operation on a user, or on the root user itself. */
export async function selfCheck(ctx: CallContext, action: string, self: Self): Promise<AuthorizationCheck> {
  if (self.kind === 'root') return check(action, rootArn(accountOf(ctx)));
  return userCheck(ctx, action, self.name);
}
