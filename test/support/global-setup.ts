// Runs once before all test files. When the suite runs against PostgreSQL (SESAME_TEST_DB=postgres
// or both), a private cluster is started here and its URL handed to the test files.
import { enforceParts, skipLines, suiteParts } from './suite-parts.js';

export default async function setup(): Promise<() => Promise<void>> {
  // A part that cannot run is said loudly, at the start and at the end; under CI=true it fails.
  const parts = suiteParts(process.env);
  enforceParts(parts, process.env);
  const skipped = skipLines(parts);
  for (const line of skipped) process.stderr.write(`\n${line}\n`);
  const teardowns: (() => Promise<void>)[] = [
    async () => {
      for (const line of skipped) process.stderr.write(`\n${line}\n`);
    },
  ];
  // Console tests share one build; building here means parallel test files never race vite.
  // Only when the run includes them (no file filter, or a filter naming the console).
  const filters = process.argv
    .slice(2)
    .filter((a) => !a.startsWith('-') && a !== 'run' && !a.endsWith('vitest.mjs'));
  const { hasChromium, ensureConsoleBuilt } = await import('./console.js');
  if (hasChromium && (filters.length === 0 || filters.some((f) => f.includes('console'))))
    ensureConsoleBuilt();
  if (!parts.postgres.missing) {
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
