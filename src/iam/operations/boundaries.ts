// Put/Delete User|RolePermissionsBoundary: one managed policy per user or role bounds its
// permissions (the authorizer intersects it with the identity policies).
import type { Operation, OperationTable } from '../../api/operation.js';
import { requireModifiableRole, requireUser } from '../entities.js';
import { requireAttachablePolicy } from '../policy-lookup.js';
import * as v from '../input.js';
import { accountOf, mutating, roleCheck, userCheck } from './common.js';
import { policyArnInput } from './managed-policies.js';

interface PutUserInput {
  UserName?: string;
  PermissionsBoundary?: string;
}
interface PutRoleInput {
  RoleName?: string;
  PermissionsBoundary?: string;
}

const userName = (n: string | undefined) => v.entityName(n, 'userName');
const roleName = (n: string | undefined) => v.entityName(n, 'roleName');
const boundaryArn = (arn: string | undefined) => policyArnInput(arn, 'permissionsBoundary');

const putUserPermissionsBoundary: Operation<PutUserInput> = mutating({
  // The condition key is the boundary being set, not the current one.
  authorize: async (ctx, input) => [
    await userCheck(ctx, 'iam:PutUserPermissionsBoundary', userName(input.UserName), {
      extra: input.PermissionsBoundary ? { 'iam:PermissionsBoundary': input.PermissionsBoundary } : {},
    }),
  ],
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    const arn = boundaryArn(input.PermissionsBoundary);
    await ctx.store.db.transaction().execute(async (trx) => {
      const u = await requireUser(trx, a, userName(input.UserName));
      await requireAttachablePolicy(trx, a, arn);
      await trx
        .updateTable('iam_users')
        .set({ permissions_boundary_arn: arn })
        .where('user_id', '=', u.user_id)
        .execute();
    });
    return {};
  },
});

const deleteUserPermissionsBoundary: Operation<{ UserName?: string }> = mutating({
  authorize: async (ctx, input) => [
    await userCheck(ctx, 'iam:DeleteUserPermissionsBoundary', userName(input.UserName), {
      withBoundary: true,
    }),
  ],
  handle: async (ctx, input) => {
    const u = await requireUser(ctx.store.db, accountOf(ctx), userName(input.UserName));
    await ctx.store.db
      .updateTable('iam_users')
      .set({ permissions_boundary_arn: null })
      .where('user_id', '=', u.user_id)
      .execute();
    return {};
  },
});

const putRolePermissionsBoundary: Operation<PutRoleInput> = mutating({
  authorize: async (ctx, input) => [
    await roleCheck(ctx, 'iam:PutRolePermissionsBoundary', roleName(input.RoleName), {
      extra: input.PermissionsBoundary ? { 'iam:PermissionsBoundary': input.PermissionsBoundary } : {},
    }),
  ],
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    const arn = boundaryArn(input.PermissionsBoundary);
    await ctx.store.db.transaction().execute(async (trx) => {
      const r = await requireModifiableRole(trx, a, roleName(input.RoleName));
      await requireAttachablePolicy(trx, a, arn);
      await trx
        .updateTable('iam_roles')
        .set({ permissions_boundary_arn: arn })
        .where('role_id', '=', r.role_id)
        .execute();
    });
    return {};
  },
});

const deleteRolePermissionsBoundary: Operation<{ RoleName?: string }> = mutating({
  authorize: async (ctx, input) => [
    await roleCheck(ctx, 'iam:DeleteRolePermissionsBoundary', roleName(input.RoleName), {
      withBoundary: true,
    }),
  ],
  handle: async (ctx, input) => {
    const r = await requireModifiableRole(ctx.store.db, accountOf(ctx), roleName(input.RoleName));
    await ctx.store.db
      .updateTable('iam_roles')
      .set({ permissions_boundary_arn: null })
      .where('role_id', '=', r.role_id)
      .execute();
    return {};
  },
});

export const boundaryOperations: OperationTable = {
  PutUserPermissionsBoundary: putUserPermissionsBoundary,
  DeleteUserPermissionsBoundary: deleteUserPermissionsBoundary,
  PutRolePermissionsBoundary: putRolePermissionsBoundary,
  DeleteRolePermissionsBoundary: deleteRolePermissionsBoundary,
};
