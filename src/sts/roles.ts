// The role an AssumeRole call names, found by its ARN in any account served here (cross-account
// assumption). A role that does not exist is not revealed: the caller gets AccessDenied.
import type { Db } from '../iam/entities.js';
import type { IamRoleRow } from '../store/schema/iam.js';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role(\/(?:[^/]+\/)*)([^/]+)$/;

export interface RoleArnParts {
  accountId: string;
  path: string;
  name: string;
}

export function parseRoleArn(arn: string): RoleArnParts | undefined {
  const m = ROLE_ARN.exec(arn);
  return m ? { accountId: m[1]!, path: m[2]!, name: m[3]! } : undefined;
}

/** The role named by `arn` (names compare case-insensitively, paths exactly); undefined otherwise. */
export async function findRoleByArn(db: Db, arn: string): Promise<IamRoleRow | undefined> {
  const parts = parseRoleArn(arn);
  if (!parts) return undefined;
  const role = await db
    .selectFrom('iam_roles')
    .selectAll()
    .where('account_id', '=', parts.accountId)
    .where('name_lower', '=', parts.name.toLowerCase())
    .executeTakeFirst();
  return role && role.path === parts.path ? role : undefined;
}
