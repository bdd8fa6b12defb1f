// Typed access to the delivery tables. Until the lead registers 0005_delivery in the schema and
// migration list, the store's Kysely type does not know them; this view adds them.
import type { Kysely } from 'kysely';
import type { Store } from '../store/database.js';
import type { Database } from '../store/schema.js';
import type { DeliveryTables } from '../store/schema/delivery.js';
import { deliveryMigration } from '../store/migrations/0005_delivery.js';

export type DeliveryDb = Kysely<Database & DeliveryTables>;

export const ddb = (store: Store): DeliveryDb => store.db as unknown as DeliveryDb;

/** Runs 0005_delivery unless the store already has its tables (once it is registered, it does). */
export async function ensureDeliverySchema(store: Store): Promise<void> {
  try {
    await ddb(store).selectFrom('delivery_events').select('event_id').limit(1).execute();
  } catch {
    await deliveryMigration.up(store.db, store.dialect);
  }
}

/** A store view whose queries run inside `trx`. */
export const inTransaction = (store: Store, trx: Kysely<Database>): Store => ({ ...store, db: trx });
