// SimulatePrincipalPolicy's PolicySourceArn -> the entity's policies: a user's own and its groups'
// (through iam/principals.ts, exactly what its requests would carry), a group's, or a role's, each
// with its permissions boundary.
import { roleArn, userArn } from '../iam/arns.js';
import type { Db } from '../iam/entities.js';
import { attachedPolicies, defaultDocument, userCaller } from '../iam/principals.js';
import { storedPolicy } from '../iam/stored-policies.js';
import type { CallerPrincipal, NamedPolicy } from '../policy/request.js';
import { invalidInput, noSuchEntity } from './errors.js';

export interface EntityPolicies {
  kind: 'user' | 'group' | 'role';
  accountId: string;
  /** The simulated caller (a group has none of its own: CallerArn stands in). */
  principal: CallerPrincipal | undefined;
  identityPolicies: NamedPolicy[];
  permissionsBoundary?: NamedPolicy;
}

const SOURCE_ARN = /^arn:aws:iam::(\d{12}):(user|group|role)(\/(?:[^/]+\/)*)([^/]+)$/;

export async function entityPolicies(db: Db, accountId: string, sourceArn: string): Promise<EntityPolicies> {
  const m = SOURCE_ARN.exec(sourceArn);
  // [INF] AWS's wording for an ARN that is not a user, group or role is not recorded.
  if (!m) throw invalidInput(`Invalid ARN ${sourceArn}: PolicySourceArn must name a user, group or role.`);
  const [, account, kind, path, name] = m as unknown as [
    string,
    string,
    'user' | 'group' | 'role',
    string,
    string,
  ];
  if (account !== accountId) throw noSuchEntity(kind, name);
  const table = kind === 'user' ? 'iam_users' : kind === 'group' ? 'iam_groups' : 'iam_roles';
  const row = await db
    .selectFrom(table)
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name_lower', '=', name.toLowerCase())
    .executeTakeFirst();
  if (!row || row.path !== path) throw noSuchEntity(kind, name);

  if (kind === 'user') {
    const caller = await userCaller(db, row as Parameters<typeof userCaller>[1], 'simulation', false);
    const out: EntityPolicies = {
      kind,
      accountId,
      principal: caller.principal,
      identityPolicies: caller.identityPolicies,
    };
    if (caller.permissionsBoundary) out.permissionsBoundary = caller.permissionsBoundary;
    return out;
  }
  const id = 'role_id' in row ? row.role_id : (row as { group_id: string }).group_id;
  const policies = await ownPolicies(db, id, kind, row.name);
  if (kind === 'group') return { kind, accountId, principal: undefined, identityPolicies: policies };
  const role = row as { name: string; path: string; permissions_boundary_arn: string | null };
  const out: EntityPolicies = {
    kind,
    accountId,
    principal: {
      kind: 'AssumedRole',
      arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/simulation`,
      accountId,
      roleArn: roleArn(accountId, role.path, role.name),
    },
    identityPolicies: policies,
  };
  if (role.permissions_boundary_arn !== null) {
    const doc = await defaultDocument(db, accountId, role.permissions_boundary_arn);
    out.permissionsBoundary = storedPolicy(role.permissions_boundary_arn, 'boundary', doc ?? '{');
  }
  return out;
}

/** Inline policies, then attached managed ones (default versions), as principals.ts orders them. */
async function ownPolicies(
  db: Db,
  entityId: string,
  kind: 'group' | 'role',
  name: string,
): Promise<NamedPolicy[]> {
  const inline = await db
    .selectFrom('iam_inline_policies')
    .select(['name', 'document'])
    .where('owner_id', '=', entityId)
    .orderBy('name')
    .execute();
  return [
    ...inline.map((p) => storedPolicy(`inline:${kind}/${name}/${p.name}`, kind, p.document)),
    ...(await attachedPolicies(db, [entityId])),
  ];
}

/** CallerArn: an IAM user ARN (the model's rule for both simulate operations). */
export function callerPrincipal(callerArn: string): CallerPrincipal {
  const m = /^arn:aws:iam::(\d{12}):user(\/(?:[^/]+\/)*)([^/]+)$/.exec(callerArn);
  // [INF] AWS's wording is not recorded.
  if (!m) throw invalidInput(`CallerArn ${callerArn} must be the ARN of an IAM user.`);
  return { kind: 'User', arn: userArn(m[1]!, m[2]!, m[3]!), accountId: m[1]! };
}
