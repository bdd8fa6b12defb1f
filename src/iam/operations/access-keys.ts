// CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed. Without
// UserName they act on the caller (an IAM user or the root user). Secrets are stored sealed only.
import type { CallContext, Operation, OperationTable } from '../../api/operation.js';
import type { IamAccessKeyRow } from '../../store/schema/iam.js';
import { rootArn } from '../arns.js';
import { requireUser, type Db } from '../entities.js';
import { constraintViolation, invalidInput, noSuchAccessKey, quotaExceeded } from '../errors.js';
import { newAccessKeyId, newSecretAccessKey } from '../ids.js';
import * as v from '../input.js';
import { page } from '../paging.js';
import { secretBoxOf } from '../secrets.js';
import { accountOf, check, mutating, selfCheck, selfOrNamed, type Self } from './common.js';

const MAX_KEYS = 2;

interface Owner {
  /** null for the root user */
  userId: string | null;
  userName?: string;
}

async function ownerOf(db: Db, ctx: CallContext, self: Self): Promise<Owner> {
  if (self.kind === 'root') return { userId: null };
  const u = await requireUser(db, accountOf(ctx), v.entityName(self.name, 'userName', 128));
  return { userId: u.user_id, userName: u.name };
}

function keysOf(db: Db, accountId: string, owner: Owner) {
  const q = db.selectFrom('iam_access_keys').selectAll().where('account_id', '=', accountId);
  return owner.userId === null ? q.where('owner_kind', '=', 'root') : q.where('user_id', '=', owner.userId);
}

async function requireOwnKey(
  db: Db,
  accountId: string,
  owner: Owner,
  accessKeyId: string,
): Promise<IamAccessKeyRow> {
  const k = await keysOf(db, accountId, owner).where('access_key_id', '=', accessKeyId).executeTakeFirst();
  if (!k) throw noSuchAccessKey(accessKeyId);
  return k;
}

const userNameOut = (owner: Owner) => (owner.userName !== undefined ? { UserName: owner.userName } : {});

const createAccessKey: Operation<{ UserName?: string }> = mutating({
  authorize: async (ctx, input) => [
    await selfCheck(ctx, 'iam:CreateAccessKey', selfOrNamed(ctx, input.UserName)),
  ],
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    const box = secretBoxOf(ctx.store);
    const accessKeyId = newAccessKeyId('AKIA');
    const secret = newSecretAccessKey();
    const created = ctx.now.getTime();
    const owner = await ctx.store.db.transaction().execute(async (trx) => {
      const owner = await ownerOf(trx, ctx, selfOrNamed(ctx, input.UserName));
      const existing = await keysOf(trx, a, owner).execute();
      if (existing.length >= MAX_KEYS) throw quotaExceeded('AccessKeysPerUser', MAX_KEYS);
      await trx
        .insertInto('iam_access_keys')
        .values({
          access_key_id: accessKeyId,
          account_id: a,
          owner_kind: owner.userId === null ? 'root' : 'user',
          user_id: owner.userId,
          secret_sealed: box.seal(secret),
          status: 'Active',
          created_at: created,
          last_used_at: null,
          last_used_service: null,
          last_used_region: null,
        })
        .execute();
      return owner;
    });
    return {
      AccessKey: {
        ...userNameOut(owner),
        AccessKeyId: accessKeyId,
        Status: 'Active',
        SecretAccessKey: secret,
        CreateDate: new Date(created),
      },
    };
  },
});

interface ListAccessKeysInput {
  UserName?: string;
  Marker?: string;
  MaxItems?: number;
}

const listAccessKeys: Operation<ListAccessKeysInput> = {
  authorize: async (ctx, input) => [
    await selfCheck(ctx, 'iam:ListAccessKeys', selfOrNamed(ctx, input.UserName)),
  ],
  handle: async (ctx, input) => {
    const db = ctx.store.db;
    const owner = await ownerOf(db, ctx, selfOrNamed(ctx, input.UserName));
    const rows = await keysOf(db, accountOf(ctx), owner)
      .orderBy('created_at')
      .orderBy('access_key_id')
      .execute();
    const p = page(rows, input.Marker, v.maxItems(input.MaxItems));
    return {
      AccessKeyMetadata: p.items.map((k) => ({
        ...userNameOut(owner),
        AccessKeyId: k.access_key_id,
        Status: k.status,
        CreateDate: new Date(k.created_at),
      })),
      IsTruncated: p.IsTruncated,
      ...(p.Marker ? { Marker: p.Marker } : {}),
    };
  },
};

interface UpdateAccessKeyInput {
  UserName?: string;
  AccessKeyId?: string;
  Status?: string;
}

function keyId(value: string | undefined): string {
  const id = v.required(value, 'accessKeyId');
  if (id.length < 16 || id.length > 128)
    throw constraintViolation(
      id,
      'accessKeyId',
      `Member must have length ${id.length < 16 ? 'greater than or equal to 16' : 'less than or equal to 128'}`,
    );
  if (!/^\w+$/.test(id))
    throw constraintViolation(id, 'accessKeyId', 'Member must satisfy regular expression pattern: [\\w]+');
  return id;
}

const updateAccessKey: Operation<UpdateAccessKeyInput> = mutating({
  authorize: async (ctx, input) => [
    await selfCheck(ctx, 'iam:UpdateAccessKey', selfOrNamed(ctx, input.UserName)),
  ],
  handle: async (ctx, input) => {
    const id = keyId(input.AccessKeyId);
    const status = v.required(input.Status, 'status');
    if (status !== 'Active' && status !== 'Inactive') {
      if (status === 'Expired') throw invalidInput('The specified value for status is invalid.');
      throw constraintViolation(
        status,
        'status',
        'Member must satisfy enum value set: [Active, Inactive, Expired]',
      );
    }
    const db = ctx.store.db;
    const owner = await ownerOf(db, ctx, selfOrNamed(ctx, input.UserName));
    await requireOwnKey(db, accountOf(ctx), owner, id);
    await db.updateTable('iam_access_keys').set({ status }).where('access_key_id', '=', id).execute();
    return {};
  },
});

const deleteAccessKey: Operation<{ UserName?: string; AccessKeyId?: string }> = mutating({
  authorize: async (ctx, input) => [
    await selfCheck(ctx, 'iam:DeleteAccessKey', selfOrNamed(ctx, input.UserName)),
  ],
  handle: async (ctx, input) => {
    const id = keyId(input.AccessKeyId);
    const db = ctx.store.db;
    const owner = await ownerOf(db, ctx, selfOrNamed(ctx, input.UserName));
    await requireOwnKey(db, accountOf(ctx), owner, id);
    await db.deleteFrom('iam_access_keys').where('access_key_id', '=', id).execute();
    return {};
  },
});

async function keyWithOwner(ctx: CallContext, accessKeyId: string) {
  return ctx.store.db
    .selectFrom('iam_access_keys as k')
    .leftJoin('iam_users as u', 'u.user_id', 'k.user_id')
    .select([
      'k.access_key_id',
      'k.owner_kind',
      'k.last_used_at',
      'k.last_used_service',
      'k.last_used_region',
      'u.name',
      'u.path',
    ])
    .where('k.account_id', '=', accountOf(ctx))
    .where('k.access_key_id', '=', accessKeyId)
    .executeTakeFirst();
}

const getAccessKeyLastUsed: Operation<{ AccessKeyId?: string }> = {
  authorize: async (ctx, input) => {
    const k = await keyWithOwner(ctx, keyId(input.AccessKeyId));
    if (!k) return [check('iam:GetAccessKeyLastUsed', '*')];
    if (k.owner_kind === 'root' || k.name === null)
      return [check('iam:GetAccessKeyLastUsed', rootArn(accountOf(ctx)))];
    return [await selfCheck(ctx, 'iam:GetAccessKeyLastUsed', { kind: 'user', name: k.name })];
  },
  handle: async (ctx, input) => {
    const id = keyId(input.AccessKeyId);
    const k = await keyWithOwner(ctx, id);
    if (!k) throw noSuchAccessKey(id);
    return {
      ...(k.name !== null ? { UserName: k.name } : {}),
      AccessKeyLastUsed: {
        ...(k.last_used_at !== null ? { LastUsedDate: new Date(k.last_used_at) } : {}),
        ServiceName: k.last_used_service ?? 'N/A',
        Region: k.last_used_region ?? 'N/A',
      },
    };
  },
};

export const accessKeyOperations: OperationTable = {
  CreateAccessKey: createAccessKey,
  ListAccessKeys: listAccessKeys,
  UpdateAccessKey: updateAccessKey,
  DeleteAccessKey: deleteAccessKey,
  GetAccessKeyLastUsed: getAccessKeyLastUsed,
};
