import { defineConfig } from 'vitest/config';

/**
 * `npm run test:package`: the pack-and-install test (test/package.test.ts), apart from `npm test`
 * because it builds the package and installs it into a temporary app.
 */
export default defineConfig({
  test: {
    include: ['test/package*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
