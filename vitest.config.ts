import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take minutes (each plays every model path in Chromium, or thousands of fuzzed answers), longest
 * first: started first, they run beside the many short files instead of after them (a fresh clone has no timings
 * cached for Vitest's own order, which would put the examples' project last).
 */
const LONG_FILES = [
  'examples/react/test/model-paths.browser.test.ts',
  'test/browser/demo-model-kit.test.ts',
  'test/browser/demo-bff.test.ts',
  'test/browser/model-paths.test.ts',
  'test/http/fuzz-answers.test.ts',
  'test/http/secrets.test.ts',
  'test/http/journey-secrets.test.ts',
  'examples/react/test/etna-login.test.tsx',
  'examples/react/test/model-paths.jsdom.test.tsx',
  'test/cli/etna-auth.test.ts',
];

class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = LONG_FILES.findIndex((long) => file.moduleId.endsWith(long));
      return index === -1 ? LONG_FILES.length : index;
    };
    // Array.prototype.sort is stable: the other files keep Vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    testTimeout: 20_000,
    // Four test files at a time on a 2-core machine: most of the suite waits on sockets, child processes and
    // Chromium (a run used two thirds of the CPU with four); the tests wait for conditions, never for fixed delays,
    // and pass under load.
    maxWorkers: 4,
    sequence: { sequencer: LongFilesFirst },
    reporters: ['default'],
    projects: [
      // The package's own suite; `extends: true` gives it the options above.
      { extends: true, test: { name: 'etna-auth', include: ['test/**/*.test.ts'] } },
      // The framework examples, each with its own environment and plugins: one `npm test` runs them all.
      'examples/*/vitest.config.ts',
    ],
  },
});
