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
 * Returns what was not covered.
 */
export function expectAllButRestoringCovered(
  report: ModelPathsReport,
  generated: readonly ModelPath[],
): readonly string[] {
  const restoring = generated.filter((path) => path.start === 'restoring');
  const others = generated.filter((path) => path.start !== 'restoring');
  expect(restoring.length, 'paths of a storage read later').toBeGreaterThan(0);
  expect(report.skipped).toEqual(
    restoring.map((path) => ({ description: path.description, reason: BROWSER_SKIP_REASON })),
  );
  expect(described(report.passed)).toEqual(described(others));
  expect(report.failed).toEqual([]);

  expect(measureCoverage(generated).missing, 'what the generated paths cover').toEqual([]);
  return expectOnlyRestoringMissing(report.coverage, restoring);
}

/** The line printed under the kit's summary: what the paths run did not cover, all of it the skipped paths'. */
export const notCoveredLine = (missing: readonly string[]) =>
  `not covered, reached only by the skipped paths (a storage read later): ${missing.join('; ') || 'nothing'}`;

/** The kinds of coverage, as the printed lines count them (state nodes, transitions, targets). */
const KINDS = ['stateNodes', 'transitions', 'targets'] as const;

/**
 * What `coverage` (of the paths run) misses is exactly what the `skipped` paths, and no path run, cover: the
 * `restoring` state, its ways out once the storage answers, and the storage's answers. Each printed line's X/Y is
 * checked as Y minus what only those paths cover. Returns what is not covered, for the printout.
 */
export function expectOnlyRestoringMissing(
  coverage: ModelCoverage,
  skipped: readonly ModelPath[],
): readonly string[] {
  const { covered } = measureCoverage(skipped);
  const onlySkipped = Object.fromEntries(
    KINDS.map((kind) => [kind, [...covered[kind]].filter((name) => !coverage.covered[kind].has(name))]),
  ) as Record<(typeof KINDS)[number], string[]>;
  for (const kind of KINDS)
    expect(
      coverage.covered[kind].size,
      `${kind} covered: all ${coverage[kind].length} but the ${onlySkipped[kind].length} only the skipped paths reach`,
    ).toBe(coverage[kind].length - onlySkipped[kind].length);
  expect([...coverage.missing].sort(), 'not covered: only what the skipped paths cover').toEqual(
    KINDS.flatMap((kind) => onlySkipped[kind]).sort(),
  );
  // What that is: the state itself, its ways out once the storage answers, and the storage's answers.
  expect(onlySkipped.stateNodes).toEqual(['etnaAuth.restoring']);
  for (const name of coverage.missing)
    expect(name, 'a part of restoring').toMatch(/restoring|^event server: storage: /);
  return coverage.missing;
}
