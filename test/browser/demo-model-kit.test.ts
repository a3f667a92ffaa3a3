// The testing kit's Playwright flavour over the demo page: every model path, each against a fresh fake server the
// page reaches with `?api=`, through a driver written against the page's ids, names and data attributes (never its
// sentences; demo-kit-driver.ts). test/browser/model-paths.test.ts checks the demo's own texts and its statechart.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import { getEtnaAuthPaths, runModelPathsInBrowser } from '../../src/testing/index.js';
import { assertChromiumInstalled, type LaunchedChromium, launchChromium } from './chromium.js';
import { demoKitDriver } from './demo-kit-driver.js';
import { expectAllButRestoringCovered, notCoveredLine } from './kit-report.js';

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

  it('runs every model path but those of a storage read later, each against its own fake server, covering the rest of the machine', async () => {
    const driver = demoKitDriver(demo.url);
    const context = await chromium.newContext();
    try {
      const report = await runModelPathsInBrowser(driver, { context });
      console.log(`demo page, through the kit:\n${report.summary}`);
      // The page's localStorage answers at once: the paths of a storage read later are skipped, and say why.
      console.log(
        `demo page, through the kit: ${notCoveredLine(expectAllButRestoringCovered(report, getEtnaAuthPaths()))}`,
      );
    } finally {
      await context.close();
    }
  }, 600_000);
});
