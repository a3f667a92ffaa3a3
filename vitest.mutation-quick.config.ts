import { defineConfig } from 'vitest/config';

// The quick mutation suite (`npm run test:mutation:quick`): the unit tests of the library's code and the model
// tests that run in-process, none of the HTTP files. Its score is a lower bound of the whole run's: a mutant that
// only an HTTP test kills counts here as a survivor. It finishes in minutes where the whole run takes hours.
export default defineConfig({
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/model/model-paths.test.ts',
      'test/model/user-commands.test.ts',
      'test/model/properties.test.ts',
      'test/model/can-contract.test.ts',
      'test/model/secrets-held.test.ts',
    ],
    // The fake server's own tests mutate nothing Stryker mutates.
    exclude: ['test/unit/testing/**'],
    testTimeout: 30_000,
  },
});
