// CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup, AddUserToGroup, RemoveUserFromGroup,
// ListGroupsForUser.
import type { Operation, OperationTable } from '../../api/operation.js';
import { groupArn } from '../arns.js';
import { findGroup, groupOut, isUniqueViolation, requireGroup, requireUser, userOut } from '../entities.js';
import { AwsError } from '../../errors/aws-error.js';
import { entityAlreadyExists, quotaExceeded } from '../errors.js';
import { newUniqueId } from '../ids.js';
import * as v from '../input.js';
import { byName, page } from '../paging.js';
import { accountOf, check, groupCheck, mutating, userCheck } from './common.js';
import { refuseIfAny } from './users.js';

const GROUPS_PER_USER = 10;
const groupName = (n: string | undefined, member = 'groupName') => v.entityName(n, member, 128);
const userName = (n: string | undefined) => v.entityName(n, 'userName', 128);

const createGroup: Operation<{ GroupName?: string; Path?: string }> = mutating({
  authorize: (ctx, input) => [
    check('iam:CreateGroup', groupArn(accountOf(ctx), v.entityPath(input.Path), groupName(input.GroupName))),
  ],
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    const name = groupName(input.GroupName);
    const row = {
      group_id: newUniqueId('AGPA'),
      account_id: a,
      name,
      name_lower: name.toLowerCase(),
      path: v.entityPath(input.Path),
      created_at: ctx.now.getTime(),
    };
    try {
      await ctx.store.db.transaction().execute(async (trx) => {
        if (await findGroup(trx, a, name)) throw entityAlreadyExists('group', name);
        await trx.insertInto('iam_groups').values(row).execute();
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw entityAlreadyExists('group', name);
      throw e;
    }
    return { Group: groupOut(row) };
  },
});

interface PagedGroupInput {
  GroupName?: string;
  Marker?: string;
  MaxItems?: number;
}

const getGroup: Operation<PagedGroupInput> = {
  authorize: async (ctx, input) => [await groupCheck(ctx, 'iam:GetGroup', groupName(input.GroupName))],
  handle: async (ctx, input) => {
    const db = ctx.store.db;
    const g = await requireGroup(db, accountOf(ctx), groupName(input.GroupName));
    const users = await db
      .selectFrom('iam_group_members as m')
      .innerJoin('iam_users as u', 'u.user_id', 'm.user_id')
      .selectAll('u')
      .where('m.group_id', '=', g.group_id)
      .execute();
    const p = page(users.sort(byName), input.Marker, v.maxItems(input.MaxItems));
    return {
      Group: groupOut(g),
      Users: p.items.map((u) => userOut({ ...u, permissions_boundary_arn: null })),
      IsTruncated: p.IsTruncated,
      ...(p.Marker ? { Marker: p.Marker } : {}),
    };
  },
};

const listGroups: Operation<{ PathPrefix?: string; Marker?: string; MaxItems?: number }> = {
  // AWS names the listed path as the resource: `arn:aws:iam::A:group/` for the default prefix '/'.
  authorize: (ctx, input) => [
    check('iam:ListGroups', groupArn(accountOf(ctx), v.pathPrefix(input.PathPrefix), '')),
  ],
  handle: async (ctx, input) => {
    const prefix = v.pathPrefix(input.PathPrefix);
    const rows = await ctx.store.db
      .selectFrom('iam_groups')
      .selectAll()
      .where('account_id', '=', accountOf(ctx))
      .execute();
    const p = page(
      rows.filter((g) => g.path.startsWith(prefix)).sort(byName),
      input.Marker,
      v.maxItems(input.MaxItems),
    );
    return {
      Groups: p.items.map(groupOut),
      IsTruncated: p.IsTruncated,
      ...(p.Marker ? { Marker: p.Marker } : {}),
    };
  },
};

const updateGroup: Operation<{ GroupName?: string; NewPath?: string; NewGroupName?: string }> = mutating({
  authorize: async (ctx, input) => {
    const current = await groupCheck(ctx, 'iam:UpdateGroup', groupName(input.GroupName));
    if (input.NewGroupName === undefined && input.NewPath === undefined) return [current];
    const g = await findGroup(ctx.store.db, accountOf(ctx), groupName(input.GroupName));
    const target = groupArn(
      accountOf(ctx),
      input.NewPath ?? g?.path ?? '/',
      input.NewGroupName ?? g?.name ?? input.GroupName ?? '',
    );
    return target === current.resource ? [current] : [current, check('iam:UpdateGroup', target)];
  },
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    const name = groupName(input.GroupName);
    const newName =
      input.NewGroupName === undefined ? undefined : groupName(input.NewGroupName, 'newGroupName');
    const newPath = input.NewPath === undefined ? undefined : v.entityPath(input.NewPath, 'newPath');
    try {
      await ctx.store.db.transaction().execute(async (trx) => {
        const g = await requireGroup(trx, a, name);
        if (
          newName !== undefined &&
          newName.toLowerCase() !== g.name_lower &&
          (await findGroup(trx, a, newName))
        )
          throw entityAlreadyExists('group', newName);
        await trx
          .updateTable('iam_groups')
          .set({
            ...(newName !== undefined ? { name: newName, name_lower: newName.toLowerCase() } : {}),
            ...(newPath !== undefined ? { path: newPath } : {}),
          })
          .where('group_id', '=', g.group_id)
          .execute();
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw entityAlreadyExists('group', newName ?? name);
      throw e;
    }
    return {};
  },
});

const deleteGroup: Operation<{ GroupName?: string }> = mutating({
  authorize: async (ctx, input) => [await groupCheck(ctx, 'iam:DeleteGroup', groupName(input.GroupName))],
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    await ctx.store.db.transaction().execute(async (trx) => {
      const g = await requireGroup(trx, a, groupName(input.GroupName));
      await refuseIfAny(
        trx,
        'iam_group_members',
        'group_id',
        g.group_id,
        'Cannot delete entity, must remove users from group first.',
      );
      await refuseIfAny(
        trx,
        'iam_inline_policies',
        'owner_id',
        g.group_id,
        'Cannot delete entity, must delete policies first.',
      );
      await refuseIfAny(
        trx,
        'iam_policy_attachments',
        'entity_id',
        g.group_id,
        'Cannot delete entity, must detach all policies first.',
      );
      await trx.deleteFrom('iam_groups').where('group_id', '=', g.group_id).execute();
    });
    return {};
  },
});

interface MembershipInput {
  GroupName?: string;
  UserName?: string;
}

const addUserToGroup: Operation<MembershipInput> = mutating({
  authorize: async (ctx, input) => [await groupCheck(ctx, 'iam:AddUserToGroup', groupName(input.GroupName))],
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    await ctx.store.db.transaction().execute(async (trx) => {
      const g = await requireGroup(trx, a, groupName(input.GroupName));
      const u = await requireUser(trx, a, userName(input.UserName));
      const groups = await trx
        .selectFrom('iam_group_members')
        .select('group_id')
        .where('user_id', '=', u.user_id)
        .execute();
      if (groups.some((m) => m.group_id === g.group_id)) return; // already a member: AWS succeeds
      if (groups.length >= GROUPS_PER_USER) throw quotaExceeded('GroupsPerUser', GROUPS_PER_USER);
      await trx
        .insertInto('iam_group_members')
        .values({ group_id: g.group_id, user_id: u.user_id, account_id: a, added_at: ctx.now.getTime() })
        .execute();
    });
    return {};
  },
});

const removeUserFromGroup: Operation<MembershipInput> = mutating({
  authorize: async (ctx, input) => [
    await groupCheck(ctx, 'iam:RemoveUserFromGroup', groupName(input.GroupName)),
  ],
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    const db = ctx.store.db;
    const g = await requireGroup(db, a, groupName(input.GroupName));
    const u = await requireUser(db, a, userName(input.UserName));
    const r = await db
      .deleteFrom('iam_group_members')
      .where('group_id', '=', g.group_id)
      .where('user_id', '=', u.user_id)
      .executeTakeFirst();
    // [INF] moto's wording; AWS's is not recorded.
    if (Number(r.numDeletedRows) === 0)
      throw new AwsError('NoSuchEntity', `User ${u.name} not in group ${g.name}`, 404);
    return {};
  },
});

const listGroupsForUser: Operation<{ UserName?: string; Marker?: string; MaxItems?: number }> = {
  authorize: async (ctx, input) => [await userCheck(ctx, 'iam:ListGroupsForUser', userName(input.UserName))],
  handle: async (ctx, input) => {
    const db = ctx.store.db;
    const u = await requireUser(db, accountOf(ctx), userName(input.UserName));
    const groups = await db
      .selectFrom('iam_group_members as m')
      .innerJoin('iam_groups as g', 'g.group_id', 'm.group_id')
      .selectAll('g')
      .where('m.user_id', '=', u.user_id)
      .execute();
    const p = page(groups.sort(byName), input.Marker, v.maxItems(input.MaxItems));
    return {
      Groups: p.items.map(groupOut),
      IsTruncated: p.IsTruncated,
      ...(p.Marker ? { Marker: p.Marker } : {}),
    };
  },
};

export const groupOperations: OperationTable = {
  CreateGroup: createGroup,
  GetGroup: getGroup,
  ListGroups: listGroups,
  UpdateGroup: updateGroup,
  DeleteGroup: deleteGroup,
  AddUserToGroup: addUserToGroup,
  RemoveUserFromGroup: removeUserFromGroup,
  ListGroupsForUser: listGroupsForUser,
};
