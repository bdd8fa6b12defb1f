// Who a change reaches: an entity's members (a user, a group's members, a role's sessions), a
// managed policy's entities and boundaries, and the users that keep a detached policy through
// another path. The replay reads only these principals' recorded calls.
import type { DecidingCaller } from '../authz/index.js';
import { groupArn, roleArn, userArn } from '../iam/arns.js';
import { requireGroup, requireRole, requireUser, type Db } from '../iam/entities.js';
import { noSuchPolicy } from '../iam/errors.js';

/** The recorded calls a change can affect: its principals' (identity side) or its resource's. */
export type ChangeScope = { principals: string[]; rolePrefixes: string[] } | { resource: string };

export const sessionPrefix = (accountId: string, roleName: string) =>
  `arn:aws:sts::${accountId}:assumed-role/${roleName}/`;

/** Who an entity change touches: a user, a group's members, a role's sessions. */
export interface Members {
  scope: ChangeScope;
  has(caller: DecidingCaller): boolean;
  arn: string;
  /** The entity's id (AIDA…, AGPA…, AROA…). */
  id: string;
}

export async function members(
  db: Db,
  accountId: string,
  entity: 'user' | 'group' | 'role',
  name: string,
): Promise<Members> {
  if (entity === 'user') {
    const u = await requireUser(db, accountId, name);
    const arn = userArn(accountId, u.path, u.name);
    return {
      arn,
      id: u.user_id,
      scope: { principals: [arn], rolePrefixes: [] },
      has: (c) => c.principal.arn === arn,
    };
  }
  if (entity === 'role') {
    const r = await requireRole(db, accountId, name);
    const arn = roleArn(accountId, r.path, r.name);
    return {
      arn,
      id: r.role_id,
      scope: { principals: [], rolePrefixes: [sessionPrefix(accountId, r.name)] },
      has: (c) => c.principal.roleArn === arn,
    };
  }
  const g = await requireGroup(db, accountId, name);
  const users = await db
    .selectFrom('iam_group_members as m')
    .innerJoin('iam_users as u', 'u.user_id', 'm.user_id')
    .select(['u.path', 'u.name'])
    .where('m.group_id', '=', g.group_id)
    .execute();
  const arns = users.map((u) => userArn(accountId, u.path, u.name));
  const set = new Set(arns);
  return {
    arn: groupArn(accountId, g.path, g.name),
    id: g.group_id,
    scope: { principals: arns, rolePrefixes: [] },
    has: (c) => set.has(c.principal.arn),
  };
}

/** The principals a managed policy reaches: attached entities (groups' members, roles' sessions) and boundaries. */
export async function managedScope(
  db: Db,
  accountId: string,
  policyArn: string,
  policyId: string,
): Promise<ChangeScope> {
  const principals = new Set<string>();
  const rolePrefixes = new Set<string>();
  const attached = await db
    .selectFrom('iam_policy_attachments')
    .select(['entity_kind', 'entity_id'])
    .where('policy_id', '=', policyId)
    .execute();
  const ids = (k: string) => attached.filter((a) => a.entity_kind === k).map((a) => a.entity_id);
  const users = await db
    .selectFrom('iam_users')
    .select(['path', 'name'])
    .where('account_id', '=', accountId)
    .where((eb) =>
      eb.or([
        eb('permissions_boundary_arn', '=', policyArn),
        ...(ids('user').length ? [eb('user_id', 'in', ids('user'))] : []),
        ...(ids('group').length
          ? [
              eb(
                'user_id',
                'in',
                eb.selectFrom('iam_group_members').select('user_id').where('group_id', 'in', ids('group')),
              ),
            ]
          : []),
      ]),
    )
    .execute();
  for (const u of users) principals.add(userArn(accountId, u.path, u.name));
  const roles = await db
    .selectFrom('iam_roles')
    .select('name')
    .where('account_id', '=', accountId)
    .where((eb) =>
      eb.or([
        eb('permissions_boundary_arn', '=', policyArn),
        ...(ids('role').length ? [eb('role_id', 'in', ids('role'))] : []),
      ]),
    )
    .execute();
  for (const r of roles) rolePrefixes.add(sessionPrefix(accountId, r.name));
  return { principals: [...principals], rolePrefixes: [...rolePrefixes] };
}

/**
 * Detaching from an entity it is not attached to is IAM's NoSuchEntity. The users that keep the
 * policy anyway, through another path (attached to themselves, or to another of their groups).
 */
export async function stillAttached(
  db: Db,
  accountId: string,
  policyId: string,
  arn: string,
  from: Members,
): Promise<Set<string>> {
  const attached = await db
    .selectFrom('iam_policy_attachments')
    .select(['entity_kind', 'entity_id'])
    .where('policy_id', '=', policyId)
    .execute();
  if (!attached.some((a) => a.entity_id === from.id)) throw noSuchPolicy(arn);
  const others = attached
    .filter((a) => a.entity_id !== from.id && a.entity_kind !== 'role')
    .map((a) => a.entity_id);
  if (others.length === 0) return new Set();
  const rows = await db
    .selectFrom('iam_users as u')
    .leftJoin('iam_group_members as m', 'm.user_id', 'u.user_id')
    .select(['u.path', 'u.name'])
    .where('u.account_id', '=', accountId)
    .where((eb) => eb.or([eb('u.user_id', 'in', others), eb('m.group_id', 'in', others)]))
    .execute();
  return new Set(rows.map((r) => userArn(accountId, r.path, r.name)));
}
