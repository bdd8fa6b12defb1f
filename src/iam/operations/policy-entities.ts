// ListEntitiesForPolicy: the users, groups and roles a managed policy (customer or AWS managed) is attached to
// (PermissionsPolicy) or bounds (PermissionsBoundary), as the console's "Entities attached" tab
// shows them. One Marker/MaxItems page spans the three lists: groups, then users, then roles.
import type { Operation, OperationTable } from '../../api/operation.js';
import type { Db } from '../entities.js';
import * as v from '../input.js';
import { byName, page } from '../paging.js';
import { accountOf, policyCheck } from './common.js';
import { findAttachablePolicy } from '../policy-lookup.js';
import { noSuchPolicy } from '../errors.js';
import { policyArnInput } from './managed-policies.js';

const ENTITY_FILTERS = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;
const USAGE_FILTERS = ['PermissionsPolicy', 'PermissionsBoundary'] as const;

type Kind = 'group' | 'user' | 'role';
const KIND_ORDER: Record<Kind, number> = { group: 0, user: 1, role: 2 };

interface Entity {
  kind: Kind;
  id: string;
  name: string;
  path: string;
}

export interface ListEntitiesForPolicyInput {
  PolicyArn?: string;
  EntityFilter?: string;
  PathPrefix?: string;
  PolicyUsageFilter?: string;
  Marker?: string;
  MaxItems?: number;
}

/** Entities with the policy attached as a permissions policy. */
async function attachedTo(db: Db, accountId: string, policyId: string): Promise<Entity[]> {
  const rows = await db
    .selectFrom('iam_policy_attachments')
    .select(['entity_kind', 'entity_id'])
    .where('account_id', '=', accountId)
    .where('policy_id', '=', policyId)
    .execute();
  const ids = (kind: Kind) => rows.filter((r) => r.entity_kind === kind).map((r) => r.entity_id);
  const out: Entity[] = [];
  const [userIds, groupIds, roleIds] = [ids('user'), ids('group'), ids('role')];
  if (userIds.length > 0)
    for (const u of await db
      .selectFrom('iam_users')
      .select(['user_id', 'name', 'path'])
      .where('account_id', '=', accountId)
      .where('user_id', 'in', userIds)
      .execute())
      out.push({ kind: 'user', id: u.user_id, name: u.name, path: u.path });
  if (groupIds.length > 0)
    for (const g of await db
      .selectFrom('iam_groups')
      .select(['group_id', 'name', 'path'])
      .where('account_id', '=', accountId)
      .where('group_id', 'in', groupIds)
      .execute())
      out.push({ kind: 'group', id: g.group_id, name: g.name, path: g.path });
  if (roleIds.length > 0)
    for (const r of await db
      .selectFrom('iam_roles')
      .select(['role_id', 'name', 'path'])
      .where('account_id', '=', accountId)
      .where('role_id', 'in', roleIds)
      .execute())
      out.push({ kind: 'role', id: r.role_id, name: r.name, path: r.path });
  return out;
}

/** Users and roles whose permissions boundary is the policy (groups have no boundary). */
async function boundedBy(db: Db, accountId: string, arn: string): Promise<Entity[]> {
  const users = await db
    .selectFrom('iam_users')
    .select(['user_id', 'name', 'path'])
    .where('account_id', '=', accountId)
    .where('permissions_boundary_arn', '=', arn)
    .execute();
  const roles = await db
    .selectFrom('iam_roles')
    .select(['role_id', 'name', 'path'])
    .where('account_id', '=', accountId)
    .where('permissions_boundary_arn', '=', arn)
    .execute();
  return [
    ...users.map((u): Entity => ({ kind: 'user', id: u.user_id, name: u.name, path: u.path })),
    ...roles.map((r): Entity => ({ kind: 'role', id: r.role_id, name: r.name, path: r.path })),
  ];
}

const ENTITY_KIND: Partial<Record<(typeof ENTITY_FILTERS)[number], Kind>> = {
  User: 'user',
  Group: 'group',
  Role: 'role',
};

export const listEntitiesForPolicy: Operation<ListEntitiesForPolicyInput> = {
  authorize: (_ctx, input) => [policyCheck('iam:ListEntitiesForPolicy', input.PolicyArn)],
  handle: async (ctx, input) => {
    const arn = policyArnInput(input.PolicyArn);
    const entityFilter = v.enumValue(input.EntityFilter, 'entityFilter', ENTITY_FILTERS);
    const prefix = v.entityPath(input.PathPrefix, 'pathPrefix');
    const usage = v.enumValue(input.PolicyUsageFilter, 'policyUsageFilter', USAGE_FILTERS);
    const max = v.maxItems(input.MaxItems);
    const a = accountOf(ctx);
    const db = ctx.store.db;
    const p = await findAttachablePolicy(db, a, arn);
    if (!p) throw noSuchPolicy(arn);

    let entities: Entity[] = [];
    // LocalManagedPolicy / AWSManagedPolicy name kinds of policy, not of entity: nothing is listed.
    const wantedKind = entityFilter === undefined ? undefined : ENTITY_KIND[entityFilter];
    if (entityFilter === undefined || wantedKind !== undefined) {
      if (usage !== 'PermissionsBoundary') entities.push(...(await attachedTo(db, a, p.policyId)));
      if (usage !== 'PermissionsPolicy') entities.push(...(await boundedBy(db, a, arn)));
    }
    const seen = new Set<string>();
    entities = entities.filter((e) => {
      if (seen.has(e.id)) return false; // attached and bounded by the same policy: listed once
      seen.add(e.id);
      return (wantedKind === undefined || e.kind === wantedKind) && e.path.startsWith(prefix);
    });
    entities.sort((x, y) => KIND_ORDER[x.kind] - KIND_ORDER[y.kind] || byName(x, y));

    const pg = page(entities, input.Marker, max);
    const of = (kind: Kind) => pg.items.filter((e) => e.kind === kind);
    return {
      PolicyGroups: of('group').map((e) => ({ GroupName: e.name, GroupId: e.id })),
      PolicyUsers: of('user').map((e) => ({ UserName: e.name, UserId: e.id })),
      PolicyRoles: of('role').map((e) => ({ RoleName: e.name, RoleId: e.id })),
      IsTruncated: pg.IsTruncated,
      ...(pg.Marker ? { Marker: pg.Marker } : {}),
    };
  },
};

export const policyEntityOperations: OperationTable = {
  ListEntitiesForPolicy: listEntitiesForPolicy,
};
