// Mutation testing of the statechart, the /token and /logout services, the session storage and the API client:
// `npm run test:mutation`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    'src/machine/**/*.ts',
    'src/services/**/*.ts',
    'src/session/**/*.ts',
    'src/client/**/*.ts',
    'src/create-etna-auth-machine.ts',
  ],
  coverageAnalysis: 'perTest',
  // A mutant run only while modules load (a default number, a constant table) cannot be switched on per test:
  // reported as ignored instead of rerunning the whole suite for each. The chart's states are built per machine.
  ignoreStatic: true,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: 85 },
  concurrency: 2,
  timeoutMS: 20_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
