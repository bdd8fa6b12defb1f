// Runs once before all test files. When the suite runs against PostgreSQL (SESAME_TEST_DB=postgres
// or both), a private cluster is started here and its URL handed to the test files.
export default async function setup(): Promise<() => Promise<void>> {
  const teardowns: (() => Promise<void>)[] = [];
  if (process.env.SESAME_TEST_POSTGRES !== '0') {
    try {
      const { startPrivatePostgres } = await import('./postgres.js');
      const pg = await startPrivatePostgres();
      process.env.SESAME_TEST_DATABASE_URL = pg.url;
      teardowns.push(pg.stop);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    }
  }
  return async () => {
    for (const t of teardowns.reverse()) await t();
  };
}
