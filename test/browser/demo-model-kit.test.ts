// The testing kit's Playwright flavour over the demo page: every model path, each against a fresh fake server the
// page reaches with `?api=`, through a driver written against the page's ids, names and data attributes (never its
// sentences). test/browser/model-paths.test.ts checks the demo's own texts and its statechart beside the card.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import { getEtnaAuthPaths, runModelPathsInBrowser } from '../../src/testing/index.js';
import { assertChromiumInstalled, type LaunchedChromium, launchChromium } from './chromium.js';
import { demoKitDriver } from './demo-kit-driver.js';

assertChromiumInstalled();

describe('the testing kit, Playwright flavour, over the demo page', () => {
  let demo: DemoServer;
  let chromium: LaunchedChromium;

  beforeAll(async () => {
    [demo, chromium] = await Promise.all([startDemoServer(), launchChromium()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([chromium?.close(), demo?.close()]);
  });

  it('runs every model path, each against its own fake server, covering the whole machine', async () => {
    const driver = demoKitDriver(demo.url);
    const context = await chromium.newContext();
    try {
      const report = await runModelPathsInBrowser(driver, { context });
      console.log(`demo page, through the kit:\n${report.summary}`);
      // A page's storage answers at once: the kit skips the paths of a storage read later (the Node flavour runs
      // them), and what only they cover is all that is left uncovered.
      expect(report.skipped.map((skip) => skip.description)).toEqual(
        getEtnaAuthPaths()
          .filter((path) => path.start === 'restoring')
          .map((path) => path.description),
      );
      expect(report.passed).toHaveLength(getEtnaAuthPaths().length - report.skipped.length);
      // (the state `restoring`, and the storage's answers there).
      const onlyRestoring = (missing: string) =>
        missing.includes('restoring') || missing.includes('storage:');
      expect(report.coverage.missing.filter((missing) => !onlyRestoring(missing))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 600_000);
});
