// The demo's statechart panel as a person sees it, at a laptop's size and a phone's: every label drawn at least
// 11 CSS px tall (measured on the rendered page), no sideways scrolling, the current state and the last
// transition in sight as the machine moves, and a region opened, zoomed, panned and fitted by mouse, touch and keys.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStateNodes } from 'xstate/graph';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import { etnaAuthMachine } from '../../src/machine/etna-auth-machine.js';
import { assertChromiumInstalled, type LaunchedChromium, launchChromium } from './chromium.js';
import { type DemoPage, openDemo } from './demo-page.js';
import {
  labelsOfChart,
  logIn,
  pinch,
  type Rect,
  rectOf,
  scaleOf,
  waitForChart,
} from './statechart-panel-page.js';

assertChromiumInstalled();

/** The smallest text a person can read, in CSS px: every label of the drawing renders at least this tall. */
const READABLE_PX = 11;

/** The machine states the panel is checked in, how a person gets there, and the region they lie in. */
const STATES: readonly { state: string; region: string; reach(page: Page): Promise<void> }[] = [
  { state: 'idle', region: 'login', reach: async () => {} },
  { state: 'expecting.securityPin', region: 'login', reach: (page) => logIn(page, 'bob') },
  { state: 'pinSetup.choosing', region: 'pinSetup', reach: (page) => logIn(page, 'frank') },
  {
    state: 'error',
    region: 'outcomes',
    reach: async (page) => {
      await page.getByText('Demo users and the fake server').click();
      await page.getByLabel("Fake server's next answer").selectOption('serverError');
      await logIn(page, 'alice');
    },
  },
];

const inside = (inner: Rect, outer: Rect) =>
  inner.left >= outer.left - 0.5 &&
  inner.top >= outer.top - 0.5 &&
  inner.right <= outer.right + 0.5 &&
  inner.bottom <= outer.bottom + 0.5;

let demo: DemoServer;
let chromium: LaunchedChromium;

beforeAll(async () => {
  [demo, chromium] = await Promise.all([startDemoServer(), launchChromium()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([chromium?.close(), demo?.close()]);
});

describe.each([
  [1280, 900],
  [390, 844],
])('the statechart panel at %i x %i', (width, height) => {
  let tab: DemoPage;
  let page: Page;

  beforeAll(async () => {
    tab = await openDemo(chromium.context, demo.url);
    page = tab.page;
    await page.setViewportSize({ width, height });
  });

  afterAll(async () => {
    await page?.close();
  });

  it.each(STATES)(
    'in $state: draws every label at least 11 px tall, scrolls nothing sideways, keeps the state and the last transition in sight',
    async ({ state, region, reach }) => {
      const requested: string[] = [];
      const record = (request: { url(): string }) => requested.push(request.url());
      page.on('request', record);
      await tab.restart();
      await waitForChart(page);
      await reach(page);
      await page.waitForSelector(`#chart[data-current="${state}"]`);
      // The panel follows the machine: the current state's region is the one opened.
      await page.waitForSelector(`#chart[data-open="${region}"][data-follow="true"]`);
      await page.locator('#chart .sc-viewport').scrollIntoViewIfNeeded();

      // The layouts were computed when the demo was bundled: the page ran no ELK, and never loaded it.
      page.off('request', record);
      expect(await page.getAttribute('#chart', 'data-laid-out')).toBe('0');
      expect(requested.filter((url) => url.includes('elk'))).toEqual([]);
      expect(requested.some((url) => url.endsWith('/main.js'))).toBe(true);

      const labels = await labelsOfChart(page);
      expect(labels.drawn.length, 'labels drawn in the open view').toBeGreaterThan(10);
      expect(labels.inSight, 'labels in sight').toBeGreaterThan(5);
      const smallest = Math.min(...labels.drawn.map((label) => label.height));
      expect(
        smallest,
        `the smallest label: ${labels.drawn.find((l) => l.height === smallest)?.text}`,
      ).toBeGreaterThanOrEqual(READABLE_PX);
      // The panel's own words (buttons, caption, hint) are no smaller.
      expect(Math.min(...labels.controls)).toBeGreaterThanOrEqual(READABLE_PX);
      console.log(
        `${width}x${height} ${state}: smallest label ${smallest.toFixed(2)} px of ${labels.drawn.length}`,
      );

      const page_ = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      expect(page_.scroll, 'the page scrolls sideways').toBeLessThanOrEqual(page_.client);

      const viewport = await rectOf(page, '#chart .sc-viewport');
      const current = await rectOf(page, `#chart .sc-shown [data-state="${state}"] > text.sc-name`);
      expect(inside(current, viewport), `${state}'s name is in sight`).toBe(true);
      if (state !== 'idle') {
        const last = await rectOf(page, '#chart .sc-shown text.taken');
        expect(inside(last, viewport), 'the last transition is in sight').toBe(true);
      }
    },
  );

  it('opens a region (button, click, Enter), zooms (buttons, keys, Ctrl + wheel, pinch), pans (drag, keys) and fits', async () => {
    await tab.restart();
    await waitForChart(page);
    const viewport = page.locator('#chart .sc-viewport');
    await viewport.scrollIntoViewIfNeeded();
    const panel = await rectOf(page, '#chart .sc-viewport');

    // A region's button opens it; the person has taken control, so the panel stops following the machine.
    await page.getByRole('button', { name: 'session', exact: true }).click();
    await page.waitForSelector('#chart[data-open="session"][data-follow="false"]');
    expect(await page.locator('#chart .sc-shown [data-state="succeeded.endingSoon.warning"]').count()).toBe(
      1,
    );
    expect(
      Math.min(...(await labelsOfChart(page)).drawn.map((label) => label.height)),
    ).toBeGreaterThanOrEqual(READABLE_PX);

    // The overview: every region closed; a click on a region's box opens it, and so does Enter on one.
    await page.getByRole('button', { name: 'Overview', exact: true }).click();
    await page.waitForSelector('#chart[data-open=""]');
    const pinSetupBox = page.locator('#chart .sc-shown [data-region="pinSetup"][role="button"]');
    await pinSetupBox.scrollIntoViewIfNeeded();
    // On a phone the overview is wider than the panel at a readable scale: pan with the arrow keys, as a person
    // would, until the box is in sight.
    await panIntoSight(page, pinSetupBox);
    await pinSetupBox.click();
    await page.waitForSelector('#chart[data-open="pinSetup"]');
    await page.getByRole('button', { name: 'Overview', exact: true }).click();
    await page.locator('#chart .sc-shown [data-region="outcomes"][role="button"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#chart[data-open="outcomes"]');

    // Zoom: the drawing grows and shrinks by the same factor around the panel's middle.
    const box = '#chart .sc-shown [data-state="error"] > rect';
    const before = await rectOf(page, box);
    const scale = await scaleOf(page);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await expect.poll(() => scaleOf(page)).toBeGreaterThan(scale);
    const zoomed = await rectOf(page, box);
    const factor = zoomed.width / before.width;
    expect(factor).toBeGreaterThan(1.1);
    expect(zoomed.height / before.height).toBeCloseTo(factor, 2);
    await viewport.focus();
    await page.keyboard.press('-');
    await expect.poll(async () => (await rectOf(page, box)).width).toBeCloseTo(before.width, 0);
    // Ctrl + wheel zooms in at the pointer: the point under it stays put.
    const at = { x: panel.left + panel.width / 2, y: panel.top + panel.height / 2 };
    await page.mouse.move(at.x, at.y);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -200);
    await page.keyboard.up('Control');
    await expect.poll(() => scaleOf(page)).toBeGreaterThan(scale);
    // A pinch with two fingers zooms too (and out again, with the fingers closing).
    const pinched = await scaleOf(page);
    await pinch(page, at, 120, 60);
    await expect.poll(() => scaleOf(page)).toBeLessThan(pinched);

    // Pan: a drag moves the drawing with the pointer, the arrow keys by steps.
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    const start = await rectOf(page, box);
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    await page.mouse.move(at.x - 40, at.y - 30, { steps: 4 });
    await page.mouse.up();
    const dragged = await rectOf(page, box);
    expect(dragged.left).toBeCloseTo(start.left - 40, 0);
    expect(dragged.top).toBeCloseTo(start.top - 30, 0);
    await viewport.focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await rectOf(page, box)).left).toBeGreaterThan(dragged.left + 10);
    await page.keyboard.press('ArrowUp');
    await expect.poll(async () => (await rectOf(page, box)).top).toBeGreaterThan(dragged.top + 10);
    expect(await page.getAttribute('#chart', 'data-follow')).toBe('false');

    // Fit: the whole view when it can be read whole, else the readable scale; either way every label readable.
    await page.keyboard.press('0');
    const fitted = await page.evaluate(() => {
      const shown = document.querySelector('#chart .sc-shown') as SVGGElement;
      const frame = document.querySelector('#chart .sc-viewport') as HTMLElement;
      const whole = shown.getBoundingClientRect();
      const room = frame.getBoundingClientRect();
      return { whole: whole.toJSON() as Rect, room: room.toJSON() as Rect };
    });
    const labels = await labelsOfChart(page);
    const smallest = Math.min(...labels.drawn.map((label) => label.height));
    expect(smallest).toBeGreaterThanOrEqual(READABLE_PX);
    if (inside(fitted.whole, fitted.room)) {
      // It all fits: it is centred.
      expect(
        Math.abs(fitted.whole.left - fitted.room.left - (fitted.room.right - fitted.whole.right)),
      ).toBeLessThan(2);
    } else {
      // It does not: it is shown at the readable scale, no smaller.
      expect(smallest).toBeLessThan(READABLE_PX * 1.25);
    }
    await page.getByRole('button', { name: 'Fit the drawing to the panel' }).click();
    expect((await labelsOfChart(page)).drawn.length).toBe(labels.drawn.length);

    // Following again brings the current state's region back.
    await page.getByRole('button', { name: 'Follow the machine' }).click();
    await page.waitForSelector('#chart[data-open="login"][data-follow="true"]');
  });
});

describe('the statechart panel of a bundle without layouts', () => {
  it('lays the chart out in the page, loading ELK only then, and draws the same states', async () => {
    const bare = await startDemoServer({ placedLayouts: false });
    const page = await chromium.context.newPage();
    try {
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      await page.goto(bare.url);
      await page.waitForSelector('#chart[data-drawn="true"]', { timeout: 30_000 });
      expect(Number(await page.getAttribute('#chart', 'data-laid-out'))).toBeGreaterThan(0);
      expect(requested.filter((url) => url.includes('/chunks/elk'))).toHaveLength(1);
      const drawn = await page
        .locator('#chart svg [data-state]')
        .evaluateAll((boxes) => boxes.map((box) => (box as SVGGElement).dataset.state).sort());
      expect(drawn).toEqual(
        getStateNodes(etnaAuthMachine.root)
          .map((node) => node.path.join('.'))
          .sort(),
      );
    } finally {
      await Promise.all([page.close(), bare.close()]);
    }
  }, 60_000);
});

/** Pans the panel with the arrow keys until the middle of `target` is inside it (each key moves the drawing). */
async function panIntoSight(page: Page, target: Locator): Promise<void> {
  await page.locator('#chart .sc-viewport').focus();
  for (let step = 0; step < 60; step++) {
    const [box, room] = await Promise.all([target.boundingBox(), rectOf(page, '#chart .sc-viewport')]);
    if (!box) throw new Error('the box is not drawn');
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    const key =
      x > room.right - 8
        ? 'ArrowRight'
        : x < room.left + 8
          ? 'ArrowLeft'
          : y > room.bottom - 8
            ? 'ArrowDown'
            : y < room.top + 8
              ? 'ArrowUp'
              : undefined;
    if (key === undefined) return;
    await page.keyboard.press(key);
    // The drawing moved: wait for it, not for time.
    await expect.poll(async () => JSON.stringify(await target.boundingBox())).not.toBe(JSON.stringify(box));
  }
  throw new Error('the box did not come into sight');
}
