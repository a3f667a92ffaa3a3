import { defineConfig } from 'vitest/config';
import { IN_PROCESS_TESTS } from './vitest.mutation.config.js';

// The quick mutation suite (`npm run test:mutation:quick`): the unit tests of the library's code and the model
// tests that run in-process, none of the HTTP files. Its score is a lower bound of the whole run's: a mutant that
// only an HTTP test kills counts here as a survivor. About an hour here, where the whole run takes many.
export default defineConfig({
  test: {
    include: IN_PROCESS_TESTS,
    // The fake server's own tests mutate nothing Stryker mutates.
    exclude: ['test/unit/testing/**'],
    testTimeout: 30_000,
  },
});
