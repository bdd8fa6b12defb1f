// The event-publishing tables (migration 0007_event_publishing) as part of the store's database.
import type { Kysely } from 'kysely';
import type { Store } from '../../store/database.js';
import type { Database } from '../../store/schema.js';

export type PublishingDb = Kysely<Database>;

export const pdb = (store: Store): PublishingDb => store.db;
