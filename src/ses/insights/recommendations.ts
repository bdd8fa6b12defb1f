// The account's recommendations as ListRecommendations reports them: each finding keeps when it was
// first seen; one no longer found turns FIXED and is listed for 30 days more (as the advisor keeps
// resolved recommendations). Findings are computed on each call, then reconciled with the store.
import type { Store } from '../../store/database.js';
import type { SesRecommendationRow } from '../../store/schema/lists.js';
import type { Finding } from './findings.js';

const FIXED_KEPT_MS = 30 * 24 * 60 * 60 * 1000;
const keyOf = (f: { resource_arn: string; type: string; code: string }) =>
  `${f.resource_arn}\n${f.type}\n${f.code}`;

export async function reconcileRecommendations(
  store: Store,
  accountId: string,
  region: string,
  findings: readonly Finding[],
  now: Date,
): Promise<SesRecommendationRow[]> {
  return store.db.transaction().execute(async (trx) => {
    const stored = await trx
      .selectFrom('ses_recommendations')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .execute();
    const byKey = new Map(stored.map((r) => [keyOf(r), r]));
    const found = new Map(
      findings.map((f) => [keyOf({ resource_arn: f.resourceArn, type: f.type, code: f.code }), f]),
    );
    const t = now.getTime();
    const where = (r: SesRecommendationRow) =>
      trx
        .updateTable('ses_recommendations')
        .where('account_id', '=', accountId)
        .where('region', '=', region)
        .where('resource_arn', '=', r.resource_arn)
        .where('type', '=', r.type)
        .where('code', '=', r.code);
    for (const [key, f] of found) {
      const r = byKey.get(key);
      if (!r) {
        const row: SesRecommendationRow = {
          account_id: accountId,
          region,
          resource_arn: f.resourceArn,
          type: f.type,
          code: f.code,
          description: f.description,
          impact: f.impact,
          status: 'OPEN',
          created_at: t,
          updated_at: t,
        };
        await trx
          .insertInto('ses_recommendations')
          .values(row)
          .onConflict((oc) => oc.doNothing())
          .execute();
        byKey.set(key, row);
      } else if (r.status !== 'OPEN' || r.description !== f.description || r.impact !== f.impact) {
        await where(r)
          .set({ status: 'OPEN', description: f.description, impact: f.impact, updated_at: t })
          .execute();
        Object.assign(r, { status: 'OPEN', description: f.description, impact: f.impact, updated_at: t });
      }
    }
    for (const [key, r] of byKey) {
      if (found.has(key)) continue;
      if (r.status === 'OPEN') {
        await where(r).set({ status: 'FIXED', updated_at: t }).execute();
        Object.assign(r, { status: 'FIXED', updated_at: t });
      } else if (t - Number(r.updated_at) > FIXED_KEPT_MS) {
        await trx
          .deleteFrom('ses_recommendations')
          .where('account_id', '=', accountId)
          .where('region', '=', region)
          .where('resource_arn', '=', r.resource_arn)
          .where('type', '=', r.type)
          .where('code', '=', r.code)
          .execute();
        byKey.delete(key);
      }
    }
    return [...byKey.values()];
  });
}
