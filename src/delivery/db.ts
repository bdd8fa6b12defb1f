// The delivery tables (migration 0005_delivery) as part of the store's database.
import type { Kysely } from 'kysely';
import type { Store } from '../store/database.js';
import type { Database } from '../store/schema.js';

export type DeliveryDb = Kysely<Database>;

export const ddb = (store: Store): DeliveryDb => store.db;

/** A store view whose queries run inside `trx`. */
export const inTransaction = (store: Store, trx: Kysely<Database>): Store => ({ ...store, db: trx });
