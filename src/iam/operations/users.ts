// CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser.
import type { Operation, OperationTable } from '../../api/operation.js';
import { rootArn, userArn } from '../arns.js';
import { findUser, isUniqueViolation, type Db, requireUser, tagsOf, userOut } from '../entities.js';
import { requireAttachablePolicy } from '../policy-lookup.js';
import { deleteConflict, entityAlreadyExists } from '../errors.js';
import { newUniqueId } from '../ids.js';
import * as v from '../input.js';
import type { Tag } from '../input.js';
import { byName, page } from '../paging.js';
import { accountOf, check, mutating, requestTagContext, selfOrNamed, userCheck } from './common.js';
import { writeTags } from './tags.js';

interface CreateUserInput {
  UserName?: string;
  Path?: string;
  PermissionsBoundary?: string;
  Tags?: Tag[];
}

const createUser: Operation<CreateUserInput> = mutating({
  authorize: (ctx, input) => {
    const name = v.entityName(input.UserName, 'userName');
    const path = v.entityPath(input.Path);
    return [
      check('iam:CreateUser', userArn(accountOf(ctx), path, name), {
        ...requestTagContext(input.Tags),
        ...(input.PermissionsBoundary ? { 'iam:PermissionsBoundary': input.PermissionsBoundary } : {}),
      }),
    ];
  },
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    const name = v.entityName(input.UserName, 'userName');
    const path = v.entityPath(input.Path);
    const tags = v.tags(input.Tags);
    const boundary =
      input.PermissionsBoundary === undefined
        ? null
        : v.arnValue(input.PermissionsBoundary, 'permissionsBoundary');
    const row = {
      user_id: newUniqueId('AIDA'),
      account_id: a,
      name,
      name_lower: name.toLowerCase(),
      path,
      created_at: ctx.now.getTime(),
      permissions_boundary_arn: boundary,
    };
    try {
      await ctx.store.db.transaction().execute(async (trx) => {
        if (await findUser(trx, a, name)) throw entityAlreadyExists('user', name);
        if (boundary !== null) await requireAttachablePolicy(trx, a, boundary);
        await trx.insertInto('iam_users').values(row).execute();
        await writeTags(trx, a, 'user', row.user_id, tags);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw entityAlreadyExists('user', name);
      throw e;
    }
    return { User: userOut(row, tags) };
  },
});

const getUser: Operation<{ UserName?: string }> = {
  authorize: async (ctx, input) => {
    const self = selfOrNamed(ctx, input.UserName);
    if (self.kind === 'root') return [check('iam:GetUser', rootArn(accountOf(ctx)))];
    return [await userCheck(ctx, 'iam:GetUser', self.name)];
  },
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    const self = selfOrNamed(ctx, input.UserName);
    if (self.kind === 'root') {
      const acct = await ctx.store.db
        .selectFrom('accounts')
        .select('created_at')
        .where('id', '=', a)
        .executeTakeFirst();
      return { User: { UserId: a, Arn: rootArn(a), CreateDate: new Date(acct?.created_at ?? 0) } };
    }
    const u = await requireUser(ctx.store.db, a, v.entityName(self.name, 'userName', 128));
    return { User: userOut(u, await tagsOf(ctx.store.db, 'user', u.user_id)) };
  },
};

interface ListInput {
  PathPrefix?: string;
  Marker?: string;
  MaxItems?: number;
}

const listUsers: Operation<ListInput> = {
  // AWS names the listed path as the resource: `arn:aws:iam::A:user/` for the default prefix '/'.
  authorize: (ctx, input) => [
    check('iam:ListUsers', userArn(accountOf(ctx), v.pathPrefix(input.PathPrefix), '')),
  ],
  handle: async (ctx, input) => {
    const prefix = v.pathPrefix(input.PathPrefix);
    const max = v.maxItems(input.MaxItems);
    const rows = await ctx.store.db
      .selectFrom('iam_users')
      .selectAll()
      .where('account_id', '=', accountOf(ctx))
      .execute();
    const all = rows.filter((u) => u.path.startsWith(prefix)).sort(byName);
    const p = page(all, input.Marker, max);
    return {
      Users: p.items.map((u) => userOut({ ...u, permissions_boundary_arn: null })),
      IsTruncated: p.IsTruncated,
      ...(p.Marker ? { Marker: p.Marker } : {}),
    };
  },
};

interface UpdateUserInput {
  UserName?: string;
  NewPath?: string;
  NewUserName?: string;
}

const updateUser: Operation<UpdateUserInput> = mutating({
  // Renaming or moving needs permission on the user as it is and as it will be.
  authorize: async (ctx, input) => {
    const name = v.entityName(input.UserName, 'userName', 128);
    const current = await userCheck(ctx, 'iam:UpdateUser', name);
    if (input.NewUserName === undefined && input.NewPath === undefined) return [current];
    const u = await findUser(ctx.store.db, accountOf(ctx), name);
    const target = userArn(
      accountOf(ctx),
      input.NewPath ?? u?.path ?? '/',
      input.NewUserName ?? u?.name ?? name,
    );
    return target === current.resource ? [current] : [current, check('iam:UpdateUser', target)];
  },
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    const name = v.entityName(input.UserName, 'userName', 128);
    const newName =
      input.NewUserName === undefined ? undefined : v.entityName(input.NewUserName, 'newUserName');
    const newPath = input.NewPath === undefined ? undefined : v.entityPath(input.NewPath, 'newPath');
    try {
      await ctx.store.db.transaction().execute(async (trx) => {
        const u = await requireUser(trx, a, name);
        if (
          newName !== undefined &&
          newName.toLowerCase() !== u.name_lower &&
          (await findUser(trx, a, newName))
        )
          throw entityAlreadyExists('user', newName);
        await trx
          .updateTable('iam_users')
          .set({
            ...(newName !== undefined ? { name: newName, name_lower: newName.toLowerCase() } : {}),
            ...(newPath !== undefined ? { path: newPath } : {}),
          })
          .where('user_id', '=', u.user_id)
          .execute();
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw entityAlreadyExists('user', newName ?? name);
      throw e;
    }
    return {};
  },
});

const deleteUser: Operation<{ UserName?: string }> = mutating({
  authorize: async (ctx, input) => [
    await userCheck(ctx, 'iam:DeleteUser', v.entityName(input.UserName, 'userName', 128)),
  ],
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    const name = v.entityName(input.UserName, 'userName', 128);
    await ctx.store.db.transaction().execute(async (trx) => {
      const u = await requireUser(trx, a, name);
      await refuseIfAny(
        trx,
        'iam_access_keys',
        'user_id',
        u.user_id,
        'Cannot delete entity, must delete access keys first.',
      );
      await refuseIfAny(
        trx,
        'iam_inline_policies',
        'owner_id',
        u.user_id,
        'Cannot delete entity, must delete policies first.',
      );
      await refuseIfAny(
        trx,
        'iam_policy_attachments',
        'entity_id',
        u.user_id,
        'Cannot delete entity, must detach all policies first.',
      );
      await refuseIfAny(
        trx,
        'iam_group_members',
        'user_id',
        u.user_id,
        'Cannot delete entity, must remove user from all groups first.',
      );
      await trx.deleteFrom('iam_tags').where('resource_id', '=', u.user_id).execute();
      await trx.deleteFrom('iam_sessions').where('user_id', '=', u.user_id).execute();
      await trx.deleteFrom('iam_users').where('user_id', '=', u.user_id).execute();
    });
    return {};
  },
});

type DependentTable =
  'iam_access_keys' | 'iam_inline_policies' | 'iam_policy_attachments' | 'iam_group_members';

export async function refuseIfAny(
  db: Db,
  table: DependentTable,
  column: 'user_id' | 'owner_id' | 'entity_id' | 'group_id',
  id: string,
  message: string,
): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const row = await (db as any)
    .selectFrom(table)
    .select(column)
    .where(column, '=', id)
    .limit(1)
    .executeTakeFirst();
  if (row) throw deleteConflict(message);
}

export const userOperations: OperationTable = {
  CreateUser: createUser,
  GetUser: getUser,
  ListUsers: listUsers,
  UpdateUser: updateUser,
  DeleteUser: deleteUser,
};
