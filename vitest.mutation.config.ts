import { defineConfig } from 'vitest/config';

/** The tests that run in-process: every unit test (a new one joins the mutation runs by being there), the Node model paths. */
export const IN_PROCESS_TESTS = [
  'test/unit/**/*.test.ts',
  'test/model/model-paths.test.ts',
  'test/model/user-commands.test.ts',
  'test/model/properties.test.ts',
  'test/model/statechart-doc.test.ts',
  'test/model/can-contract.test.ts',
  'test/model/secrets-held.test.ts',
];

// The suite Stryker runs against each mutant: the fast, deterministic tests of the library's code.
// The 10 000-case fuzz, the child-process and browser tests stay out: they add minutes, not kills.
export default defineConfig({
  test: {
    include: [
      ...IN_PROCESS_TESTS,
      'test/http/protocol.test.ts',
      'test/http/cancel-timeout.test.ts',
      'test/http/secrets.test.ts',
      'test/http/inspector.test.ts',
      'test/http/round-trips.test.ts',
      'test/http/after-login.test.ts',
    ],
    testTimeout: 30_000,
  },
});
