// Lookups of IAM entities by name (case-insensitive, as IAM resolves names) and the output shapes
// of the botocore model (User, Group, Role, Policy) built from rows.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import type {
  IamGroupRow,
  IamManagedPolicyRow,
  IamRoleRow,
  IamUserRow,
  TaggedResourceKind,
} from '../store/schema/iam.js';
import { groupArn, roleArn, userArn } from './arns.js';
import type { AwsError } from '../errors/aws-error.js';
import { invalidInput, noSuchEntity, unmodifiableRole } from './errors.js';
import { encodePolicyDocument } from './documents.js';
import type { Tag } from './input.js';

export type Db = Kysely<Database> | Transaction<Database>;

export async function findUser(db: Db, accountId: string, name: string): Promise<IamUserRow | undefined> {
  return db
    .selectFrom('iam_users')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name_lower', '=', name.toLowerCase())
    .executeTakeFirst();
}

export async function requireUser(db: Db, accountId: string, name: string): Promise<IamUserRow> {
  const u = await findUser(db, accountId, name);
  if (!u) throw noSuchEntity('user', name);
  return u;
}

export async function findGroup(db: Db, accountId: string, name: string): Promise<IamGroupRow | undefined> {
  return db
    .selectFrom('iam_groups')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name_lower', '=', name.toLowerCase())
    .executeTakeFirst();
}

export async function requireGroup(db: Db, accountId: string, name: string): Promise<IamGroupRow> {
  const g = await findGroup(db, accountId, name);
  if (!g) throw noSuchEntity('group', name);
  return g;
}

export async function findRole(db: Db, accountId: string, name: string): Promise<IamRoleRow | undefined> {
  return db
    .selectFrom('iam_roles')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name_lower', '=', name.toLowerCase())
    .executeTakeFirst();
}

export async function requireRole(db: Db, accountId: string, name: string): Promise<IamRoleRow> {
  const r = await findRole(db, accountId, name);
  if (!r) throw noSuchEntity('role', name);
  return r;
}

/** IAM's reserved role paths: service-linked roles and the roles AWS SSO provisions. */
export const RESERVED_ROLE_PATHS = ['/aws-service-role/', '/aws-reserved/'] as const;

export const isProtectedRolePath = (path: string): boolean =>
  RESERVED_ROLE_PATHS.some((p) => path.startsWith(p));

/**
 * CreateRole under a reserved path. AWS's text for /aws-service-role/ is recorded; the one for
 * /aws-reserved/ is [INF], worded alike.
 */
export function reservedRolePathError(path: string): AwsError | undefined {
  if (path.startsWith('/aws-service-role/'))
    return invalidInput("Path prefix '/aws-service-role/' can only be used for AWS Service linked Roles");
  if (path.startsWith('/aws-reserved/'))
    return invalidInput("Path prefix '/aws-reserved/' can only be used for AWS reserved roles");
  return undefined;
}

/** A role the caller may change: it exists and is not under a reserved path (UnmodifiableEntity). */
export async function requireModifiableRole(db: Db, accountId: string, name: string): Promise<IamRoleRow> {
  const r = await requireRole(db, accountId, name);
  if (isProtectedRolePath(r.path)) throw unmodifiableRole(r.name);
  return r;
}

/** Customer managed policies only: ARNs of other accounts (and `aws` managed ones) are not found. */
export async function findPolicy(
  db: Db,
  accountId: string,
  arn: string,
): Promise<IamManagedPolicyRow | undefined> {
  return db
    .selectFrom('iam_managed_policies')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('arn', '=', arn)
    .executeTakeFirst();
}

export async function tagsOf(db: Db, kind: TaggedResourceKind, resourceId: string): Promise<Tag[]> {
  const rows = await db
    .selectFrom('iam_tags')
    .select(['key', 'value'])
    .where('resource_kind', '=', kind)
    .where('resource_id', '=', resourceId)
    .orderBy('key_lower')
    .execute();
  return rows.map((r) => ({ Key: r.key, Value: r.value }));
}

const boundaryOut = (arn: string | null) =>
  arn === null
    ? undefined
    : { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn };

/** The model's `User`; Tags only where AWS returns them (GetUser, CreateUser with tags). */
export function userOut(u: IamUserRow, tags?: Tag[]) {
  return {
    Path: u.path,
    UserName: u.name,
    UserId: u.user_id,
    Arn: userArn(u.account_id, u.path, u.name),
    CreateDate: new Date(u.created_at),
    ...(u.permissions_boundary_arn !== null
      ? { PermissionsBoundary: boundaryOut(u.permissions_boundary_arn) }
      : {}),
    ...(tags && tags.length > 0 ? { Tags: tags } : {}),
  };
}

export function groupOut(g: IamGroupRow) {
  return {
    Path: g.path,
    GroupName: g.name,
    GroupId: g.group_id,
    Arn: groupArn(g.account_id, g.path, g.name),
    CreateDate: new Date(g.created_at),
  };
}

/** The model's `Role`; the trust policy URL-encoded as IAM returns it. */
export function roleOut(r: IamRoleRow, tags?: Tag[], detail = true) {
  return {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.role_id,
    Arn: roleArn(r.account_id, r.path, r.name),
    CreateDate: new Date(r.created_at),
    AssumeRolePolicyDocument: encodePolicyDocument(r.assume_role_policy),
    ...(r.description !== null ? { Description: r.description } : {}),
    MaxSessionDuration: r.max_session_duration,
    ...(r.permissions_boundary_arn !== null
      ? { PermissionsBoundary: boundaryOut(r.permissions_boundary_arn) }
      : {}),
    ...(tags && tags.length > 0 ? { Tags: tags } : {}),
    ...(detail
      ? {
          RoleLastUsed:
            r.last_used_at !== null
              ? {
                  LastUsedDate: new Date(r.last_used_at),
                  ...(r.last_used_region ? { Region: r.last_used_region } : {}),
                }
              : {},
        }
      : {}),
  };
}

export interface PolicyUsage {
  attachmentCount: number;
  boundaryCount: number;
}

export function policyOut(p: IamManagedPolicyRow, usage: PolicyUsage, tags?: Tag[]) {
  return {
    PolicyName: p.name,
    PolicyId: p.policy_id,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.default_version_id,
    AttachmentCount: usage.attachmentCount,
    PermissionsBoundaryUsageCount: usage.boundaryCount,
    IsAttachable: true,
    ...(p.description !== null ? { Description: p.description } : {}),
    CreateDate: new Date(p.created_at),
    UpdateDate: new Date(p.updated_at),
    ...(tags && tags.length > 0 ? { Tags: tags } : {}),
  };
}

/** Unique-constraint violation on either engine (a concurrent create won the race). */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
