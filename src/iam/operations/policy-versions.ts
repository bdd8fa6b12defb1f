// The versions of managed policies: at most 5 per customer managed policy, the default one being
// what attached entities get; an AWS managed policy shows its one recorded version
// (aws-managed-policies.ts) and refuses every write (common.ts policyWriteCheck).
import type { Operation, OperationTable } from '../../api/operation.js';
import type { IamManagedPolicyRow } from '../../store/schema/iam.js';
import { encodePolicyDocument, requireValidPolicy } from '../documents.js';
import { isAwsManagedArn } from '../aws-managed/catalog.js';
import { findPolicy } from '../entities.js';
import { getAwsPolicyVersion, listAwsPolicyVersions } from './aws-managed-policies.js';
import { constraintViolation, deleteConflict, limitExceeded, noSuchPolicyVersion } from '../errors.js';
import * as v from '../input.js';
import { page } from '../paging.js';
import { accountOf, mutating, policyCheck, policyWriteCheck } from './common.js';
import { policyArnInput, requirePolicy } from './managed-policies.js';

const MAX_VERSIONS = 5;

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

export const policyVersionOperations: OperationTable = {
  CreatePolicyVersion: createPolicyVersion,
  GetPolicyVersion: getPolicyVersion,
  ListPolicyVersions: listPolicyVersions,
  DeletePolicyVersion: deletePolicyVersion,
  SetDefaultPolicyVersion: setDefaultPolicyVersion,
};
