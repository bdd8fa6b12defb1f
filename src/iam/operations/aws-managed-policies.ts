// The read side of AWS managed policies (GetPolicy, GetPolicyVersion, ListPolicyVersions): the
// shared catalog's policy with this account's usage counts. Only the default version is recorded,
// so it is the one version they list. Writes never reach here (common.ts policyWriteCheck).
import type { CallContext } from '../../api/operation.js';
import type { AwsManagedPolicy } from '../aws-managed/catalog.js';
import { awsManagedPolicy } from '../aws-managed/catalog.js';
import { encodePolicyDocument } from '../documents.js';
import { noSuchPolicy, noSuchPolicyVersion } from '../errors.js';
import { awsPolicyOut, policyUsage } from '../policy-lookup.js';
import { accountOf } from './common.js';

export function requireAwsPolicy(arn: string): AwsManagedPolicy {
  const p = awsManagedPolicy(arn);
  if (!p) throw noSuchPolicy(arn);
  return p;
}

export async function getAwsPolicy(ctx: CallContext, arn: string) {
  const p = requireAwsPolicy(arn);
  const usage = await policyUsage(ctx.store.db, accountOf(ctx), p.policyId, p.arn);
  // IAM answers GetPolicy on an AWS managed policy with an empty Tags list.
  return { Policy: awsPolicyOut(p, usage, []) };
}

const versionOut = (p: AwsManagedPolicy, withDocument: boolean) => ({
  ...(withDocument ? { Document: encodePolicyDocument(p.document()) } : {}),
  VersionId: p.defaultVersionId,
  IsDefaultVersion: true,
  CreateDate: p.updateDate,
});

export function getAwsPolicyVersion(arn: string, versionId: string) {
  const p = awsManagedPolicy(arn);
  if (!p || p.defaultVersionId !== versionId) throw noSuchPolicyVersion(arn, versionId);
  return { PolicyVersion: versionOut(p, true) };
}

export function listAwsPolicyVersions(arn: string) {
  return { Versions: [versionOut(requireAwsPolicy(arn), false)], IsTruncated: false };
}
