// The callers of recorded calls, as they are now: each principal ARN of the audit log resolved
// again through iam/principals.ts (the live path's resolution), cached for one replay. A role
// session still in the store keeps its session policies; an expired one is the role alone.
import type { DecidingCaller } from '../authz/index.js';
import { roleSessionCaller, rootCaller, userCaller } from '../iam/principals.js';
import type { Store } from '../store/database.js';
import type { IamSessionRow } from '../store/schema/iam.js';

const ROOT = /^arn:aws:iam::(\d{12}):root$/;
const USER = /^arn:aws:iam::(\d{12}):user(\/(?:[^/]+\/)*)([^/]+)$/;
const SESSION = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;

async function resolve(
  store: Store,
  principalArn: string,
  accessKeyId: string,
): Promise<DecidingCaller | undefined> {
  const db = store.db;
  let m = ROOT.exec(principalArn);
  if (m) return rootCaller(m[1]!, accessKeyId);
  m = USER.exec(principalArn);
  if (m) {
    const user = await db
      .selectFrom('iam_users')
      .selectAll()
      .where('account_id', '=', m[1]!)
      .where('name_lower', '=', m[3]!.toLowerCase())
      .executeTakeFirst();
    // A user deleted (or re-created elsewhere in the tree) since: nothing to decide for.
    if (!user || user.path !== m[2]) return undefined;
    return userCaller(db, user, accessKeyId, false);
  }
  m = SESSION.exec(principalArn);
  if (m) {
    const role = await db
      .selectFrom('iam_roles')
      .selectAll()
      .where('account_id', '=', m[1]!)
      .where('name_lower', '=', m[2]!.toLowerCase())
      .executeTakeFirst();
    if (!role) return undefined;
    const stored = await db
      .selectFrom('iam_sessions')
      .selectAll()
      .where('access_key_id', '=', accessKeyId)
      .where('role_id', '=', role.role_id)
      .executeTakeFirst();
    // Gone from the store: the role's own policies, without session policies or session tags.
    const session =
      stored ??
      ({
        access_key_id: accessKeyId,
        session_name: m[3]!,
        session_policy: null,
        session_policy_arns: null,
        session_tags: '[]',
      } as Pick<
        IamSessionRow,
        'access_key_id' | 'session_name' | 'session_policy' | 'session_policy_arns' | 'session_tags'
      > as IamSessionRow);
    return roleSessionCaller(db, role, session);
  }
  return undefined; // federated users and anonymous callers are not replayed
}

export type CallerLookup = (
  principalArn: string,
  accessKeyId: string | null,
) => Promise<DecidingCaller | undefined>;

export function replayCallers(store: Store): CallerLookup {
  const cache = new Map<string, Promise<DecidingCaller | undefined>>();
  return (principalArn, accessKeyId) => {
    // Users and roots are the same for every key; a session's policies are its own.
    const key = principalArn.startsWith('arn:aws:sts::')
      ? `${principalArn}\u0000${accessKeyId ?? ''}`
      : principalArn;
    let hit = cache.get(key);
    if (!hit) cache.set(key, (hit = resolve(store, principalArn, accessKeyId ?? '')));
    return hit;
  };
}
