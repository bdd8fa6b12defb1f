// CreatePolicy, GetPolicy, DeletePolicy and the version operations of managed policies: customer
// ones of the account (at most 5 versions; the default one is what attached entities get), and the
// read side of AWS managed ones (aws-managed-policies.ts).
import type { Operation, OperationTable } from '../../api/operation.js';
import type { IamManagedPolicyRow } from '../../store/schema/iam.js';
import { parsePolicyArn, policyArn } from '../arns.js';
import { encodePolicyDocument, requireValidPolicy } from '../documents.js';
import { isAwsManagedArn } from '../aws-managed/catalog.js';
import { findPolicy, isUniqueViolation, policyOut, tagsOf, type Db } from '../entities.js';
import { policyUsage } from '../policy-lookup.js';
import { getAwsPolicy, getAwsPolicyVersion, listAwsPolicyVersions } from './aws-managed-policies.js';
import {
  constraintViolation,
  deleteConflict,
  invalidInput,
  limitExceeded,
  noSuchPolicy,
  noSuchPolicyVersion,
  policyAlreadyExists,
} from '../errors.js';
import { newUniqueId } from '../ids.js';
import * as v from '../input.js';
import type { Tag } from '../input.js';
import { page } from '../paging.js';
import { accountOf, check, mutating, policyCheck, policyWriteCheck, requestTagContext } from './common.js';
import { writeTags } from './tags.js';

const MAX_VERSIONS = 5;

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

function versionIdInput(value: string | undefined): string {
  const id = v.required(value, 'versionId');
  if (!/^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/.test(id))
    throw constraintViolation(
      id,
      'versionId',
      'Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?',
    );
  return id;
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

const versionOut = (
  p: IamManagedPolicyRow,
  v: { version_id: string; created_at: number; document?: string },
) => ({
  ...(v.document !== undefined ? { Document: encodePolicyDocument(v.document) } : {}),
  VersionId: v.version_id,
  IsDefaultVersion: v.version_id === p.default_version_id,
  CreateDate: new Date(v.created_at),
});

const createPolicyVersion: Operation<{
  PolicyArn?: string;
  PolicyDocument?: string;
  SetAsDefault?: boolean;
}> = mutating({
  authorize: (_ctx, input) => [policyWriteCheck('iam:CreatePolicyVersion', input.PolicyArn)],
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    const arn = policyArnInput(input.PolicyArn);
    const doc = v.policyDocument(input.PolicyDocument);
    const now = ctx.now.getTime();
    return ctx.store.db.transaction().execute(async (trx) => {
      const p = await requirePolicy(trx, a, arn);
      requireValidPolicy(doc, 'identity');
      const versions = await trx
        .selectFrom('iam_policy_versions')
        .select('version_id')
        .where('policy_id', '=', p.policy_id)
        .execute();
      if (versions.length >= MAX_VERSIONS)
        throw limitExceeded(
          'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
        );
      const versionId = `v${p.next_version}`;
      await trx
        .insertInto('iam_policy_versions')
        .values({ policy_id: p.policy_id, version_id: versionId, document: doc, created_at: now })
        .execute();
      const updated = {
        ...p,
        next_version: p.next_version + 1,
        ...(input.SetAsDefault ? { default_version_id: versionId, updated_at: now } : {}),
      };
      await trx
        .updateTable('iam_managed_policies')
        .set({
          next_version: updated.next_version,
          default_version_id: updated.default_version_id,
          updated_at: updated.updated_at,
        })
        .where('policy_id', '=', p.policy_id)
        .execute();
      return { PolicyVersion: versionOut(updated, { version_id: versionId, created_at: now }) };
    });
  },
});

const getPolicyVersion: Operation<{ PolicyArn?: string; VersionId?: string }> = {
  authorize: (_ctx, input) => [policyCheck('iam:GetPolicyVersion', input.PolicyArn)],
  handle: async (ctx, input) => {
    const arn = policyArnInput(input.PolicyArn);
    const versionId = versionIdInput(input.VersionId);
    if (isAwsManagedArn(arn)) return getAwsPolicyVersion(arn, versionId);
    const db = ctx.store.db;
    // A missing policy gets the version sentence too (AWS, recorded by LocalStack's parity tests).
    const p = await findPolicy(db, accountOf(ctx), arn);
    if (!p) throw noSuchPolicyVersion(arn, versionId);
    const ver = await db
      .selectFrom('iam_policy_versions')
      .selectAll()
      .where('policy_id', '=', p.policy_id)
      .where('version_id', '=', versionId)
      .executeTakeFirst();
    if (!ver) throw noSuchPolicyVersion(arn, versionId);
    return { PolicyVersion: versionOut(p, ver) };
  },
};

const listPolicyVersions: Operation<{ PolicyArn?: string; Marker?: string; MaxItems?: number }> = {
  authorize: (_ctx, input) => [policyCheck('iam:ListPolicyVersions', input.PolicyArn)],
  handle: async (ctx, input) => {
    const db = ctx.store.db;
    const arn = policyArnInput(input.PolicyArn);
    const max = v.maxItems(input.MaxItems);
    if (isAwsManagedArn(arn)) return listAwsPolicyVersions(arn);
    const p = await requirePolicy(db, accountOf(ctx), arn);
    const rows = await db
      .selectFrom('iam_policy_versions')
      .select(['version_id', 'created_at'])
      .where('policy_id', '=', p.policy_id)
      .execute();
    // Newest first, as IAM lists them.
    rows.sort((x, y) => Number(y.version_id.slice(1)) - Number(x.version_id.slice(1)));
    const pg = page(rows, input.Marker, max);
    return {
      Versions: pg.items.map((r) => versionOut(p, r)),
      IsTruncated: pg.IsTruncated,
      ...(pg.Marker ? { Marker: pg.Marker } : {}),
    };
  },
};

const deletePolicyVersion: Operation<{ PolicyArn?: string; VersionId?: string }> = mutating({
  authorize: (_ctx, input) => [policyWriteCheck('iam:DeletePolicyVersion', input.PolicyArn)],
  handle: async (ctx, input) => {
    const arn = policyArnInput(input.PolicyArn);
    const versionId = versionIdInput(input.VersionId);
    await ctx.store.db.transaction().execute(async (trx) => {
      const p = await requirePolicy(trx, accountOf(ctx), arn);
      if (p.default_version_id === versionId)
        throw deleteConflict('Cannot delete the default version of a policy.');
      const r = await trx
        .deleteFrom('iam_policy_versions')
        .where('policy_id', '=', p.policy_id)
        .where('version_id', '=', versionId)
        .executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw noSuchPolicyVersion(arn, versionId);
    });
    return {};
  },
});

const setDefaultPolicyVersion: Operation<{ PolicyArn?: string; VersionId?: string }> = mutating({
  authorize: (_ctx, input) => [policyWriteCheck('iam:SetDefaultPolicyVersion', input.PolicyArn)],
  handle: async (ctx, input) => {
    const arn = policyArnInput(input.PolicyArn);
    const versionId = versionIdInput(input.VersionId);
    await ctx.store.db.transaction().execute(async (trx) => {
      const p = await findPolicy(trx, accountOf(ctx), arn);
      if (!p) throw noSuchPolicyVersion(arn, versionId);
      const ver = await trx
        .selectFrom('iam_policy_versions')
        .select('version_id')
        .where('policy_id', '=', p.policy_id)
        .where('version_id', '=', versionId)
        .executeTakeFirst();
      if (!ver) throw noSuchPolicyVersion(arn, versionId);
      await trx
        .updateTable('iam_managed_policies')
        .set({ default_version_id: versionId, updated_at: ctx.now.getTime() })
        .where('policy_id', '=', p.policy_id)
        .execute();
    });
    return {};
  },
});

export const managedPolicyOperations: OperationTable = {
  CreatePolicy: createPolicy,
  GetPolicy: getPolicy,
  DeletePolicy: deletePolicy,
  CreatePolicyVersion: createPolicyVersion,
  GetPolicyVersion: getPolicyVersion,
  ListPolicyVersions: listPolicyVersions,
  DeletePolicyVersion: deletePolicyVersion,
  SetDefaultPolicyVersion: setDefaultPolicyVersion,
};
