import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    // Two test files at a time: most of the suite waits on sockets, child processes and Chromium, so two share
    // a 2-core machine well (the suite's tests wait for conditions, never for fixed delays, and pass under load).
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      // The package's own suite; `extends: true` gives it the options above.
      { extends: true, test: { name: 'etna-auth', include: ['test/**/*.test.ts'] } },
      // The framework examples, each with its own environment and plugins: one `npm test` runs them all.
      'examples/*/vitest.config.ts',
    ],
  },
});
