// TagUser, UntagUser, ListUserTags, TagRole, UntagRole, ListRoleTags; tag storage shared by the
// Create* operations. Keys are unique case-insensitively: tagging `env` replaces `Env`.
import type { Operation, OperationTable } from '../../api/operation.js';
import type { TaggedResourceKind } from '../../store/schema/iam.js';
import { requireRole, requireUser, tagsOf, type Db } from '../entities.js';
import { limitExceeded } from '../errors.js';
import * as v from '../input.js';
import type { Tag } from '../input.js';
import { page } from '../paging.js';
import { accountOf, mutating, requestTagContext, roleCheck, userCheck } from './common.js';

const MAX_TAGS = 50;

export async function writeTags(
  db: Db,
  accountId: string,
  kind: TaggedResourceKind,
  resourceId: string,
  tags: Tag[],
): Promise<void> {
  if (tags.length === 0) return;
  const lowers = tags.map((t) => t.Key.toLowerCase());
  const existing = await db
    .selectFrom('iam_tags')
    .select('key_lower')
    .where('resource_id', '=', resourceId)
    .execute();
  const after = new Set([...existing.map((r) => r.key_lower), ...lowers]);
  // [INF] AWS's wording for exceeding 50 tags in total through TagUser/TagRole is not recorded.
  if (after.size > MAX_TAGS) throw limitExceeded('The number of tags has reached the maximum limit.');
  await db
    .deleteFrom('iam_tags')
    .where('resource_id', '=', resourceId)
    .where('key_lower', 'in', lowers)
    .execute();
  await db
    .insertInto('iam_tags')
    .values(
      tags.map((t) => ({
        account_id: accountId,
        resource_kind: kind,
        resource_id: resourceId,
        key: t.Key,
        key_lower: t.Key.toLowerCase(),
        value: t.Value,
      })),
    )
    .execute();
}

export async function removeTags(db: Db, resourceId: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db
    .deleteFrom('iam_tags')
    .where('resource_id', '=', resourceId)
    .where(
      'key_lower',
      'in',
      keys.map((k) => k.toLowerCase()),
    )
    .execute();
}

interface TagUserInput {
  UserName?: string;
  Tags?: Tag[];
}
interface UntagUserInput {
  UserName?: string;
  TagKeys?: string[];
}
interface TagRoleInput {
  RoleName?: string;
  Tags?: Tag[];
}
interface UntagRoleInput {
  RoleName?: string;
  TagKeys?: string[];
}
interface ListTagsInput {
  UserName?: string;
  RoleName?: string;
  Marker?: string;
  MaxItems?: number;
}

const tagUser: Operation<TagUserInput> = mutating({
  authorize: async (ctx, input) => [
    await userCheck(ctx, 'iam:TagUser', v.entityName(input.UserName, 'userName', 128), {
      extra: requestTagContext(input.Tags),
    }),
  ],
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    const name = v.entityName(input.UserName, 'userName', 128);
    const tags = v.tags(v.required(input.Tags, 'tags'));
    await ctx.store.db.transaction().execute(async (trx) => {
      const u = await requireUser(trx, a, name);
      await writeTags(trx, a, 'user', u.user_id, tags);
    });
    return {};
  },
});

const untagUser: Operation<UntagUserInput> = mutating({
  authorize: async (ctx, input) => [
    await userCheck(ctx, 'iam:UntagUser', v.entityName(input.UserName, 'userName', 128), {
      extra: { 'aws:TagKeys': input.TagKeys ?? [] },
    }),
  ],
  handle: async (ctx, input) => {
    const name = v.entityName(input.UserName, 'userName', 128);
    const keys = v.tagKeys(input.TagKeys);
    const u = await requireUser(ctx.store.db, accountOf(ctx), name);
    await removeTags(ctx.store.db, u.user_id, keys);
    return {};
  },
});

const listUserTags: Operation<ListTagsInput> = {
  authorize: async (ctx, input) => [
    await userCheck(ctx, 'iam:ListUserTags', v.entityName(input.UserName, 'userName', 128)),
  ],
  handle: async (ctx, input) => {
    const u = await requireUser(ctx.store.db, accountOf(ctx), v.entityName(input.UserName, 'userName', 128));
    const p = page(await tagsOf(ctx.store.db, 'user', u.user_id), input.Marker, v.maxItems(input.MaxItems));
    return { Tags: p.items, IsTruncated: p.IsTruncated, ...(p.Marker ? { Marker: p.Marker } : {}) };
  },
};

const tagRole: Operation<TagRoleInput> = mutating({
  authorize: async (ctx, input) => [
    await roleCheck(ctx, 'iam:TagRole', v.entityName(input.RoleName, 'roleName'), {
      extra: requestTagContext(input.Tags),
    }),
  ],
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    const name = v.entityName(input.RoleName, 'roleName');
    const tags = v.tags(v.required(input.Tags, 'tags'));
    await ctx.store.db.transaction().execute(async (trx) => {
      const r = await requireRole(trx, a, name);
      await writeTags(trx, a, 'role', r.role_id, tags);
    });
    return {};
  },
});

const untagRole: Operation<UntagRoleInput> = mutating({
  authorize: async (ctx, input) => [
    await roleCheck(ctx, 'iam:UntagRole', v.entityName(input.RoleName, 'roleName'), {
      extra: { 'aws:TagKeys': input.TagKeys ?? [] },
    }),
  ],
  handle: async (ctx, input) => {
    const name = v.entityName(input.RoleName, 'roleName');
    const keys = v.tagKeys(input.TagKeys);
    const r = await requireRole(ctx.store.db, accountOf(ctx), name);
    await removeTags(ctx.store.db, r.role_id, keys);
    return {};
  },
});

const listRoleTags: Operation<ListTagsInput> = {
  authorize: async (ctx, input) => [
    await roleCheck(ctx, 'iam:ListRoleTags', v.entityName(input.RoleName, 'roleName')),
  ],
  handle: async (ctx, input) => {
    const r = await requireRole(ctx.store.db, accountOf(ctx), v.entityName(input.RoleName, 'roleName'));
    const p = page(await tagsOf(ctx.store.db, 'role', r.role_id), input.Marker, v.maxItems(input.MaxItems));
    return { Tags: p.items, IsTruncated: p.IsTruncated, ...(p.Marker ? { Marker: p.Marker } : {}) };
  },
};

export const tagOperations: OperationTable = {
  TagUser: tagUser,
  UntagUser: untagUser,
  ListUserTags: listUserTags,
  TagRole: tagRole,
  UntagRole: untagRole,
  ListRoleTags: listRoleTags,
};
