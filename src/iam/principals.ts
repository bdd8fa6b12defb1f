// Access key -> the full Caller (api/operation.ts): root, IAM user (own + groups' policies), or STS
// session (role policies, boundary, session policies and tags). docs/spec/iam.md §4.4, §5.3.
import type { Caller } from '../api/operation.js';
import type { NamedPolicy } from '../policy/request.js';
import type { Store } from '../store/database.js';
import type { SecretBox } from '../store/secret-box.js';
import type { IamRoleRow, IamSessionRow, IamUserRow } from '../store/schema/iam.js';
import { assumedRoleArn, roleArn, rootArn, userArn } from './arns.js';
import { awsManagedPolicy, awsManagedPolicyById, isAwsManagedArn } from './aws-managed/catalog.js';
import type { Db } from './entities.js';
import { storedPolicy } from './stored-policies.js';
import { GET_SESSION_TOKEN_SESSION, OPERATOR_SESSION_NAME } from './session-token-guard.js';

export type KeyStatus = 'Active' | 'Inactive' | 'Expired';

export interface StoredKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** Inactive keys and expired sessions resolve too, so the caller can answer AWS's error. */
  status: KeyStatus;
  /** STS credentials: the sha256 of the session token (sessionTokenMatches in secrets.ts). */
  sessionTokenHash?: string;
  expiresAt?: Date;
}

export interface ResolvedKey {
  key: StoredKey;
  caller: Caller;
}

/** Undefined when no such key exists (or its user/role was deleted). */
export async function resolveAccessKey(
  store: Store,
  box: SecretBox,
  accessKeyId: string,
  now: Date,
): Promise<ResolvedKey | undefined> {
  const db = store.db;
  const session = accessKeyId.startsWith('ASIA')
    ? await db
        .selectFrom('iam_sessions')
        .selectAll()
        .where('access_key_id', '=', accessKeyId)
        .executeTakeFirst()
    : undefined;
  if (session) return resolveSession(db, box, session, now);

  const k = await db
    .selectFrom('iam_access_keys')
    .selectAll()
    .where('access_key_id', '=', accessKeyId)
    .executeTakeFirst();
  if (!k) return undefined;
  const key: StoredKey = { accessKeyId, secretAccessKey: box.open(k.secret_sealed), status: k.status };
  if (k.owner_kind === 'root') return { key, caller: rootCaller(k.account_id, accessKeyId) };
  if (k.user_id === null) return undefined;
  const user = await db
    .selectFrom('iam_users')
    .selectAll()
    .where('user_id', '=', k.user_id)
    .executeTakeFirst();
  if (!user) return undefined;
  return { key, caller: await userCaller(db, user, accessKeyId, false) };
}

export function rootCaller(accountId: string, accessKeyId: string): Caller {
  return {
    accessKeyId,
    accountId,
    principal: { kind: 'Account', arn: rootArn(accountId), accountId },
    identityPolicies: [],
    principalTags: {},
    userId: accountId,
    temporary: false,
  };
}

async function resolveSession(
  db: Db,
  box: SecretBox,
  s: IamSessionRow,
  now: Date,
): Promise<ResolvedKey | undefined> {
  const key: StoredKey = {
    accessKeyId: s.access_key_id,
    secretAccessKey: box.open(s.secret_sealed),
    status: s.expires_at <= now.getTime() ? 'Expired' : 'Active',
    sessionTokenHash: s.session_token_hash,
    expiresAt: new Date(s.expires_at),
  };
  if (s.kind === 'user') {
    const marks =
      s.session_name === GET_SESSION_TOKEN_SESSION
        ? { fromGetSessionToken: true }
        : s.session_name === OPERATOR_SESSION_NAME
          ? { operator: true }
          : {};
    // GetSessionToken by the root user: a session with no user id acts as the account's root.
    if (s.user_id === null)
      return { key, caller: { ...rootCaller(s.account_id, s.access_key_id), temporary: true, ...marks } };
    const user = await db
      .selectFrom('iam_users')
      .selectAll()
      .where('user_id', '=', s.user_id)
      .executeTakeFirst();
    if (!user) return undefined;
    return { key, caller: { ...(await userCaller(db, user, s.access_key_id, true)), ...marks } };
  }
  if (s.role_id === null) return undefined;
  const role = await db
    .selectFrom('iam_roles')
    .selectAll()
    .where('role_id', '=', s.role_id)
    .executeTakeFirst();
  if (!role) return undefined;
  return { key, caller: await roleSessionCaller(db, role, s) };
}

export async function userCaller(
  db: Db,
  user: IamUserRow,
  accessKeyId: string,
  temporary: boolean,
): Promise<Caller> {
  const policies: NamedPolicy[] = [];
  const inline = await db
    .selectFrom('iam_inline_policies')
    .select(['name', 'document'])
    .where('owner_id', '=', user.user_id)
    .orderBy('name')
    .execute();
  for (const p of inline)
    policies.push(storedPolicy(`inline:user/${user.name}/${p.name}`, 'user', p.document));
  policies.push(...(await attachedPolicies(db, [user.user_id])));

  const groups = await db
    .selectFrom('iam_group_members')
    .innerJoin('iam_groups', 'iam_groups.group_id', 'iam_group_members.group_id')
    .select(['iam_groups.group_id', 'iam_groups.name'])
    .where('iam_group_members.user_id', '=', user.user_id)
    .orderBy('iam_groups.name_lower')
    .execute();
  if (groups.length > 0) {
    const names = new Map(groups.map((g) => [g.group_id, g.name]));
    const groupInline = await db
      .selectFrom('iam_inline_policies')
      .select(['owner_id', 'name', 'document'])
      .where('owner_id', 'in', [...names.keys()])
      .orderBy('owner_id')
      .orderBy('name')
      .execute();
    for (const p of groupInline)
      policies.push(storedPolicy(`inline:group/${names.get(p.owner_id)}/${p.name}`, 'group', p.document));
    policies.push(...(await attachedPolicies(db, [...names.keys()])));
  }

  const tags = await tagMap(db, user.user_id);
  return {
    accessKeyId,
    accountId: user.account_id,
    principal: {
      kind: 'User',
      arn: userArn(user.account_id, user.path, user.name),
      accountId: user.account_id,
    },
    identityPolicies: dedupeManaged(policies),
    ...(user.permissions_boundary_arn !== null
      ? { permissionsBoundary: await boundaryPolicy(db, user.account_id, user.permissions_boundary_arn) }
      : {}),
    principalTags: tags,
    userName: user.name,
    userId: user.user_id,
    temporary,
  };
}

export async function roleSessionCaller(db: Db, role: IamRoleRow, s: IamSessionRow): Promise<Caller> {
  const policies: NamedPolicy[] = [];
  const inline = await db
    .selectFrom('iam_inline_policies')
    .select(['name', 'document'])
    .where('owner_id', '=', role.role_id)
    .orderBy('name')
    .execute();
  for (const p of inline)
    policies.push(storedPolicy(`inline:role/${role.name}/${p.name}`, 'role', p.document));
  policies.push(...(await attachedPolicies(db, [role.role_id])));

  let sessionPolicies: NamedPolicy[] | undefined;
  if (s.session_policy !== null || s.session_policy_arns !== null) {
    sessionPolicies = [];
    if (s.session_policy !== null)
      sessionPolicies.push(storedPolicy('session:inline', 'session', s.session_policy));
    for (const arn of parseJsonArray(s.session_policy_arns).filter(
      (x): x is string => typeof x === 'string',
    )) {
      const doc = await defaultDocument(db, role.account_id, arn);
      // A managed session policy that is gone grants nothing (deny on doubt).
      sessionPolicies.push(storedPolicy(arn, 'session', doc ?? '{'));
    }
  }

  const tags = await tagMap(db, role.role_id);
  for (const t of parseJsonArray(s.session_tags) as { Key: string; Value: string }[]) tags[t.Key] = t.Value;
  const sessionName = s.session_name ?? '';
  return {
    accessKeyId: s.access_key_id,
    accountId: role.account_id,
    principal: {
      kind: 'AssumedRole',
      arn: assumedRoleArn(role.account_id, role.name, sessionName),
      accountId: role.account_id,
      roleArn: roleArn(role.account_id, role.path, role.name),
    },
    identityPolicies: dedupeManaged(policies),
    ...(role.permissions_boundary_arn !== null
      ? { permissionsBoundary: await boundaryPolicy(db, role.account_id, role.permissions_boundary_arn) }
      : {}),
    ...(sessionPolicies ? { sessionPolicies } : {}),
    principalTags: tags,
    userId: `${role.role_id}:${sessionName}`,
    temporary: true,
  };
}

/** The managed policies (default versions) attached to these users, groups or roles. */
export async function attachedPolicies(db: Db, entityIds: string[]): Promise<NamedPolicy[]> {
  const rows = await db
    .selectFrom('iam_policy_attachments as a')
    .leftJoin('iam_managed_policies as p', 'p.policy_id', 'a.policy_id')
    .leftJoin('iam_policy_versions as v', (j) =>
      j.onRef('v.policy_id', '=', 'p.policy_id').onRef('v.version_id', '=', 'p.default_version_id'),
    )
    .select(['a.policy_id', 'p.arn', 'v.document'])
    .where('a.entity_id', 'in', entityIds)
    .execute();
  const out: NamedPolicy[] = [];
  for (const r of rows) {
    if (r.arn !== null) out.push(storedPolicy(r.arn, 'user-managed', r.document ?? '{'));
    else {
      // Not a policy of the account: an AWS managed one (shared catalog), or one that is gone.
      const aws = awsManagedPolicyById(r.policy_id);
      if (aws) out.push(storedPolicy(aws.arn, 'aws-managed', aws.document()));
    }
  }
  return out.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** A managed policy attached to the user and to one of its groups counts once. */
function dedupeManaged(policies: NamedPolicy[]): NamedPolicy[] {
  const seen = new Set<string>();
  const managed = (p: NamedPolicy) => p.source === 'user-managed' || p.source === 'aws-managed';
  return policies.filter((p) => (!managed(p) ? true : seen.has(p.id) ? false : (seen.add(p.id), true)));
}

/** The default version's document of a managed policy: the account's own, or an AWS managed one. */
export async function defaultDocument(db: Db, accountId: string, arn: string): Promise<string | undefined> {
  if (isAwsManagedArn(arn)) return awsManagedPolicy(arn)?.document();
  const r = await db
    .selectFrom('iam_managed_policies as p')
    .innerJoin('iam_policy_versions as v', (j) =>
      j.onRef('v.policy_id', '=', 'p.policy_id').onRef('v.version_id', '=', 'p.default_version_id'),
    )
    .select('v.document')
    .where('p.account_id', '=', accountId)
    .where('p.arn', '=', arn)
    .executeTakeFirst();
  return r?.document;
}

/** A boundary whose policy is gone allows nothing. */
async function boundaryPolicy(db: Db, accountId: string, arn: string): Promise<NamedPolicy> {
  return storedPolicy(arn, 'boundary', (await defaultDocument(db, accountId, arn)) ?? '{');
}

async function tagMap(db: Db, resourceId: string): Promise<Record<string, string>> {
  const rows = await db
    .selectFrom('iam_tags')
    .select(['key', 'value'])
    .where('resource_id', '=', resourceId)
    .execute();
  const out: Record<string, string> = {};
  for (const r of rows) out[r.key] = r.value;
  return out;
}

function parseJsonArray(text: string | null): unknown[] {
  if (text === null) return [];
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}
