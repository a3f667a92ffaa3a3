import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest (every model path through a page in Chromium), longest first. Started first, they
 * run beside the many short files instead of after them: a fresh clone has no timings for vitest to sort by, and
 * it would start these small files last.
 */
const LONGEST_FIRST = [
  'examples/react/test/model-paths.browser.test.ts',
  'test/browser/demo-bff.test.ts',
  'test/browser/demo-model-kit.test.ts',
  'test/browser/model-paths.test.ts',
  'test/http/secrets.test.ts',
  'test/http/fuzz-answers.test.ts',
  'test/cli/model-paths.test.ts',
  'test/http/journey-secrets.test.ts',
  'test/cli/etna-auth.test.ts',
  'examples/react/test/model-paths.jsdom.test.tsx',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const at = LONGEST_FIRST.findIndex((path) => spec.moduleId.endsWith(`/${path}`));
      return at < 0 ? LONGEST_FIRST.length : at;
    };
    const sorted = await super.sort(files);
    return sorted
      .map((spec, order) => ({ spec, order, rank: rank(spec) }))
      .sort((a, b) => a.rank - b.rank || a.order - b.order)
      .map(({ spec }) => spec);
  }
}

export default defineConfig({
  test: {
    // A bound for a test that hangs, not a speed target: a shared 2-core machine under load runs the browser tests
    // several times slower than a quiet one, and every wait in them ends as soon as its condition holds.
    testTimeout: 60_000,
    // Two test files at a time: most of the suite waits on sockets, child processes and Chromium, so two share
    // a 2-core machine well (the suite's tests wait for conditions, never for fixed delays, and pass under load).
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    reporters: ['default'],
    projects: [
      // The package's own suite; `extends: true` gives it the options above.
      { extends: true, test: { name: 'etna-auth', include: ['test/**/*.test.ts'] } },
      // The framework examples, each with its own environment and plugins: one `npm test` runs them all.
      'examples/*/vitest.config.ts',
    ],
  },
});
