// Managed policies as attachments, boundaries and session policies name them: a customer managed
// policy of the account (store) or an AWS managed one (the shared catalog). How many entities of
// one account use a policy comes from that account's rows only, whichever kind it is.
import {
  awsManagedPolicy,
  awsManagedPolicyById,
  isAwsManagedArn,
  SERVICE_ROLE_POLICY_PATH,
  type AwsManagedPolicy,
} from './aws-managed/catalog.js';
import { findPolicy, type Db, type PolicyUsage } from './entities.js';
import { policyNotAttachable } from './errors.js';
import type { Tag } from './input.js';

export interface AttachablePolicy {
  policyId: string;
  arn: string;
  name: string;
  path: string;
  awsManaged: boolean;
}

export async function findAttachablePolicy(
  db: Db,
  accountId: string,
  arn: string,
): Promise<AttachablePolicy | undefined> {
  if (isAwsManagedArn(arn)) {
    const p = awsManagedPolicy(arn);
    return p && { policyId: p.policyId, arn: p.arn, name: p.name, path: p.path, awsManaged: true };
  }
  const p = await findPolicy(db, accountId, arn);
  return p && { policyId: p.policy_id, arn: p.arn, name: p.name, path: p.path, awsManaged: false };
}

/** Attach, boundary: IAM's `Policy ARN does not exist or is not attachable.` when unknown. */
export async function requireAttachablePolicy(
  db: Db,
  accountId: string,
  arn: string,
): Promise<AttachablePolicy> {
  const p = await findAttachablePolicy(db, accountId, arn);
  if (!p) throw policyNotAttachable(arn);
  return p;
}

/** One policy's attachments and boundary uses in one account. */
export async function policyUsage(
  db: Db,
  accountId: string,
  policyId: string,
  arn: string,
): Promise<PolicyUsage> {
  const a = await db
    .selectFrom('iam_policy_attachments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('policy_id', '=', policyId)
    .executeTakeFirstOrThrow();
  let boundaryCount = 0;
  for (const table of ['iam_users', 'iam_roles'] as const) {
    const b = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('permissions_boundary_arn', '=', arn)
      .executeTakeFirstOrThrow();
    boundaryCount += Number(b.n);
  }
  return { attachmentCount: Number(a.n), boundaryCount };
}

export interface AttachedPolicy {
  entityId: string;
  name: string;
  arn: string;
  path: string;
}

/**
 * The managed policies attached to one entity, or to every entity of an account: customer ones by
 * join, AWS managed ones by id from the catalog.
 */
export async function attachedManagedPolicies(
  db: Db,
  of: { entityId: string } | { accountId: string },
): Promise<AttachedPolicy[]> {
  const base = db
    .selectFrom('iam_policy_attachments as a')
    .leftJoin('iam_managed_policies as p', 'p.policy_id', 'a.policy_id')
    .select(['a.entity_id', 'a.policy_id', 'p.name', 'p.arn', 'p.path']);
  const rows = await (
    'entityId' in of
      ? base.where('a.entity_id', '=', of.entityId)
      : base.where('a.account_id', '=', of.accountId)
  ).execute();
  const out: AttachedPolicy[] = [];
  for (const r of rows) {
    if (r.name !== null && r.arn !== null && r.path !== null)
      out.push({ entityId: r.entity_id, name: r.name, arn: r.arn, path: r.path });
    else {
      const aws = awsManagedPolicyById(r.policy_id);
      if (aws) out.push({ entityId: r.entity_id, name: aws.name, arn: aws.arn, path: aws.path });
    }
  }
  return out;
}

export interface AccountUsage {
  of(policyId: string, arn: string): PolicyUsage;
}

/** Every policy's usage in the account, in three grouped queries (for lists of many policies). */
export async function accountPolicyUsage(db: Db, accountId: string): Promise<AccountUsage> {
  const attachments = await db
    .selectFrom('iam_policy_attachments')
    .select(['policy_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('account_id', '=', accountId)
    .groupBy('policy_id')
    .execute();
  const bounds = new Map<string, number>();
  for (const table of ['iam_users', 'iam_roles'] as const) {
    const rows = await db
      .selectFrom(table)
      .select(['permissions_boundary_arn', (eb) => eb.fn.countAll<number>().as('n')])
      .where('account_id', '=', accountId)
      .where('permissions_boundary_arn', 'is not', null)
      .groupBy('permissions_boundary_arn')
      .execute();
    for (const r of rows)
      bounds.set(r.permissions_boundary_arn!, (bounds.get(r.permissions_boundary_arn!) ?? 0) + Number(r.n));
  }
  const attached = new Map(attachments.map((r) => [r.policy_id, Number(r.n)]));
  return {
    of: (policyId, arn) => ({
      attachmentCount: attached.get(policyId) ?? 0,
      boundaryCount: bounds.get(arn) ?? 0,
    }),
  };
}

/** The model's `Policy` for an AWS managed policy (no description is recorded for them). */
export function awsPolicyOut(p: AwsManagedPolicy, usage: PolicyUsage, tags?: Tag[]) {
  return {
    PolicyName: p.name,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: usage.attachmentCount,
    PermissionsBoundaryUsageCount: usage.boundaryCount,
    IsAttachable: p.path !== SERVICE_ROLE_POLICY_PATH,
    CreateDate: p.createDate,
    UpdateDate: p.updateDate,
    ...(tags ? { Tags: tags } : {}),
  };
}
