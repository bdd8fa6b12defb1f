// Stored receipt rule sets and the active one, per account and region. A rule set's rules are one
// JSON document, so every edit (create, update, delete, move a rule; reorder) is a read-modify-write
// of one row, done under that row's lock (FOR UPDATE on PostgreSQL; SQLite serialises writers).
import type { Kysely } from 'kysely';
import type { Store } from '../../store/database.js';
import type { Database } from '../../store/schema.js';
import { invalidateSendState } from '../state/invalidate.js';
import { RECEIPT_LIMITS } from './errors.js';
import type { ReceiptRule, ReceiptRuleSet } from './types.js';

interface Scope {
  accountId: string;
  region: string;
}

function toRuleSet(row: { name: string; rules: string; created_at: number }): ReceiptRuleSet {
  return {
    name: row.name,
    createdAt: new Date(Number(row.created_at)),
    rules: JSON.parse(row.rules) as ReceiptRule[],
  };
}

export async function getRuleSet(store: Store, s: Scope, name: string): Promise<ReceiptRuleSet | undefined> {
  const row = await store.db
    .selectFrom('ses_receipt_rule_sets')
    .select(['name', 'rules', 'created_at'])
    .where('account_id', '=', s.accountId)
    .where('region', '=', s.region)
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? toRuleSet(row) : undefined;
}

/** Rule sets by name, after `after`, at most `limit`. */
export async function listRuleSets(
  store: Store,
  s: Scope,
  o: { after?: string; limit: number },
): Promise<{ name: string; createdAt: Date }[]> {
  let q = store.db
    .selectFrom('ses_receipt_rule_sets')
    .select(['name', 'created_at'])
    .where('account_id', '=', s.accountId)
    .where('region', '=', s.region);
  if (o.after !== undefined) q = q.where('name', '>', o.after);
  const rows = await q.orderBy('name').limit(o.limit).execute();
  return rows.map((r) => ({ name: r.name, createdAt: new Date(Number(r.created_at)) }));
}

/** Creates a rule set (empty, or with the rules of a clone). */
export async function insertRuleSet(
  store: Store,
  s: Scope,
  name: string,
  rules: ReceiptRule[],
  now: Date,
): Promise<'created' | 'exists' | 'limit'> {
  const outcome = await store.db
    .transaction()
    .execute(async (trx) => {
      const count = await trx
        .selectFrom('ses_receipt_rule_sets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', s.accountId)
        .where('region', '=', s.region)
        .executeTakeFirstOrThrow();
      const res = await trx
        .insertInto('ses_receipt_rule_sets')
        .values({
          account_id: s.accountId,
          region: s.region,
          name,
          rules: JSON.stringify(rules),
          created_at: now.getTime(),
        })
        .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doNothing())
        .executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return 'exists' as const;
      if (Number(count.n) >= RECEIPT_LIMITS.ruleSets) throw new LimitReached();
      return 'created' as const;
    })
    .catch((e: unknown) => {
      if (e instanceof LimitReached) return 'limit' as const;
      throw e;
    });
  if (outcome === 'created') await invalidateSendState(store, s.accountId);
  return outcome;
}

class LimitReached extends Error {}

export async function activeRuleSetName(store: Store, s: Scope): Promise<string | undefined> {
  const row = await store.db
    .selectFrom('ses_receipt_active')
    .select('rule_set')
    .where('account_id', '=', s.accountId)
    .where('region', '=', s.region)
    .executeTakeFirst();
  return row?.rule_set;
}

/** Deletes a rule set and its rules; the active one cannot be deleted. */
export async function deleteRuleSet(
  store: Store,
  s: Scope,
  name: string,
): Promise<'deleted' | 'active' | 'missing'> {
  const outcome = await store.db.transaction().execute(async (trx) => {
    const tx = { ...store, db: trx };
    if ((await activeRuleSetName(tx, s)) === name) return 'active' as const;
    const res = await trx
      .deleteFrom('ses_receipt_rule_sets')
      .where('account_id', '=', s.accountId)
      .where('region', '=', s.region)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0 ? ('deleted' as const) : ('missing' as const);
  });
  if (outcome === 'deleted') await invalidateSendState(store, s.accountId);
  return outcome;
}

/** Makes `name` the active rule set, or deactivates receiving (undefined); false if it does not exist. */
export async function setActiveRuleSet(store: Store, s: Scope, name: string | undefined): Promise<boolean> {
  const ok = await store.db.transaction().execute(async (trx) => {
    // A rule set that does not exist changes nothing (the active one stays active).
    if (name !== undefined && !(await lockRuleSet(trx, store.dialect, s, name))) return false;
    await trx
      .deleteFrom('ses_receipt_active')
      .where('account_id', '=', s.accountId)
      .where('region', '=', s.region)
      .execute();
    if (name === undefined) return true;
    await trx
      .insertInto('ses_receipt_active')
      .values({ account_id: s.accountId, region: s.region, rule_set: name })
      .execute();
    return true;
  });
  if (ok) await invalidateSendState(store, s.accountId);
  return ok;
}

function lockRuleSet(trx: Kysely<Database>, dialect: Store['dialect'], s: Scope, name: string) {
  const q = trx
    .selectFrom('ses_receipt_rule_sets')
    .select(['name', 'rules', 'created_at'])
    .where('account_id', '=', s.accountId)
    .where('region', '=', s.region)
    .where('name', '=', name);
  return (dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
}

/**
 * Rewrites a rule set's rules under its row lock: `edit` gets the current rules and returns the new
 * ones (or throws, and nothing changes). Resolves false when the rule set does not exist.
 */
export async function editRules(
  store: Store,
  s: Scope,
  name: string,
  edit: (rules: ReceiptRule[]) => ReceiptRule[],
): Promise<boolean> {
  const ok = await store.db.transaction().execute(async (trx) => {
    const row = await lockRuleSet(trx, store.dialect, s, name);
    if (!row) return false;
    const rules = edit(JSON.parse(row.rules) as ReceiptRule[]);
    await trx
      .updateTable('ses_receipt_rule_sets')
      .set({ rules: JSON.stringify(rules) })
      .where('account_id', '=', s.accountId)
      .where('region', '=', s.region)
      .where('name', '=', name)
      .execute();
    return true;
  });
  if (ok) await invalidateSendState(store, s.accountId);
  return ok;
}
