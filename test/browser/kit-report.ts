// What a run of the testing kit's browser flavour must report: every path run and passed but those of a storage
// that answers later (`restoring`), skipped with the kit's reason, and the whole machine covered but for what only
// those paths reach. Shared by the demo's and the React example's browser runs.
import { expect } from 'vitest';
import {
  type ModelCoverage,
  type ModelPath,
  type ModelPathsReport,
  measureCoverage,
} from '../../src/testing/index.js';

/** Why the browser flavour skips a path of a storage read later, as the kit says it. */
export const BROWSER_SKIP_REASON =
  "a page's storage answers at once: runModelPaths (Node) runs the paths of a storage read later";

const described = (paths: readonly { readonly description: string }[]) =>
  paths.map((path) => path.description);

/**
 * `report` (of `runModelPathsInBrowser` over `generated`, the paths of the default `maxSteps`) skipped exactly the `restoring` paths, with the kit's
 * reason, and passed every other one; what it did not cover is exactly what the skipped paths, and no other, cover
 * (the `restoring` state, its ways out and the storage's answers); and `generated` as a whole covers everything.
 */
export function expectAllButRestoringCovered(
  report: ModelPathsReport,
  generated: readonly ModelPath[],
): void {
  const restoring = generated.filter((path) => path.start === 'restoring');
  const others = generated.filter((path) => path.start !== 'restoring');
  expect(restoring.length, 'paths of a storage read later').toBeGreaterThan(0);
  expect(report.skipped).toEqual(
    restoring.map((path) => ({ description: path.description, reason: BROWSER_SKIP_REASON })),
  );
  expect(described(report.passed)).toEqual(described(others));
  expect(report.failed).toEqual([]);

  expect(measureCoverage(generated).missing, 'what the generated paths cover').toEqual([]);
  expectOnlyRestoringMissing(report.coverage, restoring);
}

/**
 * What `coverage` (of the paths run) misses is exactly what the `skipped` paths, and no path run, cover: the
 * `restoring` state, its ways out once the storage answers, and the storage's answers.
 */
export function expectOnlyRestoringMissing(coverage: ModelCoverage, skipped: readonly ModelPath[]): void {
  const { covered } = measureCoverage(skipped);
  const { stateNodes, transitions, targets } = coverage.covered;
  const onlySkipped = [
    ...[...covered.stateNodes].filter((name) => !stateNodes.has(name)),
    ...[...covered.transitions].filter((name) => !transitions.has(name)),
    ...[...covered.targets].filter((name) => !targets.has(name)),
  ];
  expect([...coverage.missing].sort(), 'not covered: only what the skipped paths cover').toEqual(
    onlySkipped.sort(),
  );
  expect(coverage.missing).toContain('etnaAuth.restoring');
  for (const name of coverage.missing)
    expect(name, 'a part of restoring').toMatch(/restoring|^event server: storage: /);
}
