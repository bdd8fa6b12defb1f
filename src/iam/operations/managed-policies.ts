// CreatePolicy, GetPolicy and DeletePolicy of managed policies: customer ones of the account, and
// the read side of AWS managed ones (aws-managed-policies.ts); their versions: policy-versions.ts.
import type { Operation, OperationTable } from '../../api/operation.js';
import type { IamManagedPolicyRow } from '../../store/schema/iam.js';
import { parsePolicyArn, policyArn } from '../arns.js';
import { requireValidPolicy } from '../documents.js';
import { isAwsManagedArn } from '../aws-managed/catalog.js';
import { findPolicy, isUniqueViolation, policyOut, tagsOf, type Db } from '../entities.js';
import { policyUsage } from '../policy-lookup.js';
import { getAwsPolicy } from './aws-managed-policies.js';
import { deleteConflict, invalidInput, noSuchPolicy, policyAlreadyExists } from '../errors.js';
import { newUniqueId } from '../ids.js';
import * as v from '../input.js';
import type { Tag } from '../input.js';
import { accountOf, check, mutating, policyCheck, policyWriteCheck, requestTagContext } from './common.js';
import { writeTags } from './tags.js';

/** Validates the ARN's form (InvalidInput) before looking it up. */
export function policyArnInput(value: string | undefined, member = 'policyArn'): string {
  const arn = v.arnValue(value, member);
  if (!parsePolicyArn(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
  return arn;
}

export async function requirePolicy(db: Db, accountId: string, arn: string): Promise<IamManagedPolicyRow> {
  const p = await findPolicy(db, accountId, arn);
  if (!p) throw noSuchPolicy(arn);
  return p;
}

interface CreatePolicyInput {
  PolicyName?: string;
  Path?: string;
  PolicyDocument?: string;
  Description?: string;
  Tags?: Tag[];
}

const createPolicy: Operation<CreatePolicyInput> = mutating({
  authorize: (ctx, input) => [
    check(
      'iam:CreatePolicy',
      policyArn(accountOf(ctx), v.policyPath(input.Path), v.entityName(input.PolicyName, 'policyName', 128)),
      requestTagContext(input.Tags),
    ),
  ],
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    const name = v.entityName(input.PolicyName, 'policyName', 128);
    const path = v.policyPath(input.Path);
    const doc = v.policyDocument(input.PolicyDocument);
    const description = v.description(input.Description) ?? null;
    const tags = v.tags(input.Tags);
    requireValidPolicy(doc, 'identity');
    const now = ctx.now.getTime();
    const row: IamManagedPolicyRow = {
      policy_id: newUniqueId('ANPA'),
      account_id: a,
      name,
      name_lower: name.toLowerCase(),
      path,
      arn: policyArn(a, path, name),
      description,
      default_version_id: 'v1',
      next_version: 2,
      created_at: now,
      updated_at: now,
    };
    try {
      await ctx.store.db.transaction().execute(async (trx) => {
        const clash = await trx
          .selectFrom('iam_managed_policies')
          .select('policy_id')
          .where('account_id', '=', a)
          .where('name_lower', '=', row.name_lower)
          .executeTakeFirst();
        if (clash) throw policyAlreadyExists(name);
        await trx.insertInto('iam_managed_policies').values(row).execute();
        await trx
          .insertInto('iam_policy_versions')
          .values({ policy_id: row.policy_id, version_id: 'v1', document: doc, created_at: now })
          .execute();
        await writeTags(trx, a, 'policy', row.policy_id, tags);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw policyAlreadyExists(name);
      throw e;
    }
    return { Policy: policyOut(row, { attachmentCount: 0, boundaryCount: 0 }, tags) };
  },
});

const getPolicy: Operation<{ PolicyArn?: string }> = {
  authorize: (_ctx, input) => [policyCheck('iam:GetPolicy', input.PolicyArn)],
  handle: async (ctx, input) => {
    const db = ctx.store.db;
    const arn = policyArnInput(input.PolicyArn);
    if (isAwsManagedArn(arn)) return getAwsPolicy(ctx, arn);
    const p = await requirePolicy(db, accountOf(ctx), arn);
    const usage = await policyUsage(db, p.account_id, p.policy_id, p.arn);
    return { Policy: policyOut(p, usage, await tagsOf(db, 'policy', p.policy_id)) };
  },
};

const deletePolicy: Operation<{ PolicyArn?: string }> = mutating({
  authorize: (_ctx, input) => [policyWriteCheck('iam:DeletePolicy', input.PolicyArn)],
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    const arn = policyArnInput(input.PolicyArn);
    await ctx.store.db.transaction().execute(async (trx) => {
      const p = await requirePolicy(trx, a, arn);
      const u = await policyUsage(trx, a, p.policy_id, p.arn);
      if (u.attachmentCount > 0 || u.boundaryCount > 0)
        throw deleteConflict('Cannot delete a policy attached to entities.');
      const versions = await trx
        .selectFrom('iam_policy_versions')
        .select('version_id')
        .where('policy_id', '=', p.policy_id)
        .execute();
      if (versions.length > 1)
        throw deleteConflict(
          "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
        );
      await trx.deleteFrom('iam_policy_versions').where('policy_id', '=', p.policy_id).execute();
      await trx.deleteFrom('iam_tags').where('resource_id', '=', p.policy_id).execute();
      await trx.deleteFrom('iam_managed_policies').where('policy_id', '=', p.policy_id).execute();
    });
    return {};
  },
});

export const managedPolicyOperations: OperationTable = {
  CreatePolicy: createPolicy,
  GetPolicy: getPolicy,
  DeletePolicy: deletePolicy,
};
