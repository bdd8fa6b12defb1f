// An identity's sending-authorization policies after a put or a delete, validated as SES validates
// them (PutIdentityPolicy / CreateEmailIdentityPolicy), with SES v2's errors.
import { badRequest, notFound, texts } from '../ses/errors.js';
import { getIdentity } from '../ses/state/identities.js';
import { identityArn } from '../ses/state/arn.js';
import { normalizeIdentity } from '../ses/state/identity-names.js';
import {
  checkIdentityPolicy,
  checkPolicyName,
  listPolicies,
  namedPolicies,
} from '../ses/state/identity-policies.js';
import type { NamedPolicy } from '../policy/request.js';
import type { Store } from '../store/database.js';

export async function identityPolicyChange(
  store: Store,
  accountId: string,
  region: string,
  c: { identity: string; policyName: string; document?: string },
): Promise<{ identity: string; policies: NamedPolicy[] }> {
  const problem = checkPolicyName(c.policyName);
  if (problem === 'too-long') throw badRequest(texts.policyNameTooLong);
  if (problem === 'invalid') throw badRequest(texts.policyNameInvalid);
  const row = await getIdentity(store, accountId, region, normalizeIdentity(c.identity));
  if (!row) throw notFound(texts.identityNotFound(c.identity));
  const stored = await listPolicies(store, accountId, region, row.identity);
  const others = stored.filter((p) => p.name !== c.policyName);
  if (c.document === undefined) {
    // SES answers success for a policy that is not there (v1 and v2 alike): nothing changes then.
    return { identity: row.identity, policies: namedPolicies(row.identity, others) };
  }
  const checked = checkIdentityPolicy(c.document, identityArn(region, accountId, row.identity));
  if (!checked.ok) throw badRequest(checked.message);
  const next = [...others, { name: c.policyName, policy: c.document }];
  return { identity: row.identity, policies: namedPolicies(row.identity, next) };
}
