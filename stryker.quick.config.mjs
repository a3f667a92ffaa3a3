// The quick mutation run (`npm run test:mutation:quick`): the same mutants as `npm run test:mutation`, against the
// in-process tests only (vitest.mutation-quick.config.ts). A lower bound of the whole run's score, in minutes.
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { configFile: 'vitest.mutation-quick.config.ts' },
  jsonReporter: { fileName: 'reports/mutation/quick.json' },
  // A lower bound: reported against the same thresholds, never failing the run on them.
  thresholds: { ...base.thresholds, break: null },
};
