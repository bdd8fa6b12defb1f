// IAM refuses a trust policy that names an IAM user or role that does not exist (or a group,
// which is never a principal): MalformedPolicyDocument `Invalid principal in policy: "AWS":"ARN"`,
// as AWS answers CreateRole and UpdateAssumeRolePolicy (IAM stores the principal's unique id, so it
// must exist). Other accounts are checked the same way when this Sesame holds them; ARNs of
// accounts it does not hold are left as written.
import { accountExists } from '../accounts/accounts.js';
import type { Policy } from '../policy/index.js';
import type { Store } from '../store/database.js';
import { findRole, findUser } from './entities.js';
import { malformedPolicy } from './errors.js';

const ENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|role|group)((?:\/[^/]+)*\/)([^/]+)$/;

/** Throws unless every IAM user or role the (validated) trust policy names as `Principal.AWS` exists. */
export async function requireExistingPrincipals(st: Store, policy: Policy): Promise<void> {
  for (const s of policy.statements) {
    for (const value of s.principal?.aws ?? []) {
      const m = ENTITY_ARN.exec(value);
      if (!m || value.includes('*') || value.includes('?')) continue;
      const [, accountId, kind, path, name] = m as unknown as [string, string, string, string, string];
      const invalid = () => malformedPolicy(`Invalid principal in policy: "AWS":"${value}"`);
      if (kind === 'group') throw invalid();
      if (!(await accountExists(st, accountId))) continue;
      const entity =
        kind === 'user' ? await findUser(st.db, accountId, name) : await findRole(st.db, accountId, name);
      // The ARN must name the entity exactly: same case, same path.
      if (!entity || entity.name !== name || entity.path !== path) throw invalid();
    }
  }
}
