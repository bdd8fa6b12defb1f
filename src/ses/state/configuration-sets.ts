// Configuration sets and their event destinations (stored only; delivery of events comes later).
import type { Store } from '../../store/database.js';
import type { SesConfigurationSetRow } from '../../store/schema/ses.js';
import { readJson, type Tag } from './json.js';
import type { EventDestinationDefinition } from './event-destinations.js';
import { configurationSetArn } from './arn.js';
import { dropResourceAssociations } from './tenants.js';

export const MAX_EVENT_DESTINATIONS = 10;

export interface ConfigurationSet {
  name: string;
  sendingEnabled: boolean;
  reputationMetricsEnabled: boolean;
  lastFreshStart?: Date;
  /** v2 shapes (v1 maps them): TrackingOptions, DeliveryOptions, SuppressionOptions, ... */
  trackingOptions?: { CustomRedirectDomain: string; HttpsPolicy?: string };
  deliveryOptions?: { TlsPolicy?: string; SendingPoolName?: string; MaxDeliverySeconds?: number };
  suppressionOptions?: { SuppressedReasons?: string[]; ValidationOptions?: unknown };
  vdmOptions?: Record<string, unknown>;
  archivingOptions?: { ArchiveArn?: string };
  tags: Tag[];
  createdAt: Date;
}

function toConfigurationSet(row: SesConfigurationSetRow): ConfigurationSet {
  const cs: ConfigurationSet = {
    name: row.name,
    sendingEnabled: row.sending_enabled === 1,
    reputationMetricsEnabled: row.reputation_metrics_enabled === 1,
    tags: readJson<Tag[]>(row.tags, []),
    createdAt: new Date(Number(row.created_at)),
  };
  if (row.last_fresh_start !== null) cs.lastFreshStart = new Date(Number(row.last_fresh_start));
  if (row.tracking_options) cs.trackingOptions = readJson(row.tracking_options, { CustomRedirectDomain: '' });
  if (row.delivery_options) cs.deliveryOptions = readJson(row.delivery_options, {});
  if (row.suppression_options) cs.suppressionOptions = readJson(row.suppression_options, {});
  if (row.vdm_options) cs.vdmOptions = readJson(row.vdm_options, {});
  if (row.archiving_options) cs.archivingOptions = readJson(row.archiving_options, {});
  return cs;
}

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

export async function getConfigurationSet(
  store: Store,
  accountId: string,
  region: string,
  name: string,
): Promise<ConfigurationSet | undefined> {
  const row = await store.db
    .selectFrom('ses_configuration_sets')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? toConfigurationSet(row) : undefined;
}

export type ConfigurationSetOptions = Partial<Omit<ConfigurationSet, 'name' | 'tags' | 'createdAt'>>;

/** True when created; false when the name is taken. */
export async function insertConfigurationSet(
  store: Store,
  accountId: string,
  region: string,
  name: string,
  options: ConfigurationSetOptions,
  tags: Tag[],
  now: Date,
): Promise<boolean> {
  const res = await store.db
    .insertInto('ses_configuration_sets')
    .values({
      account_id: accountId,
      region,
      name,
      sending_enabled: options.sendingEnabled === false ? 0 : 1,
      reputation_metrics_enabled: options.reputationMetricsEnabled ? 1 : 0,
      last_fresh_start: options.lastFreshStart ? options.lastFreshStart.getTime() : null,
      tracking_options: json(options.trackingOptions),
      delivery_options: json(options.deliveryOptions),
      suppression_options: json(options.suppressionOptions),
      vdm_options: json(options.vdmOptions),
      archiving_options: json(options.archivingOptions),
      tags: JSON.stringify(tags),
      created_at: now.getTime(),
    })
    .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Sets the given options (undefined leaves one as is, null clears it); false when absent. */
export async function updateConfigurationSet(
  store: Store,
  accountId: string,
  region: string,
  name: string,
  patch: { [K in keyof ConfigurationSetOptions]?: ConfigurationSetOptions[K] | null },
): Promise<boolean> {
  const set: Partial<SesConfigurationSetRow> = {};
  if (patch.sendingEnabled !== undefined) set.sending_enabled = patch.sendingEnabled ? 1 : 0;
  if (patch.reputationMetricsEnabled !== undefined)
    set.reputation_metrics_enabled = patch.reputationMetricsEnabled ? 1 : 0;
  if (patch.lastFreshStart !== undefined)
    set.last_fresh_start = patch.lastFreshStart ? patch.lastFreshStart.getTime() : null;
  if (patch.trackingOptions !== undefined) set.tracking_options = json(patch.trackingOptions);
  if (patch.deliveryOptions !== undefined) set.delivery_options = json(patch.deliveryOptions);
  if (patch.suppressionOptions !== undefined) set.suppression_options = json(patch.suppressionOptions);
  if (patch.vdmOptions !== undefined) set.vdm_options = json(patch.vdmOptions);
  if (patch.archivingOptions !== undefined) set.archiving_options = json(patch.archivingOptions);
  if (Object.keys(set).length === 0)
    return (await getConfigurationSet(store, accountId, region, name)) !== undefined;
  const res = await store.db
    .updateTable('ses_configuration_sets')
    .set(set)
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Deletes the set and its event destinations; false when absent. */
export async function deleteConfigurationSet(
  store: Store,
  accountId: string,
  region: string,
  name: string,
): Promise<boolean> {
  return store.db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('ses_event_destinations')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('configuration_set', '=', name)
      .execute();
    const res = await trx
      .deleteFrom('ses_configuration_sets')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .executeTakeFirst();
    // Its tenant associations go with it (the tenants stay).
    const arn = configurationSetArn(region, accountId, name);
    await dropResourceAssociations({ ...store, db: trx }, accountId, region, arn);
    return Number(res.numDeletedRows) > 0;
  });
}

export async function listConfigurationSets(
  store: Store,
  accountId: string,
  region: string,
  opts: { after?: string; limit: number },
): Promise<string[]> {
  let q = store.db
    .selectFrom('ses_configuration_sets')
    .select('name')
    .where('account_id', '=', accountId)
    .where('region', '=', region);
  if (opts.after !== undefined) q = q.where('name', '>', opts.after);
  const rows = await q.orderBy('name').limit(opts.limit).execute();
  return rows.map((r) => r.name);
}

export interface StoredEventDestination {
  name: string;
  definition: EventDestinationDefinition;
}

export async function listEventDestinations(
  store: Store,
  accountId: string,
  region: string,
  configurationSet: string,
): Promise<StoredEventDestination[]> {
  const rows = await store.db
    .selectFrom('ses_event_destinations')
    .select(['name', 'definition'])
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('configuration_set', '=', configurationSet)
    .orderBy('created_at')
    .orderBy('name')
    .execute();
  return rows.map((r) => ({
    name: r.name,
    definition: readJson<EventDestinationDefinition>(r.definition, { MatchingEventTypes: [] }),
  }));
}

export type EventDestinationWrite = 'created' | 'exists' | 'limit';

export async function insertEventDestination(
  store: Store,
  accountId: string,
  region: string,
  configurationSet: string,
  name: string,
  definition: EventDestinationDefinition,
  now: Date,
): Promise<EventDestinationWrite> {
  return store.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('ses_event_destinations')
      .select('name')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('configuration_set', '=', configurationSet)
      .execute();
    if (existing.some((e) => e.name === name)) return 'exists';
    if (existing.length >= MAX_EVENT_DESTINATIONS) return 'limit';
    await trx
      .insertInto('ses_event_destinations')
      .values({
        account_id: accountId,
        region,
        configuration_set: configurationSet,
        name,
        definition: JSON.stringify(definition),
        created_at: now.getTime(),
      })
      .execute();
    return 'created';
  });
}

export async function updateEventDestination(
  store: Store,
  accountId: string,
  region: string,
  configurationSet: string,
  name: string,
  definition: EventDestinationDefinition,
): Promise<boolean> {
  const res = await store.db
    .updateTable('ses_event_destinations')
    .set({ definition: JSON.stringify(definition) })
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('configuration_set', '=', configurationSet)
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function deleteEventDestination(
  store: Store,
  accountId: string,
  region: string,
  configurationSet: string,
  name: string,
): Promise<boolean> {
  const res = await store.db
    .deleteFrom('ses_event_destinations')
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('configuration_set', '=', configurationSet)
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
