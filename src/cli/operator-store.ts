// Operator commands work on the store directly (the data folder or SESAME_DATABASE_URL), so they
// run whether or not a server is up; SQLite's WAL lets both share the file. They never create a
// store by accident: run from another folder, they refuse instead of granting production access
// in a fresh empty store (`--init` creates one on purpose).
import { loadConfig, type Config } from '../config/config.js';
import { openStore, StoreMissingError, type Store } from '../store/database.js';
import { prepareDataFolder } from '../store/data-folder.js';
import { resolveMasterKey } from '../store/master-key.js';
import { createSecretBox, type SecretBox } from '../store/secret-box.js';

let init = false;

/** `--init`: the command may create the store it opens. */
export function allowStoreCreation(): void {
  init = true;
}

export async function withOperatorStore<T>(
  fn: (s: { store: Store; box: SecretBox; config: Config }) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  if (init) prepareDataFolder(config.dataDir);
  let store: Store;
  try {
    store = await openStore({
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      poolSize: 2,
      waitMs: config.databaseWaitMs,
      queryTimeoutMs: config.databaseQueryTimeoutMs,
      mustExist: !init,
    });
  } catch (e) {
    if (e instanceof StoreMissingError)
      e.message += `; run the command where \`sesame serve\` runs, set SESAME_DATA_DIR or SESAME_DATABASE_URL, or pass --init to create a new store`;
    throw e;
  }
  try {
    const box = createSecretBox(await resolveMasterKey(store, config.dataDir, config.masterKey));
    return await fn({ store, box, config });
  } finally {
    await store.close();
  }
}
