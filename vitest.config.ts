import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    reporters: ['default'],
    projects: [
      // The package's own suite; `extends: true` gives it the options above.
      { extends: true, test: { name: 'etna-auth', include: ['test/**/*.test.ts'] } },
      // The framework examples, each with its own environment and plugins: one `npm test` runs them all.
      'examples/*/vitest.config.ts',
    ],
  },
});
