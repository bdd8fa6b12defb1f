// "Last used" of access keys (GetAccessKeyLastUsed) and roles (RoleLastUsed), recorded by the
// authentication path after a signature checks out. Throttled in memory so that a busy key costs
// one write a minute, not one per request; last-used data is advisory (AWS's is hours behind too).
import type { Store } from '../store/database.js';

const THROTTLE_MS = 60_000;
const recent = new WeakMap<object, Map<string, { at: number; what: string }>>();

export async function recordAccessKeyUse(
  store: Store,
  accessKeyId: string,
  service: string,
  region: string,
  now: Date,
): Promise<void> {
  let seen = recent.get(store.key);
  if (!seen) recent.set(store.key, (seen = new Map()));
  const what = `${service}/${region}`;
  const last = seen.get(accessKeyId);
  if (last && last.what === what && now.getTime() - last.at < THROTTLE_MS) return;
  seen.set(accessKeyId, { at: now.getTime(), what });
  if (seen.size > 50_000) seen.delete(seen.keys().next().value as string);

  if (accessKeyId.startsWith('ASIA')) {
    const s = await store.db
      .selectFrom('iam_sessions')
      .select('role_id')
      .where('access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    if (s?.role_id)
      await store.db
        .updateTable('iam_roles')
        .set({ last_used_at: now.getTime(), last_used_region: region })
        .where('role_id', '=', s.role_id)
        .execute();
    return;
  }
  await store.db
    .updateTable('iam_access_keys')
    .set({ last_used_at: now.getTime(), last_used_service: service, last_used_region: region })
    .where('access_key_id', '=', accessKeyId)
    .execute();
}
