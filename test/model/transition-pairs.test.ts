// Pairs of consecutive transitions: every pair the chart allows (a transition A, then a transition B offered where A
// leads), paths that take each pair the model can take, run by the real actor and its ky services against the fake
// ETNA server, and for every other pair why the model cannot take it (read off its snapshots, not written here).
// PAIRS_LIST=1 prints each of those with its reason.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeEtnaServer, getEtnaAuthPaths, startFakeEtnaServer } from '../../src/testing/index.js';
import { getTransitionPairPaths, measurePairCoverage, pairName } from '../../src/testing/model/pairs.js';
import { runModelPath } from './model-path-runner.js';

const MAX_STEPS = 2;
const paths = getTransitionPairPaths({ maxSteps: MAX_STEPS });
const coverage = measurePairCoverage(paths, { maxSteps: MAX_STEPS });
const byModelPaths = measurePairCoverage(getEtnaAuthPaths({ maxSteps: MAX_STEPS }), { maxSteps: MAX_STEPS });
const stepCount = paths.reduce((sum, path) => sum + path.steps.length, 0);

/** The impossible pairs by what stops them: `its guard holdsSession never holds`, … */
const stoppedBy = new Map<string, number>();
for (const why of coverage.impossible.values()) {
  const stop = /, (its guard .* never holds|an earlier branch always wins)/.exec(why)?.[1] ?? why;
  stoppedBy.set(stop, (stoppedBy.get(stop) ?? 0) + 1);
}

console.log(
  [
    `transition pair paths: ${paths.length} (${stepCount} steps)`,
    `transition pairs covered: ${coverage.covered.size}/${coverage.pairs.length}` +
      ` (the ${byModelPaths.covered.size} of the model paths included)`,
    `transition pairs the model cannot take: ${coverage.impossible.size}, where ` +
      [...stoppedBy]
        .sort((a, b) => b[1] - a[1])
        .map(([stop, count]) => `${stop} (${count})`)
        .join(', '),
    ...(process.env.PAIRS_LIST === '1'
      ? [...coverage.impossible].map(([pair, why]) => `  ${pair}\n    ${why}`.replace(/etnaAuth\./g, ''))
      : []),
  ].join('\n'),
);

const SUBMIT = 'etnaAuth.idle --SUBMIT_CREDENTIALS [2/2]--> etnaAuth.authenticating';
const REFUSED = 'etnaAuth.idle --SUBMIT_CREDENTIALS [1/2]--> (stays)';
const CANCEL = 'etnaAuth.authenticating --CANCEL--> etnaAuth.idle';
const RESTORE = 'etnaAuth.idle --(always)--> etnaAuth.succeeded';

describe('pairs of consecutive transitions', () => {
  it('are taken by the paths wherever the model can take them, and each other pair has a computed reason', () => {
    expect(coverage.missing).toEqual([]);
    expect(coverage.covered.size + coverage.impossible.size).toBe(coverage.pairs.length);
    for (const [pair, why] of coverage.impossible) {
      expect(coverage.covered.has(pair), pair).toBe(false);
      expect(why, pair).toMatch(/never holds|earlier branch always wins|never sends|never takes/);
    }
    // More than the model paths take: those were generated for single transitions.
    expect(coverage.covered.size).toBeGreaterThan(byModelPaths.covered.size);
  });

  it('allows B after A only where A leads: CANCEL after the login starts, not FORGOT_PASSWORD', () => {
    expect(coverage.pairs).toContain(pairName(SUBMIT, CANCEL));
    expect(coverage.pairs).not.toContain(
      pairName(SUBMIT, 'etnaAuth.idle --FORGOT_PASSWORD [2/2]--> etnaAuth.passwordReset.loadingQuestion'),
    );
    expect(coverage.covered.has(pairName(SUBMIT, CANCEL))).toBe(true);
  });

  it('says why a pair cannot happen: a refused login leaves no session for idle to restore', () => {
    expect(coverage.impossible.get(pairName(REFUSED, RESTORE))).toMatch(/its guard holdsSession never holds/);
  });

  it('reports a pair no path takes as missing', () => {
    const partial = measurePairCoverage(paths.slice(1), { maxSteps: MAX_STEPS });
    expect(partial.missing.length).toBeGreaterThan(0);
    expect(partial.missing.every((pair) => !partial.covered.has(pair))).toBe(true);
  });
});

describe('every transition pair path, run by the real actor and ky service against the fake ETNA server', () => {
  let server: FakeEtnaServer;
  beforeEach(async () => {
    server = await startFakeEtnaServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it.each(paths.map((path, index) => [index + 1, path.steps.length, path] as const))(
    'pair path %i (%i steps)',
    (_index, _steps, path) => runModelPath(server, path, MAX_STEPS),
    60_000,
  );
});
