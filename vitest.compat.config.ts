// `npm run test:compat`: Sesame against other projects' own test suites (moto's SES and SES v2 tests
// in server mode). They need those projects' sources, which CI cannot fetch, so they are not part
// of `npm test`; run here, a missing input fails instead of skipping.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/compat/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 300_000,
    hookTimeout: 60_000,
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default'],
  },
});
