// A change request resolved against the store: the entities and policies it names must exist and
// its document must be one IAM (or SES) would accept, with their errors. What it yields is the
// recorded calls it can touch (scope) and, for any caller, that caller's policy set after it.
import type { DecidingCaller } from '../authz/index.js';
import { requireValidPolicy } from '../iam/documents.js';
import { findPolicy, type Db } from '../iam/entities.js';
import { findAttachablePolicy, requireAttachablePolicy } from '../iam/policy-lookup.js';
import { noSuchInlinePolicy, noSuchPolicy } from '../iam/errors.js';
import { defaultDocument } from '../iam/principals.js';
import { storedPolicy } from '../iam/stored-policies.js';
import type { NamedPolicy } from '../policy/request.js';
import { identityArn } from '../ses/state/arn.js';
import { describeChange, type ChangeRequest } from './change-input.js';
import { managedScope, members, stillAttached, type ChangeScope, type Members } from './change-scope.js';

export type { ChangeScope } from './change-scope.js';
import { identityPolicyChange } from './identity-change.js';
import type { Store } from '../store/database.js';

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

/** Replaces (or, with `next` undefined, removes) the policy with this id; adds it when absent. */
function swap(list: readonly NamedPolicy[], id: string, next: NamedPolicy | undefined): NamedPolicy[] {
  const out = list.filter((p) => p.id !== id);
  if (next) out.push(next);
  return out;
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
          : await findAttachablePolicy(db, accountId, c.policyArn);
      if (!p) throw noSuchPolicy(c.policyArn);
      const arn = c.policyArn;
      const doc = (await defaultDocument(db, accountId, arn)) ?? '{';
      const source = p.awsManaged ? 'aws-managed' : 'user-managed';
      const next = c.kind === 'attach' ? storedPolicy(arn, source, doc) : undefined;
      // A policy detached from one path may still reach a user through another (itself, a group).
      const keeps =
        c.kind === 'detach' ? await stillAttached(db, accountId, p.policyId, arn, who) : new Set<string>();
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
