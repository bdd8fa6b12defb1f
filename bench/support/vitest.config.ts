// The benchmark harness's own tests (the root config only collects src/ and test/):
//   npx vitest run --config bench/support/vitest.config.ts
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['bench/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
  },
});
