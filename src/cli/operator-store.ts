// Operator commands work on the store directly (the data folder or SESAME_DATABASE_URL), so they
// run whether or not a server is up; SQLite's WAL lets both share the file.
import { loadConfig, type Config } from '../config/config.js';
import { openStore, type Store } from '../store/database.js';
import { createSecretBox, loadOrCreateMasterKey, type SecretBox } from '../store/secret-box.js';

export async function withOperatorStore<T>(
  fn: (s: { store: Store; box: SecretBox; config: Config }) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    return await fn({
      store,
      box: createSecretBox(loadOrCreateMasterKey(config.dataDir, config.masterKey)),
      config,
    });
  } finally {
    await store.close();
  }
}
