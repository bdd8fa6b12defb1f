// Sending-authorization (identity) policies: resource-based policies attached to one identity
// (docs/spec/ses.md §4.2). Stored as submitted (GetIdentityPolicies answers that text); at most 20 per identity;
// each at most 4 KB.
import type { Store } from '../../store/database.js';
import type { NamedPolicy } from '../../policy/request.js';
import { parsePolicy } from '../../policy/parse.js';
import { validatePolicy } from '../../policy/validate.js';
import { invalidateSendState } from './invalidate.js';

export const MAX_POLICIES_PER_IDENTITY = 20;
export const MAX_POLICY_BYTES = 4096;
const POLICY_NAME = /^[A-Za-z0-9_-]+$/;

export type PolicyNameProblem = 'invalid' | 'too-long';

export function checkPolicyName(name: string): PolicyNameProblem | undefined {
  if (name.length > 64) return 'too-long';
  if (!POLICY_NAME.test(name)) return 'invalid';
  return undefined;
}

export type PolicyCheck = { ok: true } | { ok: false; reason: 'size' | 'invalid'; message: string };

/** Validates a policy as a resource policy on `resourceArn`. */
export function checkIdentityPolicy(text: string, resourceArn: string): PolicyCheck {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES) {
    return {
      ok: false,
      reason: 'size',
      message: `Policy exceeds the maximum allowed size of ${MAX_POLICY_BYTES} bytes.`,
    };
  }
  const v = validatePolicy(text, 'resource', { resourceArn });
  if (!v.ok) return { ok: false, reason: 'invalid', message: v.error.message };
  // SES takes only lower-case `aws:` and `ses:` keys (docs/spec/ses.md §4.2: `AWS:SourceAccount` was refused).
  for (const st of v.policy.statements) {
    for (const c of st.conditions) {
      if (!/^(aws|ses):/.test(c.key))
        return {
          ok: false,
          reason: 'invalid',
          message: `Unknown or unapplicable condition field '${c.key}'.`,
        };
    }
  }
  return { ok: true };
}

export interface StoredPolicy {
  name: string;
  policy: string;
}

export async function listPolicies(
  store: Store,
  accountId: string,
  region: string,
  identity: string,
  names?: readonly string[],
): Promise<StoredPolicy[]> {
  if (names && names.length === 0) return [];
  let q = store.db
    .selectFrom('ses_identity_policies')
    .select(['policy_name', 'policy'])
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('identity', '=', identity);
  if (names) q = q.where('policy_name', 'in', [...names]);
  const rows = await q.orderBy('policy_name').execute();
  return rows.map((r) => ({ name: r.policy_name, policy: r.policy }));
}

export type PolicyWrite = 'created' | 'updated' | 'exists' | 'limit';

/**
 * Writes one policy. `upsert` (v1 PutIdentityPolicy, v2 UpdateEmailIdentityPolicy) creates or
 * replaces; `create` refuses an existing name. The limit counts only when a name is added.
 */
export async function writePolicy(
  store: Store,
  accountId: string,
  region: string,
  identity: string,
  name: string,
  text: string,
  mode: 'upsert' | 'create',
  now: Date,
): Promise<PolicyWrite> {
  const outcome = await store.db.transaction().execute(async (trx): Promise<PolicyWrite> => {
    const scope = trx
      .selectFrom('ses_identity_policies')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('identity', '=', identity);
    const existing = await scope.select('policy_name').where('policy_name', '=', name).executeTakeFirst();
    if (existing) {
      if (mode === 'create') return 'exists';
      await trx
        .updateTable('ses_identity_policies')
        .set({ policy: text, updated_at: now.getTime() })
        .where('account_id', '=', accountId)
        .where('region', '=', region)
        .where('identity', '=', identity)
        .where('policy_name', '=', name)
        .execute();
      return 'updated';
    }
    const { n } = await scope.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(n) >= MAX_POLICIES_PER_IDENTITY) return 'limit';
    await trx
      .insertInto('ses_identity_policies')
      .values({
        account_id: accountId,
        region,
        identity,
        policy_name: name,
        policy: text,
        created_at: now.getTime(),
        updated_at: now.getTime(),
      })
      .execute();
    return 'created';
  });
  await invalidateSendState(store, accountId);
  return outcome;
}

/** Deletes one policy; false when it did not exist. */
export async function deletePolicy(
  store: Store,
  accountId: string,
  region: string,
  identity: string,
  name: string,
): Promise<boolean> {
  const res = await store.db
    .deleteFrom('ses_identity_policies')
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('identity', '=', identity)
    .where('policy_name', '=', name)
    .executeTakeFirst();
  await invalidateSendState(store, accountId);
  return Number(res.numDeletedRows) > 0;
}

// A stored policy that no longer parses must not fail open (DESIGN rule 6): it becomes a deny-all.
const DENY_ALL = {
  statements: [
    {
      index: 0,
      effect: 'Deny' as const,
      principal: { wildcard: true, aws: [], service: [], federated: [], canonicalUser: [] },
      action: ['*'],
      resource: ['*'],
      conditions: [],
    },
  ],
};

/**
 * Stored policies as the authorizer takes them (`resourcePolicies`). Pure, so a caller that also
 * answers with the stored documents reads them once and parses what it read.
 */
export function namedPolicies(identityName: string, stored: readonly StoredPolicy[]): NamedPolicy[] {
  return stored.map((p) => {
    const parsed = parsePolicy(p.policy);
    return {
      id: `${identityName}/${p.name}`,
      source: 'resource' as const,
      policy: parsed.ok ? parsed.policy : DENY_ALL,
      text: p.policy,
    };
  });
}

/** The identity's policies, parsed, for the authorizer (`resourcePolicies`). */
export async function getIdentityPolicies(
  store: Store,
  accountId: string,
  region: string,
  identityName: string,
): Promise<NamedPolicy[]> {
  return namedPolicies(identityName, await listPolicies(store, accountId, region, identityName));
}
