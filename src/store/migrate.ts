// Numbered schema versions, applied in order at start-up (store/migrations/NNNN_*.ts).
import { Migrator, type Kysely, type Migration } from 'kysely';
import { migrations } from './migrations/index.js';
import type { Dialect } from './database.js';

// Migrations run on the database as it is at that version, not on today's typed schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const provider = {
    getMigrations: async (): Promise<Record<string, Migration>> => {
      const out: Record<string, Migration> = {};
      for (const [name, m] of Object.entries(migrations)) out[name] = { up: (d) => m.up(d, dialect) };
      return out;
    },
  };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${(error as Error).message}`);
  }
}
