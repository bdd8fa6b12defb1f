import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    // Compatibility runs against other projects' own suites need their sources (a moto git
    // snapshot), which CI cannot fetch: `npm run test:compat` runs them where they are.
    exclude: ['**/node_modules/**', 'test/compat/**'],
    // One server per test file; files run in parallel on the available cores.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default'],
  },
});
