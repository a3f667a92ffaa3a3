import { defineConfig } from 'vitest/config';

// The suite Stryker runs against each mutant: the fast, deterministic tests of the library's code.
// The 10 000-case fuzz, the child-process and browser tests stay out: they add minutes, not kills.
export default defineConfig({
  test: {
    include: [
      'test/model-paths.test.ts',
      'test/protocol.test.ts',
      'test/parse-token-response.test.ts',
      'test/config.test.ts',
      'test/request-token.test.ts',
      'test/user-commands.test.ts',
      'test/cancel-timeout.test.ts',
      'test/properties.test.ts',
      'test/secrets.test.ts',
      'test/inspector.test.ts',
      'test/statechart-doc.test.ts',
      'test/edges.test.ts',
      'test/round-trips.test.ts',
      'test/after-login.test.ts',
      'test/after-login-units.test.ts',
    ],
    testTimeout: 30_000,
  },
});
