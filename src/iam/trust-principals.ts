// IAM refuses a trust policy that names an IAM user or role that does not exist (or a group,
// which is never a principal): MalformedPolicyDocument `Invalid principal in policy: "AWS":"ARN"`,
// as AWS answers CreateRole and UpdateAssumeRolePolicy (IAM stores the principal's unique id, so it
// must exist). Other accounts are checked the same way when this Sesame holds them; ARNs of
// accounts it does not hold are left as written.
import type { Db } from './entities.js';
import { findRole, findUser } from './entities.js';
import { malformedPolicy } from './errors.js';

const ENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|role|group)((?:\/[^/]+)*\/)([^/]+)$/;

/** The `Principal.AWS` values of every statement of an (already validated) trust policy. */
function awsPrincipals(text: string): string[] {
  const doc = JSON.parse(text) as { Statement?: unknown };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const out: string[] = [];
  for (const s of statements) {
    const principal = (s as { Principal?: unknown } | null)?.Principal;
    if (principal === null || typeof principal !== 'object') continue;
    const aws = (principal as { AWS?: unknown }).AWS;
    for (const v of Array.isArray(aws) ? aws : [aws]) if (typeof v === 'string') out.push(v);
  }
  return out;
}

export async function requireExistingPrincipals(db: Db, trustPolicy: string): Promise<void> {
  for (const value of awsPrincipals(trustPolicy)) {
    const m = ENTITY_ARN.exec(value);
    if (!m || value.includes('*') || value.includes('?')) continue;
    const [, accountId, kind, path, name] = m as unknown as [string, string, string, string, string];
    const invalid = () => malformedPolicy(`Invalid principal in policy: "AWS":"${value}"`);
    if (kind === 'group') throw invalid();
    const known = await db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst();
    if (!known) continue;
    const entity =
      kind === 'user' ? await findUser(db, accountId, name) : await findRole(db, accountId, name);
    // The ARN must name the entity exactly: same case, same path.
    if (!entity || entity.name !== name || entity.path !== path) throw invalid();
  }
}
