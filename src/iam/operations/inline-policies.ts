// Put/Get/Delete/List User|Group|RolePolicy: inline policies, validated as identity policies, within
// the entity's aggregate quota (2048 / 5120 / 10240), returned URL-encoded.
import type { AuthorizationCheck, CallContext, Operation, OperationTable } from '../../api/operation.js';
import type { InlineOwnerKind } from '../../store/schema/iam.js';
import { encodePolicyDocument, requireValidInlinePolicy } from '../documents.js';
import { requireGroup, requireModifiableRole, requireRole, requireUser, type Db } from '../entities.js';
import { noSuchInlinePolicy } from '../errors.js';
import * as v from '../input.js';
import { page } from '../paging.js';
import { accountOf, groupCheck, mutating, roleCheck, userCheck } from './common.js';

interface Kind {
  kind: InlineOwnerKind;
  Title: 'User' | 'Group' | 'Role';
  nameMember: 'UserName' | 'GroupName' | 'RoleName';
  wireName: string; // for ValidationError messages
  maxName: number;
  /** Put/DeleteUserPolicy and Put/DeleteRolePolicy are conditioned on the entity's boundary. */
  boundaryKey: boolean;
}

const KINDS: Kind[] = [
  {
    kind: 'user',
    Title: 'User',
    nameMember: 'UserName',
    wireName: 'userName',
    maxName: 128,
    boundaryKey: true,
  },
  {
    kind: 'group',
    Title: 'Group',
    nameMember: 'GroupName',
    wireName: 'groupName',
    maxName: 128,
    boundaryKey: false,
  },
  {
    kind: 'role',
    Title: 'Role',
    nameMember: 'RoleName',
    wireName: 'roleName',
    maxName: 64,
    boundaryKey: true,
  },
];

type Input = Record<string, string | number | undefined>;

async function owner(
  db: Db,
  k: Kind,
  accountId: string,
  name: string,
  modify = false,
): Promise<{ id: string; name: string }> {
  if (k.kind === 'user') {
    const u = await requireUser(db, accountId, name);
    return { id: u.user_id, name: u.name };
  }
  if (k.kind === 'group') {
    const g = await requireGroup(db, accountId, name);
    return { id: g.group_id, name: g.name };
  }
  const r = await (modify ? requireModifiableRole : requireRole)(db, accountId, name);
  return { id: r.role_id, name: r.name };
}

function entityCheck(
  ctx: CallContext,
  k: Kind,
  action: string,
  name: string,
  withBoundary: boolean,
): Promise<AuthorizationCheck> {
  if (k.kind === 'user') return userCheck(ctx, action, name, { withBoundary });
  if (k.kind === 'role') return roleCheck(ctx, action, name, { withBoundary });
  return groupCheck(ctx, action, name);
}

function operationsFor(k: Kind): OperationTable {
  const entityName = (input: Input) =>
    v.entityName(input[k.nameMember] as string | undefined, k.wireName, k.maxName);
  const policyName = (input: Input) =>
    v.entityName(input.PolicyName as string | undefined, 'policyName', 128);
  const authorize =
    (action: string, withBoundary = false) =>
    async (ctx: CallContext, input: Input) => [
      await entityCheck(ctx, k, `iam:${action}`, entityName(input), withBoundary && k.boundaryKey),
    ];

  const put: Operation<Input> = mutating({
    authorize: authorize(`Put${k.Title}Policy`, true),
    handle: async (ctx, input) => {
      const a = accountOf(ctx);
      const name = entityName(input);
      const pName = policyName(input);
      const doc = v.policyDocument(input.PolicyDocument as string | undefined);
      await ctx.store.db.transaction().execute(async (trx) => {
        const o = await owner(trx, k, a, name, true);
        const others = await trx
          .selectFrom('iam_inline_policies')
          .select('document')
          .where('owner_id', '=', o.id)
          .where('name', '!=', pName)
          .execute();
        requireValidInlinePolicy(
          doc,
          k.kind,
          o.name,
          others.map((r) => r.document),
        );
        await trx
          .deleteFrom('iam_inline_policies')
          .where('owner_id', '=', o.id)
          .where('name', '=', pName)
          .execute();
        await trx
          .insertInto('iam_inline_policies')
          .values({
            account_id: a,
            owner_kind: k.kind,
            owner_id: o.id,
            name: pName,
            document: doc,
            updated_at: ctx.now.getTime(),
          })
          .execute();
      });
      return {};
    },
  });

  const get: Operation<Input> = {
    authorize: authorize(`Get${k.Title}Policy`),
    handle: async (ctx, input) => {
      const db = ctx.store.db;
      const o = await owner(db, k, accountOf(ctx), entityName(input));
      const pName = policyName(input);
      const p = await db
        .selectFrom('iam_inline_policies')
        .select(['name', 'document'])
        .where('owner_id', '=', o.id)
        .where('name', '=', pName)
        .executeTakeFirst();
      if (!p) throw noSuchInlinePolicy(k.kind, pName);
      return { [k.nameMember]: o.name, PolicyName: p.name, PolicyDocument: encodePolicyDocument(p.document) };
    },
  };

  const del: Operation<Input> = mutating({
    authorize: authorize(`Delete${k.Title}Policy`, true),
    handle: async (ctx, input) => {
      const db = ctx.store.db;
      const o = await owner(db, k, accountOf(ctx), entityName(input), true);
      const pName = policyName(input);
      const r = await db
        .deleteFrom('iam_inline_policies')
        .where('owner_id', '=', o.id)
        .where('name', '=', pName)
        .executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw noSuchInlinePolicy(k.kind, pName);
      return {};
    },
  });

  const list: Operation<Input> = {
    authorize: authorize(`List${k.Title}Policies`),
    handle: async (ctx, input) => {
      const db = ctx.store.db;
      const o = await owner(db, k, accountOf(ctx), entityName(input));
      const rows = await db
        .selectFrom('iam_inline_policies')
        .select('name')
        .where('owner_id', '=', o.id)
        .orderBy('name')
        .execute();
      const p = page(
        rows.map((r) => r.name),
        input.Marker as string | undefined,
        v.maxItems(input.MaxItems as number | undefined),
      );
      return { PolicyNames: p.items, IsTruncated: p.IsTruncated, ...(p.Marker ? { Marker: p.Marker } : {}) };
    },
  };

  return {
    [`Put${k.Title}Policy`]: put,
    [`Get${k.Title}Policy`]: get,
    [`Delete${k.Title}Policy`]: del,
    [`List${k.Title}Policies`]: list,
  };
}

export const inlinePolicyOperations: OperationTable = Object.assign({}, ...KINDS.map(operationsFor));
