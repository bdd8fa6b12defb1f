// CreateRole, GetRole, ListRoles, UpdateRole, UpdateAssumeRolePolicy, DeleteRole. The trust policy
// is validated as 'trust' and returned URL-encoded.
import type { Operation, OperationTable } from '../../api/operation.js';
import { roleArn } from '../arns.js';
import { requireValidPolicy } from '../documents.js';
import {
  findRole,
  isUniqueViolation,
  requireModifiableRole,
  requireRole,
  reservedRolePathError,
  roleOut,
  tagsOf,
} from '../entities.js';
import { requireAttachablePolicy } from '../policy-lookup.js';
import { entityAlreadyExists } from '../errors.js';
import { newUniqueId } from '../ids.js';
import * as v from '../input.js';
import type { Tag } from '../input.js';
import { byName, page } from '../paging.js';
import { requireExistingPrincipals } from '../trust-principals.js';
import { accountOf, check, mutating, requestTagContext, roleCheck } from './common.js';
import { writeTags } from './tags.js';
import { refuseIfAny } from './users.js';

const roleName = (n: string | undefined) => v.entityName(n, 'roleName');
const sessionDuration = (n: number) => v.intInRange(n, 'maxSessionDuration', 3600, 43200);

interface CreateRoleInput {
  RoleName?: string;
  Path?: string;
  AssumeRolePolicyDocument?: string;
  Description?: string;
  MaxSessionDuration?: number;
  PermissionsBoundary?: string;
  Tags?: Tag[];
}

const createRole: Operation<CreateRoleInput> = mutating({
  authorize: (ctx, input) => [
    check('iam:CreateRole', roleArn(accountOf(ctx), v.entityPath(input.Path), roleName(input.RoleName)), {
      ...requestTagContext(input.Tags),
      ...(input.PermissionsBoundary ? { 'iam:PermissionsBoundary': input.PermissionsBoundary } : {}),
    }),
  ],
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    const name = roleName(input.RoleName);
    const path = v.entityPath(input.Path);
    const reserved = reservedRolePathError(path);
    if (reserved) throw reserved;
    const trust = v.policyDocument(input.AssumeRolePolicyDocument, 'assumeRolePolicyDocument');
    const description = v.description(input.Description) ?? null;
    const maxSession =
      input.MaxSessionDuration === undefined ? 3600 : sessionDuration(input.MaxSessionDuration);
    const tags = v.tags(input.Tags);
    const boundary =
      input.PermissionsBoundary === undefined
        ? null
        : v.arnValue(input.PermissionsBoundary, 'permissionsBoundary');
    const trustPolicy = requireValidPolicy(trust, 'trust');
    // A role cannot trust itself at creation: it does not exist yet (AWS refuses the same way).
    await requireExistingPrincipals(ctx.store, trustPolicy);
    const row = {
      role_id: newUniqueId('AROA'),
      account_id: a,
      name,
      name_lower: name.toLowerCase(),
      path,
      created_at: ctx.now.getTime(),
      assume_role_policy: trust,
      description,
      max_session_duration: maxSession,
      permissions_boundary_arn: boundary,
      last_used_at: null,
      last_used_region: null,
    };
    try {
      await ctx.store.db.transaction().execute(async (trx) => {
        if (await findRole(trx, a, name)) throw entityAlreadyExists('role', name);
        if (boundary !== null) await requireAttachablePolicy(trx, a, boundary);
        await trx.insertInto('iam_roles').values(row).execute();
        await writeTags(trx, a, 'role', row.role_id, tags);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw entityAlreadyExists('role', name);
      throw e;
    }
    return { Role: roleOut(row, tags, false) };
  },
});

const getRole: Operation<{ RoleName?: string }> = {
  authorize: async (ctx, input) => [
    await roleCheck(ctx, 'iam:GetRole', roleName(input.RoleName), { withBoundary: true }),
  ],
  handle: async (ctx, input) => {
    const r = await requireRole(ctx.store.db, accountOf(ctx), roleName(input.RoleName));
    return { Role: roleOut(r, await tagsOf(ctx.store.db, 'role', r.role_id)) };
  },
};

const listRoles: Operation<{ PathPrefix?: string; Marker?: string; MaxItems?: number }> = {
  // AWS names the listed path as the resource: `arn:aws:iam::A:role/` for the default prefix '/'.
  authorize: (ctx, input) => [
    check('iam:ListRoles', roleArn(accountOf(ctx), v.pathPrefix(input.PathPrefix), '')),
  ],
  handle: async (ctx, input) => {
    const prefix = v.pathPrefix(input.PathPrefix);
    const rows = await ctx.store.db
      .selectFrom('iam_roles')
      .selectAll()
      .where('account_id', '=', accountOf(ctx))
      .execute();
    const p = page(
      rows.filter((r) => r.path.startsWith(prefix)).sort(byName),
      input.Marker,
      v.maxItems(input.MaxItems),
    );
    // ListRoles leaves out boundary, tags and last use, as AWS's does.
    return {
      Roles: p.items.map((r) => roleOut({ ...r, permissions_boundary_arn: null }, undefined, false)),
      IsTruncated: p.IsTruncated,
      ...(p.Marker ? { Marker: p.Marker } : {}),
    };
  },
};

const updateRole: Operation<{ RoleName?: string; Description?: string; MaxSessionDuration?: number }> =
  mutating({
    authorize: async (ctx, input) => [
      await roleCheck(ctx, 'iam:UpdateRole', roleName(input.RoleName), { withBoundary: true }),
    ],
    handle: async (ctx, input) => {
      const description = v.description(input.Description);
      const maxSession =
        input.MaxSessionDuration === undefined ? undefined : sessionDuration(input.MaxSessionDuration);
      const r = await requireModifiableRole(ctx.store.db, accountOf(ctx), roleName(input.RoleName));
      if (description === undefined && maxSession === undefined) return {};
      await ctx.store.db
        .updateTable('iam_roles')
        .set({
          ...(description !== undefined ? { description } : {}),
          ...(maxSession !== undefined ? { max_session_duration: maxSession } : {}),
        })
        .where('role_id', '=', r.role_id)
        .execute();
      return {};
    },
  });

const updateAssumeRolePolicy: Operation<{ RoleName?: string; PolicyDocument?: string }> = mutating({
  authorize: async (ctx, input) => [
    await roleCheck(ctx, 'iam:UpdateAssumeRolePolicy', roleName(input.RoleName), { withBoundary: true }),
  ],
  handle: async (ctx, input) => {
    const r = await requireModifiableRole(ctx.store.db, accountOf(ctx), roleName(input.RoleName));
    const doc = v.policyDocument(input.PolicyDocument);
    await requireExistingPrincipals(ctx.store, requireValidPolicy(doc, 'trust'));
    await ctx.store.db
      .updateTable('iam_roles')
      .set({ assume_role_policy: doc })
      .where('role_id', '=', r.role_id)
      .execute();
    return {};
  },
});

const deleteRole: Operation<{ RoleName?: string }> = mutating({
  authorize: async (ctx, input) => [
    await roleCheck(ctx, 'iam:DeleteRole', roleName(input.RoleName), { withBoundary: true }),
  ],
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    await ctx.store.db.transaction().execute(async (trx) => {
      const r = await requireModifiableRole(trx, a, roleName(input.RoleName));
      await refuseIfAny(
        trx,
        'iam_inline_policies',
        'owner_id',
        r.role_id,
        'Cannot delete entity, must delete policies first.',
      );
      await refuseIfAny(
        trx,
        'iam_policy_attachments',
        'entity_id',
        r.role_id,
        'Cannot delete entity, must detach all policies first.',
      );
      await trx.deleteFrom('iam_tags').where('resource_id', '=', r.role_id).execute();
      // Sessions of a deleted role stop working at once (AWS: they fail on the next call).
      await trx.deleteFrom('iam_sessions').where('role_id', '=', r.role_id).execute();
      await trx.deleteFrom('iam_roles').where('role_id', '=', r.role_id).execute();
    });
    return {};
  },
});

export const roleOperations: OperationTable = {
  CreateRole: createRole,
  GetRole: getRole,
  ListRoles: listRoles,
  UpdateRole: updateRole,
  UpdateAssumeRolePolicy: updateAssumeRolePolicy,
  DeleteRole: deleteRole,
};
