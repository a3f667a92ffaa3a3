// The kit's one call, in its two flavours: every generated path through the app's own UI, one fresh fake server
// per path, and a report of what passed, what failed (by the path's description) and what the run covered.
import { type ModelCoverage, measureCoverage } from '../model/coverage.js';
import { MODEL_MAX_STEPS } from '../model/events.js';
import { getEtnaAuthPaths } from '../model/paths.js';
import type { ModelPath } from '../model/steps.js';
import {
  type BrowserModelDriver,
  browserFlavour,
  type ModelPage,
  type RunModelPathsInBrowserOptions,
} from './browser.js';
import { type ModelDriver, nodeStage } from './node.js';
import { runPath, StepFailure } from './run-path.js';
import type { Flavour } from './stage.js';
import type { ModelPathFailure, ModelPathsReport, RunModelPathsOptions, ScreenDriver } from './types.js';

/**
 * A run with failed paths: `report` has each one, and the message names them.
 * @example try { await runModelPaths(driver); } catch (error) { if (error instanceof ModelPathsError) console.log(error.report.summary); }
 */
export class ModelPathsError extends Error {
  override readonly name = 'ModelPathsError';
  constructor(readonly report: ModelPathsReport) {
    const shown = report.failed
      .slice(0, 20)
      .map((failure) => `- ${failure.description}, step ${failure.step}: ${failure.message}`);
    const more =
      report.failed.length > shown.length ? [`… and ${report.failed.length - shown.length} more`] : [];
    super(
      [
        `${report.failed.length} of ${report.paths.length} model paths failed:`,
        ...shown,
        ...more,
        report.summary,
      ].join('\n'),
    );
  }
}

/**
 * Runs every generated model path through an app rendered in-process (jsdom, a terminal UI…), each with its own
 * fake ETNA server, machine, storage and clock; resolves with the report, or rejects with `ModelPathsError`.
 * @example
 * const report = await runModelPaths(driver);
 * console.log(report.summary);
 */
export function runModelPaths(
  driver: ModelDriver,
  options: RunModelPathsOptions = {},
): Promise<ModelPathsReport> {
  return runAll(
    { stage: async () => nodeStage(driver), close: async () => {}, readsLater: true },
    driver,
    options,
  );
}

/**
 * Runs every generated model path through an app in a real browser page (Playwright): for each path the kit
 * opens the app's URL with a fresh fake server (CORS on), its clock on Playwright's `clock`, another tab a second
 * page of the origin; resolves with the report, or rejects with `ModelPathsError`.
 * @example
 * const report = await runModelPathsInBrowser(driver, { context: await browser.newContext() });
 */
export function runModelPathsInBrowser<TPage extends ModelPage>(
  driver: BrowserModelDriver<TPage>,
  options: RunModelPathsInBrowserOptions<TPage>,
): Promise<ModelPathsReport> {
  return runAll(browserFlavour(driver, options), driver, options);
}

async function runAll<TTarget>(
  flavour: Flavour,
  driver: ScreenDriver<TTarget>,
  options: RunModelPathsOptions,
): Promise<ModelPathsReport> {
  const maxSteps = options.maxSteps ?? MODEL_MAX_STEPS;
  const generated = options.paths ?? getEtnaAuthPaths({ maxSteps });
  // A page's storage answers at once: the paths of a storage read later run in the Node flavour only.
  const { readsLater } = flavour;
  const skipped =
    readsLater === true
      ? []
      : generated
          .filter((path) => path.start === 'restoring')
          .map((path) => ({ description: path.description, reason: readsLater.skipped }));
  const paths = generated.filter((path) => !skipped.some((skip) => skip.description === path.description));
  const screenOf = driver.screenOf?.bind(driver);
  const started = Date.now();
  const passed: ModelPath[] = [];
  const failed: ModelPathFailure[] = [];
  try {
    for (const path of paths) {
      let failure: ModelPathFailure | undefined;
      try {
        await runPath(flavour, path, { ...options, maxSteps, ...(screenOf && { screenOf }) });
        passed.push(path);
      } catch (error) {
        const step = error instanceof StepFailure ? error.step : 0;
        const message = error instanceof Error ? error.message : String(error);
        failure = { description: path.description, step, message };
        failed.push(failure);
      }
      options.onPath?.(path, failure);
    }
  } finally {
    await flavour.close();
  }
  const ms = Date.now() - started;
  const coverage = measureCoverage(passed, { maxSteps });
  const report: ModelPathsReport = {
    paths,
    skipped,
    passed,
    failed,
    coverage,
    ms,
    msPerPath: paths.length ? Math.round(ms / paths.length) : 0,
    summary: summaryOf(paths, passed, coverage, ms, skipped.length),
  };
  if (failed.length && options.throwOnFailure !== false) throw new ModelPathsError(report);
  return report;
}

function summaryOf(
  paths: readonly ModelPath[],
  passed: readonly ModelPath[],
  coverage: ModelCoverage,
  ms: number,
  skipped: number,
) {
  const steps = passed.reduce((sum, path) => sum + path.steps.length, 0);
  const { covered } = coverage;
  const per = paths.length ? Math.round(ms / paths.length) : 0;
  return [
    `model paths passed: ${passed.length}/${paths.length} (${steps} steps) in ${(ms / 1000).toFixed(1)} s, ${per} ms a path${skipped ? `; ${skipped} skipped (a storage read later)` : ''}`,
    `state nodes covered: ${covered.stateNodes.size}/${coverage.stateNodes.length}`,
    `transitions covered: ${covered.transitions.size}/${coverage.transitions.length}`,
    `transition-in-state and event targets covered: ${covered.targets.size}/${coverage.targets.length}`,
  ].join('\n');
}
