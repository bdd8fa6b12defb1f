// GetAccountAuthorizationDetails: every user, group, role and customer managed policy of the
// account, and the AWS managed policies in use there, with their policies (documents URL-encoded),
// one page over all of them.
import type { Operation, OperationTable } from '../../api/operation.js';
import { encodePolicyDocument } from '../documents.js';
import { awsManagedPolicies } from '../aws-managed/catalog.js';
import { groupOut, policyOut, roleOut, tagsOf, userOut } from '../entities.js';
import { accountPolicyUsage, attachedManagedPolicies, awsPolicyOut } from '../policy-lookup.js';
import { constraintViolation } from '../errors.js';
import * as v from '../input.js';
import { byName, page } from '../paging.js';
import { accountOf, check } from './common.js';

const FILTERS = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'];

interface Input {
  Filter?: string[];
  Marker?: string;
  MaxItems?: number;
}

type Detail = { list: 'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies'; item: unknown };

const getAccountAuthorizationDetails: Operation<Input> = {
  authorize: () => [check('iam:GetAccountAuthorizationDetails', '*')],
  handle: async (ctx, input) => {
    for (const f of input.Filter ?? [])
      if (!FILTERS.includes(f))
        throw constraintViolation(f, 'filter', `Member must satisfy enum value set: [${FILTERS.join(', ')}]`);
    const want = (f: string) => !input.Filter || input.Filter.length === 0 || input.Filter.includes(f);
    const db = ctx.store.db;
    const a = accountOf(ctx);

    const inline = await db
      .selectFrom('iam_inline_policies')
      .selectAll()
      .where('account_id', '=', a)
      .orderBy('name')
      .execute();
    const inlineOf = (id: string) =>
      inline
        .filter((p) => p.owner_id === id)
        .map((p) => ({ PolicyName: p.name, PolicyDocument: encodePolicyDocument(p.document) }));
    const attached = (await attachedManagedPolicies(db, { accountId: a })).sort(byName);
    const attachedOf = (id: string) =>
      attached.filter((r) => r.entityId === id).map((r) => ({ PolicyName: r.name, PolicyArn: r.arn }));
    const groups = (await db.selectFrom('iam_groups').selectAll().where('account_id', '=', a).execute()).sort(
      byName,
    );
    const members = await db
      .selectFrom('iam_group_members')
      .selectAll()
      .where('account_id', '=', a)
      .execute();

    const details: Detail[] = [];
    if (want('User')) {
      for (const u of (
        await db.selectFrom('iam_users').selectAll().where('account_id', '=', a).execute()
      ).sort(byName)) {
        const groupNames = groups
          .filter((g) => members.some((m) => m.group_id === g.group_id && m.user_id === u.user_id))
          .map((g) => g.name);
        details.push({
          list: 'UserDetailList',
          item: {
            ...userOut(u, await tagsOf(db, 'user', u.user_id)),
            UserPolicyList: inlineOf(u.user_id),
            GroupList: groupNames,
            AttachedManagedPolicies: attachedOf(u.user_id),
          },
        });
      }
    }
    if (want('Group'))
      for (const g of groups)
        details.push({
          list: 'GroupDetailList',
          item: {
            ...groupOut(g),
            GroupPolicyList: inlineOf(g.group_id),
            AttachedManagedPolicies: attachedOf(g.group_id),
          },
        });
    if (want('Role')) {
      for (const r of (
        await db.selectFrom('iam_roles').selectAll().where('account_id', '=', a).execute()
      ).sort(byName))
        details.push({
          list: 'RoleDetailList',
          item: {
            ...roleOut(r, await tagsOf(db, 'role', r.role_id)),
            InstanceProfileList: [],
            RolePolicyList: inlineOf(r.role_id),
            AttachedManagedPolicies: attachedOf(r.role_id),
          },
        });
    }
    const usage = await accountPolicyUsage(db, a);
    if (want('LocalManagedPolicy')) {
      for (const p of (
        await db.selectFrom('iam_managed_policies').selectAll().where('account_id', '=', a).execute()
      ).sort(byName)) {
        const versions = await db
          .selectFrom('iam_policy_versions')
          .selectAll()
          .where('policy_id', '=', p.policy_id)
          .execute();
        versions.sort((x, y) => Number(y.version_id.slice(1)) - Number(x.version_id.slice(1)));
        details.push({
          list: 'Policies',
          item: {
            ...policyOut(p, usage.of(p.policy_id, p.arn)),
            PolicyVersionList: versions.map((ver) => ({
              Document: encodePolicyDocument(ver.document),
              VersionId: ver.version_id,
              IsDefaultVersion: ver.version_id === p.default_version_id,
              CreateDate: new Date(ver.created_at),
            })),
          },
        });
      }
    }
    // AWS managed policies appear when this account uses them (attached or as a boundary).
    if (want('AWSManagedPolicy')) {
      for (const p of awsManagedPolicies()) {
        const u = usage.of(p.policyId, p.arn);
        if (u.attachmentCount + u.boundaryCount === 0) continue;
        details.push({
          list: 'Policies',
          item: {
            ...awsPolicyOut(p, u),
            PolicyVersionList: [
              {
                Document: encodePolicyDocument(p.document()),
                VersionId: p.defaultVersionId,
                IsDefaultVersion: true,
                CreateDate: p.updateDate,
              },
            ],
          },
        });
      }
    }
    const pg = page(details, input.Marker, v.maxItems(input.MaxItems));
    const out: Record<string, unknown[]> = {
      UserDetailList: [],
      GroupDetailList: [],
      RoleDetailList: [],
      Policies: [],
    };
    for (const d of pg.items) out[d.list]!.push(d.item);
    return { ...out, IsTruncated: pg.IsTruncated, ...(pg.Marker ? { Marker: pg.Marker } : {}) };
  },
};

export const accountDetailOperations: OperationTable = {
  GetAccountAuthorizationDetails: getAccountAuthorizationDetails,
};
