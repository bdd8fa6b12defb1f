// A change request resolved against the store: the entities and policies it names must exist and
// its document must be one IAM (or SES) would accept, with their errors. What it yields is the
// recorded calls it can touch (scope) and, for any caller, that caller's policy set after it.
import type { DecidingCaller } from '../authz/index.js';
import { groupArn, roleArn, userArn } from '../iam/arns.js';
import { requireValidPolicy } from '../iam/documents.js';
import {
  findPolicy,
  requireAttachablePolicy,
  requireGroup,
  requireRole,
  requireUser,
  type Db,
} from '../iam/entities.js';
import { noSuchInlinePolicy, noSuchPolicy } from '../iam/errors.js';
import { defaultDocument } from '../iam/principals.js';
import { storedPolicy } from '../iam/stored-policies.js';
import type { NamedPolicy } from '../policy/request.js';
import { identityArn } from '../ses/state/arn.js';
import { describeChange, type ChangeRequest } from './change-input.js';
import { identityPolicyChange } from './identity-change.js';
import type { Store } from '../store/database.js';

/** The recorded calls a change can affect: its principals' (identity side) or its resource's. */
export type ChangeScope = { principals: string[]; rolePrefixes: string[] } | { resource: string };

export interface PolicyChange {
  description: string;
  /** What `sesame:SimulatePolicyChange` is checked on. */
  targetArn: string;
  /** The ids of the policies the change writes: their statements are preferred as "responsible". */
  policyIds: ReadonlySet<string>;
  scope: ChangeScope;
  /** The caller after the change; the very same object when the change does not touch it. */
  apply(caller: DecidingCaller): DecidingCaller;
  /** SES identity-policy changes: the identity's ARN and its policies after the change. */
  identity?: { arn: string; policies: NamedPolicy[] };
}

const sessionPrefix = (accountId: string, roleName: string) =>
  `arn:aws:sts::${accountId}:assumed-role/${roleName}/`;

/** Replaces (or, with `next` undefined, removes) the policy with this id; adds it when absent. */
function swap(list: readonly NamedPolicy[], id: string, next: NamedPolicy | undefined): NamedPolicy[] {
  const out = list.filter((p) => p.id !== id);
  if (next) out.push(next);
  return out;
}

/** Who an entity change touches: a user, a group's members, a role's sessions. */
interface Members {
  scope: ChangeScope;
  has(caller: DecidingCaller): boolean;
  arn: string;
  /** The entity's id (AIDA…, AGPA…, AROA…). */
  id: string;
}

async function members(
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

/** A delete names an inline policy the entity has (IAM's NoSuchEntity otherwise). */
async function requireInline(db: Db, who: Members, entity: 'user' | 'group' | 'role', policyName: string) {
  const found = await db
    .selectFrom('iam_inline_policies')
    .select('name')
    .where('owner_id', '=', who.id)
    .where('name', '=', policyName)
    .executeTakeFirst();
  if (!found) throw noSuchInlinePolicy(entity, policyName);
}

/** The principals a managed policy reaches: attached entities (groups' members, roles' sessions) and boundaries. */
async function managedScope(
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

export async function resolveChange(
  store: Store,
  accountId: string,
  region: string,
  c: ChangeRequest,
): Promise<PolicyChange> {
  const db = store.db;
  const description = describeChange(c);
  switch (c.kind) {
    case 'inline': {
      const who = await members(db, accountId, c.entity, c.name);
      if (c.document === undefined) await requireInline(db, who, c.entity, c.policyName);
      else requireValidPolicy(c.document, 'identity');
      const entityName = who.arn.slice(who.arn.lastIndexOf('/') + 1);
      const id = `inline:${c.entity}/${entityName}/${c.policyName}`;
      const next = c.document === undefined ? undefined : storedPolicy(id, c.entity, c.document);
      return {
        description,
        targetArn: who.arn,
        policyIds: new Set([id]),
        scope: who.scope,
        apply: (caller) =>
          who.has(caller) ? { ...caller, identityPolicies: swap(caller.identityPolicies, id, next) } : caller,
      };
    }
    case 'managed': {
      const p = await findPolicy(db, accountId, c.policyArn);
      if (!p) throw noSuchPolicy(c.policyArn);
      requireValidPolicy(c.document, 'identity');
      const arn = c.policyArn;
      return {
        description,
        targetArn: arn,
        policyIds: new Set([arn]),
        scope: await managedScope(db, accountId, arn, p.policy_id),
        apply: (caller) => {
          const hit = (l: readonly NamedPolicy[] | undefined) => l?.some((x) => x.id === arn) === true;
          const inBoundary = caller.permissionsBoundary?.id === arn;
          if (!hit(caller.identityPolicies) && !inBoundary && !hit(caller.sessionPolicies)) return caller;
          const out: DecidingCaller = {
            ...caller,
            identityPolicies: caller.identityPolicies.map((x) =>
              x.id === arn ? storedPolicy(arn, x.source, c.document) : x,
            ),
          };
          if (inBoundary) out.permissionsBoundary = storedPolicy(arn, 'boundary', c.document);
          if (caller.sessionPolicies)
            out.sessionPolicies = caller.sessionPolicies.map((x) =>
              x.id === arn ? storedPolicy(arn, 'session', c.document) : x,
            );
          return out;
        },
      };
    }
    case 'attach':
    case 'detach': {
      const who = await members(db, accountId, c.entity, c.name);
      const p =
        c.kind === 'attach'
          ? await requireAttachablePolicy(db, accountId, c.policyArn)
          : await findPolicy(db, accountId, c.policyArn);
      if (!p) throw noSuchPolicy(c.policyArn);
      const arn = c.policyArn;
      const doc = (await defaultDocument(db, accountId, arn)) ?? '{';
      const next = c.kind === 'attach' ? storedPolicy(arn, 'user-managed', doc) : undefined;
      // A policy detached from one path may still reach a user through another (itself, a group).
      const keeps =
        c.kind === 'detach' ? await stillAttached(db, accountId, p.policy_id, who) : new Set<string>();
      return {
        description,
        targetArn: who.arn,
        policyIds: new Set([arn]),
        scope: who.scope,
        apply: (caller) =>
          who.has(caller) && !keeps.has(caller.principal.arn)
            ? { ...caller, identityPolicies: swap(caller.identityPolicies, arn, next) }
            : caller,
      };
    }
    case 'boundary': {
      const who = await members(db, accountId, c.entity, c.name);
      let next: NamedPolicy | undefined;
      if (c.policyArn !== undefined) {
        await requireAttachablePolicy(db, accountId, c.policyArn);
        next = storedPolicy(
          c.policyArn,
          'boundary',
          (await defaultDocument(db, accountId, c.policyArn)) ?? '{',
        );
      }
      return {
        description,
        targetArn: who.arn,
        policyIds: new Set(next ? [next.id] : []),
        scope: who.scope,
        apply: (caller) => {
          if (!who.has(caller)) return caller;
          const { permissionsBoundary: _old, ...rest } = caller;
          return next ? { ...rest, permissionsBoundary: next } : rest;
        },
      };
    }
    case 'identity-policy': {
      const change = await identityPolicyChange(store, accountId, region, c);
      const arn = identityArn(region, accountId, change.identity);
      return {
        description,
        targetArn: arn,
        policyIds: new Set([`${change.identity}/${c.policyName}`]),
        scope: { resource: arn },
        apply: (caller) => caller,
        identity: { arn, policies: change.policies },
      };
    }
  }
}

/**
 * Detaching from an entity it is not attached to is IAM's NoSuchEntity. The users that keep the
 * policy anyway, through another path (attached to themselves, or to another of their groups).
 */
async function stillAttached(
  db: Db,
  accountId: string,
  policyId: string,
  from: Members,
): Promise<Set<string>> {
  const attached = await db
    .selectFrom('iam_policy_attachments')
    .select(['entity_kind', 'entity_id'])
    .where('policy_id', '=', policyId)
    .execute();
  const arn = await db
    .selectFrom('iam_managed_policies')
    .select('arn')
    .where('policy_id', '=', policyId)
    .executeTakeFirstOrThrow();
  if (!attached.some((a) => a.entity_id === from.id)) throw noSuchPolicy(arn.arn);
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
