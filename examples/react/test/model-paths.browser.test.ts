// @vitest-environment node
// The React example in Chromium, as `npm run dev -w examples/react` serves it: every model path through its
// screen, with the testing kit's one call. The driver reads roles, names and data attributes, never sentences.

import {
  type BrowserModelDriver,
  getEtnaAuthPaths,
  runModelPathsInBrowser,
  type ScreenReading,
} from 'etna-auth/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import { type LaunchedChromium, launchChromium } from '../../../test/browser/chromium.js';
import { type ExampleDevServer, startExampleDevServer } from '../../../test/browser/example-dev-server.js';
import { expectAllButRestoringCovered, notCoveredLine } from '../../../test/browser/kit-report.js';
import { VIEWS } from '../../ui-common/view.js';

/** Runs in the page: what the login screen shows. */
function readScreen(): ScreenReading {
  const screen = document.querySelector<HTMLElement>('[data-view]');
  if (!screen) throw new Error('no login screen yet');
  const all = (selector: string) => Array.from(screen.querySelectorAll<HTMLInputElement>(selector));
  return {
    screen: screen.dataset.view ?? '',
    busy: screen.getAttribute('aria-busy') === 'true',
    actions: all('[data-event]:enabled').map((button) => button.dataset.event ?? ''),
    fields: all('input:enabled').map((input) => input.name),
    invalid: all('[aria-invalid="true"]').map(
      (field) => field.name || (field.querySelector('input')?.name ?? ''),
    ),
    problem:
      all('[role="alert"]')
        .map((alert) => alert.textContent ?? '')
        .join(' ')
        .trim() || undefined,
    text: screen.textContent ?? '',
  };
}

const react: BrowserModelDriver<Page> = {
  url: '',
  screenOf: (state) => VIEWS[state as keyof typeof VIEWS],
  read: (page) => page.evaluate(readScreen),
  // The fields the event's values go in, by name; then the button that sends it.
  async submit(page, event) {
    const button = page.locator(`[data-event="${event.type}"]:enabled`);
    const form = page.locator('form', { has: button });
    for (const [name, value] of Object.entries(event)) {
      if (name === 'type') continue;
      const field = form.locator(`input[name="${name}"]`);
      if (name === 'imageName') await field.and(page.locator(`[value="${value}"]`)).check();
      else if (await field.isEditable()) await field.fill(value);
    }
    await button.click();
  },
  callApi: (page) => page.locator('[data-action="call-api"]').click(),
};

let server: ExampleDevServer;
let chromium: LaunchedChromium;
beforeAll(async () => {
  [server, chromium] = await Promise.all([startExampleDevServer('react'), launchChromium()]);
  // Vite compiles the page at its first load: once, before the clock of the first path runs.
  const page = await chromium.context.newPage();
  await page.goto(server.url);
  await page.locator('[data-view]').waitFor({ timeout: 60_000 });
  await page.close();
}, 120_000);
afterAll(async () => {
  await Promise.all([chromium?.close(), server?.close()]);
});

// localStorage answers at once: the paths of a storage read later run in jsdom (model-paths.jsdom.test.tsx).
it('runs every model path through the React example in Chromium but those of a storage read later, covering the rest of the machine', async () => {
  const report = await runModelPathsInBrowser({ ...react, url: server.url }, { context: chromium.context });
  const missed = notCoveredLine(expectAllButRestoringCovered(report, getEtnaAuthPaths()));
  console.log(`React example, through the kit:\n${report.summary}\n${missed}`);
}, 900_000);
