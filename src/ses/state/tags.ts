// Tags of the taggable SES resources Sesame keeps: email identities, configuration sets, templates,
// contact lists and custom verification email templates. Each row carries its tags as a JSON list in
// its `tags` column (migrations 0002, 0050, 0051), so a
// resource's tags live and die with it. Keys are case-sensitive; tagging an existing key replaces
// its value in place, new keys are appended.
import { sql } from 'kysely';
import type { Store } from '../../store/database.js';
import { invalidateSendState } from './invalidate.js';
import { readJson, type Tag } from './json.js';

export type TaggableKind =
  | 'identity'
  | 'configuration-set'
  | 'template'
  | 'dedicated-ip-pool'
  | 'tenant'
  | 'multi-region-endpoint'
  | 'deliverability-test-report'
  | 'contact-list'
  | 'custom-verification-email-template';

const TABLES: Record<TaggableKind, { table: string; name: string }> = {
  identity: { table: 'ses_identities', name: 'identity' },
  'configuration-set': { table: 'ses_configuration_sets', name: 'name' },
  template: { table: 'ses_templates', name: 'name' },
  'dedicated-ip-pool': { table: 'ses_dedicated_ip_pools', name: 'name' },
  // A tenant's ARN names it `name/tenant-id`.
  tenant: { table: 'ses_tenants', name: 'resource_name' },
  'multi-region-endpoint': { table: 'ses_multi_region_endpoints', name: 'name' },
  'deliverability-test-report': { table: 'ses_deliverability_test_reports', name: 'report_id' },
  'contact-list': { table: 'ses_contact_lists', name: 'name' },
  'custom-verification-email-template': { table: 'ses_custom_verification_templates', name: 'name' },
};

export interface TaggedResource {
  accountId: string;
  region: string;
  kind: TaggableKind;
  /** The stored name (identities normalized as ses_identities keeps them). */
  name: string;
}

type Executor = Store['db'];

async function selectTags(db: Executor, r: TaggedResource, forUpdate: boolean): Promise<Tag[] | undefined> {
  const t = TABLES[r.kind];
  const res = await sql<{ tags: string }>`select tags from ${sql.table(t.table)}
    where account_id = ${r.accountId} and region = ${r.region} and ${sql.ref(t.name)} = ${r.name}
    ${sql.raw(forUpdate ? 'for update' : '')}`.execute(db);
  const row = res.rows[0];
  return row ? readJson<Tag[]>(row.tags, []) : undefined;
}

async function writeTags(db: Executor, r: TaggedResource, tags: Tag[]): Promise<void> {
  const t = TABLES[r.kind];
  await sql`update ${sql.table(t.table)} set tags = ${JSON.stringify(tags)}
    where account_id = ${r.accountId} and region = ${r.region} and ${sql.ref(t.name)} = ${r.name}`.execute(
    db,
  );
}

/** The resource's tags in their stored order; undefined when the resource does not exist. */
export function getResourceTags(store: Store, r: TaggedResource): Promise<Tag[] | undefined> {
  return selectTags(store.db, r, false);
}

/** `existing` with `incoming` applied: replaced values stay in place, new keys come last. */
export function mergeTags(existing: readonly Tag[], incoming: readonly Tag[]): Tag[] {
  const merged = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const t of incoming) merged.set(t.Key, t.Value);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

export type TagWrite = 'tagged' | 'missing' | 'limit';

/**
 * Adds or replaces tags. 'limit' (nothing written) when the merged list would exceed `max`;
 * 'missing' when the resource does not exist. Read and write share a transaction (the row locked
 * on PostgreSQL) so concurrent TagResource calls on one resource do not lose each other's keys.
 */
export async function tagResource(
  store: Store,
  r: TaggedResource,
  tags: readonly Tag[],
  max: number,
): Promise<TagWrite> {
  const outcome = await store.db.transaction().execute(async (trx): Promise<TagWrite> => {
    const existing = await selectTags(trx, r, store.dialect === 'postgres');
    if (existing === undefined) return 'missing';
    const merged = mergeTags(existing, tags);
    if (merged.length > max) return 'limit';
    await writeTags(trx, r, merged);
    return 'tagged';
  });
  if (outcome === 'tagged') await afterWrite(store, r);
  return outcome;
}

/** Removes the given keys (absent keys are ignored); false when the resource does not exist. */
export async function untagResource(
  store: Store,
  r: TaggedResource,
  keys: readonly string[],
): Promise<boolean> {
  const found = await store.db.transaction().execute(async (trx) => {
    const existing = await selectTags(trx, r, store.dialect === 'postgres');
    if (existing === undefined) return false;
    const drop = new Set(keys);
    const kept = existing.filter((t) => !drop.has(t.Key));
    if (kept.length !== existing.length) await writeTags(trx, r, kept);
    return true;
  });
  if (found) await afterWrite(store, r);
  return found;
}

// Identity rows are read by the send path's cache (send-cache.ts): a tag change moves the account's
// generation like every other identity write, so a cached row never shows stale tags.
async function afterWrite(store: Store, r: TaggedResource): Promise<void> {
  if (r.kind === 'identity') await invalidateSendState(store, r.accountId);
}
