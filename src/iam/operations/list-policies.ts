// ListPolicies: the account's customer managed policies (Scope=Local), the AWS managed ones every
// account sees (Scope=AWS), or both (All, the default), by name, with this account's usage counts
// read in one pass (an AWS-scope page must not cost a query per policy: there are ~1,500).
import type { Operation, OperationTable } from '../../api/operation.js';
import { awsManagedPolicies } from '../aws-managed/catalog.js';
import { policyOut, type PolicyUsage } from '../entities.js';
import * as v from '../input.js';
import { byName, page } from '../paging.js';
import { accountPolicyUsage, awsPolicyOut } from '../policy-lookup.js';
import { accountOf, check } from './common.js';

// botocore's policyScopeType and PolicyUsageType, in the model's order (IAM lists them so).
const POLICY_SCOPES = ['All', 'AWS', 'Local'] as const;
const POLICY_USAGES = ['PermissionsPolicy', 'PermissionsBoundary'] as const;

interface ListPoliciesInput {
  Scope?: string;
  OnlyAttached?: boolean;
  PathPrefix?: string;
  PolicyUsageFilter?: string;
  Marker?: string;
  MaxItems?: number;
}

interface Listed {
  name: string;
  path: string;
  usage: PolicyUsage;
  out: () => unknown;
}

const listPolicies: Operation<ListPoliciesInput> = {
  authorize: () => [check('iam:ListPolicies', '*')],
  handle: async (ctx, input) => {
    const scope = v.enumValue(input.Scope, 'scope', POLICY_SCOPES) ?? 'All';
    const usageFilter = v.enumValue(input.PolicyUsageFilter, 'policyUsageFilter', POLICY_USAGES);
    const prefix = input.PathPrefix === undefined ? '/' : v.policyPath(input.PathPrefix);
    const max = v.maxItems(input.MaxItems);
    const db = ctx.store.db;
    const a = accountOf(ctx);
    const usage = await accountPolicyUsage(db, a);
    const listed: Listed[] = [];
    if (scope !== 'AWS') {
      const rows = await db
        .selectFrom('iam_managed_policies')
        .selectAll()
        .where('account_id', '=', a)
        .execute();
      for (const p of rows) {
        const u = usage.of(p.policy_id, p.arn);
        listed.push({ name: p.name, path: p.path, usage: u, out: () => policyOut(p, u) });
      }
    }
    if (scope !== 'Local') {
      for (const p of awsManagedPolicies()) {
        const u = usage.of(p.policyId, p.arn);
        listed.push({ name: p.name, path: p.path, usage: u, out: () => awsPolicyOut(p, u) });
      }
    }
    const kept = listed.filter(({ path, usage: u }) => {
      if (!path.startsWith(prefix)) return false;
      if (!input.OnlyAttached) return true;
      if (usageFilter === 'PermissionsPolicy') return u.attachmentCount > 0;
      if (usageFilter === 'PermissionsBoundary') return u.boundaryCount > 0;
      return u.attachmentCount + u.boundaryCount > 0;
    });
    const pg = page(kept.sort(byName), input.Marker, max);
    return {
      Policies: pg.items.map((p) => p.out()),
      IsTruncated: pg.IsTruncated,
      ...(pg.Marker ? { Marker: pg.Marker } : {}),
    };
  },
};

export const listPolicyOperations: OperationTable = { ListPolicies: listPolicies };
