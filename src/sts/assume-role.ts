// AssumeRole (docs/spec/iam.md §4.4, §5): the trust policy must allow the caller explicitly (and, across
// accounts, the caller's own policies must allow too); session policies narrow the session; session
// tags become its aws:PrincipalTag/*; transitive tags and the source identity follow role chains.
import type { AuthorizationCheck, CallContext, Operation } from '../api/operation.js';
import { assumedRoleArn, roleArn as roleArnOf } from '../iam/arns.js';
import { findAttachablePolicy } from '../iam/policy-lookup.js';
import { storedPolicy } from '../iam/stored-policies.js';
import { policySize } from '../policy/limits.js';
import type { ContextValue } from '../policy/request.js';
import { validatePolicy } from '../policy/validate.js';
import type { IamRoleRow } from '../store/schema/iam.js';
import { authorizeStsChecks } from './authorize.js';
import { callerSession, issueSession, type Credentials } from './credentials.js';
import {
  exceedsChainingLimit,
  exceedsMaxSessionDuration,
  invalidParameter,
  malformedSessionPolicy,
  packedPolicyTooLarge,
} from './errors.js';
import * as v from './input.js';
import type { StsTag } from './input.js';
import { findRoleByArn } from './roles.js';

export interface AssumeRoleInput {
  RoleArn?: string;
  RoleSessionName?: string;
  PolicyArns?: { arn?: string }[];
  Policy?: string;
  DurationSeconds?: number;
  Tags?: StsTag[];
  TransitiveTagKeys?: string[];
  ExternalId?: string;
  SerialNumber?: string;
  TokenCode?: string;
  SourceIdentity?: string;
}

export interface AssumeRoleOutput {
  Credentials: Credentials;
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
  PackedPolicySize?: number;
  SourceIdentity?: string;
}

/** Role chaining (any temporary credentials, as AWS counts it) caps the session at one hour. */
const CHAINED_MAX_SECONDS = 3600;
const DEFAULT_SECONDS = 3600;
/**
 * [INF] AWS's packed format is not public: we count the session policy text (whitespace outside
 * strings excluded), the managed policy ARNs and the tags' keys and values against 2,048 characters,
 * the documented plaintext limit of session policies.
 */
const PACKED_BUDGET = 2048;

export interface AssumeRoleRequest {
  roleArn: string;
  sessionName: string;
  durationSeconds: number;
  externalId?: string;
  sourceIdentity?: string;
  policy?: string;
  policyArns?: string[];
  tags: StsTag[];
  transitiveKeys: string[];
}

function readInput(input: AssumeRoleInput): AssumeRoleRequest {
  const roleArn = v.roleArnInput(input.RoleArn);
  const sessionName = v.roleSessionName(input.RoleSessionName);
  const durationSeconds =
    input.DurationSeconds === undefined
      ? DEFAULT_SECONDS
      : v.intInRange(input.DurationSeconds, 'durationSeconds', 900, 43200);
  const tags = v.sessionTags(input.Tags);
  const req: AssumeRoleRequest = {
    roleArn,
    sessionName,
    durationSeconds,
    tags,
    transitiveKeys: v.transitiveTagKeys(input.TransitiveTagKeys, tags),
  };
  const externalId = v.externalId(input.ExternalId);
  if (externalId !== undefined) req.externalId = externalId;
  const sourceIdentity = v.sourceIdentity(input.SourceIdentity);
  if (sourceIdentity !== undefined) req.sourceIdentity = sourceIdentity;
  const policy = v.sessionPolicyText(input.Policy);
  if (policy !== undefined) req.policy = policy;
  const arns = v.policyArns(input.PolicyArns);
  if (arns !== undefined) req.policyArns = arns;
  return req;
}

/** Tags the new session carries: the caller session's transitive tags, then the request's. */
function mergeTags(
  inherited: StsTag[],
  inheritedTransitive: string[],
  req: AssumeRoleRequest,
): { tags: StsTag[]; transitive: string[] } {
  const passed = new Set(req.tags.map((t) => t.Key.toLowerCase()));
  for (const t of inherited)
    if (passed.has(t.Key.toLowerCase()))
      // AWS documents that the call fails; [INF] its wording.
      throw invalidParameter(
        `The session tag key ${t.Key} conflicts with a transitive tag inherited from the calling session.`,
      );
  const transitive = [...inheritedTransitive, ...req.transitiveKeys];
  return { tags: [...inherited, ...req.tags], transitive };
}

function packedPercent(req: AssumeRoleRequest, tags: readonly StsTag[]): number {
  let size = req.policy === undefined ? 0 : policySize(req.policy);
  for (const arn of req.policyArns ?? []) size += arn.length;
  for (const t of tags) size += t.Key.length + t.Value.length;
  return Math.ceil((size * 100) / PACKED_BUDGET);
}

/** The checks of one AssumeRole: the trust policy (and the caller's policies) must allow each. */
export function assumeRoleChecks(
  ctx: CallContext,
  req: AssumeRoleRequest,
  role: IamRoleRow | undefined,
): AuthorizationCheck[] {
  const context: Record<string, ContextValue> = { 'sts:RoleSessionName': req.sessionName };
  if (req.externalId !== undefined) context['sts:ExternalId'] = req.externalId;
  if (req.sourceIdentity !== undefined) context['sts:SourceIdentity'] = req.sourceIdentity;
  if (req.tags.length > 0) {
    context['aws:TagKeys'] = req.tags.map((t) => t.Key);
    for (const t of req.tags) context[`aws:RequestTag/${t.Key}`] = t.Value;
  }
  if (req.transitiveKeys.length > 0) context['sts:TransitiveTagKeys'] = req.transitiveKeys;
  // A role that does not exist has no trust policy: the trust-kind check then denies, as AWS does.
  const base = {
    resource: role ? roleArnOf(role.account_id, role.path, role.name) : req.roleArn,
    resourceAccount: role?.account_id ?? req.roleArn.split(':')[4] ?? ctx.caller.accountId,
    resourcePolicies: role
      ? [storedPolicy(`trust:role/${role.name}`, 'resource', role.assume_role_policy)]
      : [],
    resourcePolicyKind: 'trust' as const,
    context,
  };
  const checks: AuthorizationCheck[] = [{ action: 'sts:AssumeRole', ...base }];
  if (req.tags.length > 0) checks.push({ action: 'sts:TagSession', ...base });
  if (req.sourceIdentity !== undefined) checks.push({ action: 'sts:SetSourceIdentity', ...base });
  return checks;
}

function parseJsonList<T>(text: string | null | undefined): T[] {
  if (!text) return [];
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}

export const assumeRole: Operation<AssumeRoleInput, AssumeRoleOutput> = {
  // Authorized in `handle`: the checks need the role's trust policy, and STS's denial sentence
  // differs from the generic one the dispatcher would answer.
  handle: async (ctx, input) => {
    const req = readInput(input);
    if (req.policy !== undefined) {
      const r = validatePolicy(req.policy, 'session');
      if (!r.ok && r.error.code !== 'LimitExceeded') throw malformedSessionPolicy(r.error.message);
    }
    const db = ctx.store.db;
    const role = await findRoleByArn(db, req.roleArn);
    const session = await callerSession(ctx);
    const inheritedTags = session ? parseJsonList<StsTag>(session.session_tags) : [];
    const inheritedTransitive = session ? parseJsonList<string>(session.transitive_tag_keys) : [];
    const transitiveInherited = inheritedTags.filter((t) =>
      inheritedTransitive.some((k) => k.toLowerCase() === t.Key.toLowerCase()),
    );
    const { tags, transitive } = mergeTags(transitiveInherited, inheritedTransitive, req);

    authorizeStsChecks(ctx, assumeRoleChecks(ctx, req, role));
    if (!role) throw new Error('unreachable: a missing role cannot be allowed'); // trust check denies first

    if (req.durationSeconds > role.max_session_duration) throw exceedsMaxSessionDuration();
    if (ctx.caller.temporary && req.durationSeconds > CHAINED_MAX_SECONDS) throw exceedsChainingLimit();

    for (const arn of req.policyArns ?? []) {
      // Managed session policies live in the role's account, or are AWS managed ones.
      // [INF] the wording for a missing one.
      if (!(await findAttachablePolicy(db, role.account_id, arn)))
        throw invalidParameter(`Policy ${arn} does not exist or is not attachable.`);
    }
    const sessionPoliciesPassed = req.policy !== undefined || req.policyArns !== undefined;
    const percent = packedPercent(req, tags);
    if (percent > 100) throw packedPolicyTooLarge(percent);

    const sourceIdentity = req.sourceIdentity ?? session?.source_identity ?? undefined;
    const credentials = await issueSession(
      ctx,
      {
        account_id: role.account_id,
        kind: 'role',
        role_id: role.role_id,
        role_arn: roleArnOf(role.account_id, role.path, role.name),
        user_id: null,
        session_name: req.sessionName,
        session_policy: req.policy ?? null,
        session_policy_arns: req.policyArns === undefined ? null : JSON.stringify(req.policyArns),
        session_tags: JSON.stringify(tags),
        transitive_tag_keys: JSON.stringify(transitive),
        source_identity: sourceIdentity ?? null,
      },
      req.durationSeconds,
    );
    await db
      .updateTable('iam_roles')
      .set({ last_used_at: ctx.now.getTime(), last_used_region: ctx.region })
      .where('role_id', '=', role.role_id)
      .execute();

    const out: AssumeRoleOutput = {
      Credentials: credentials,
      AssumedRoleUser: {
        AssumedRoleId: `${role.role_id}:${req.sessionName}`,
        Arn: assumedRoleArn(role.account_id, role.name, req.sessionName),
      },
    };
    if (sessionPoliciesPassed || tags.length > 0) out.PackedPolicySize = percent;
    if (sourceIdentity !== undefined) out.SourceIdentity = sourceIdentity;
    return out;
  },
};
