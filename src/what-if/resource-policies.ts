// The resource policies a recorded check is decided with, as they are now: an SES identity's
// sending-authorization policies (every check on an identity ARN carries them on the live path),
// a role's trust policy for AssumeRole. Cached for one replay.
import { storedPolicy } from '../iam/stored-policies.js';
import type { NamedPolicy } from '../policy/request.js';
import { getIdentityPolicies } from '../ses/state/identity-policies.js';
import type { Store } from '../store/database.js';

const IDENTITY = /^arn:aws:ses:([^:]+):(\d{12}):identity\/(.+)$/;
const ROLE = /^arn:aws:iam::(\d{12}):role(\/(?:[^/]+\/)*)([^/]+)$/;

export type ResourcePolicyLookup = (
  resource: string,
  kind: 'trust' | undefined,
) => Promise<NamedPolicy[] | undefined>;

async function lookup(
  store: Store,
  resource: string,
  kind: 'trust' | undefined,
): Promise<NamedPolicy[] | undefined> {
  if (kind === 'trust') {
    const m = ROLE.exec(resource);
    if (!m) return [];
    const role = await store.db
      .selectFrom('iam_roles')
      .select(['name', 'path', 'assume_role_policy'])
      .where('account_id', '=', m[1]!)
      .where('name_lower', '=', m[3]!.toLowerCase())
      .executeTakeFirst();
    // As assumeRoleChecks: a role that is gone has no trust policy, and the check denies.
    if (!role || role.path !== m[2]) return [];
    return [storedPolicy(`trust:role/${role.name}`, 'resource', role.assume_role_policy)];
  }
  const m = IDENTITY.exec(resource);
  if (!m) return undefined;
  const policies = await getIdentityPolicies(store, m[2]!, m[1]!, m[3]!);
  return policies.length > 0 ? policies : undefined;
}

export function replayResourcePolicies(store: Store): ResourcePolicyLookup {
  const cache = new Map<string, Promise<NamedPolicy[] | undefined>>();
  return (resource, kind) => {
    const key = `${kind ?? ''}\u0000${resource}`;
    let hit = cache.get(key);
    if (!hit) cache.set(key, (hit = lookup(store, resource, kind)));
    return hit;
  };
}
