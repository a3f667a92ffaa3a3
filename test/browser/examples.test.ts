// The three framework examples as a person runs them: `npm run dev -w examples/<framework>` starts Vite with
// the fake ETNA server behind /api/, and its page, in Chromium, logs in with a PIN: the same screen, the same
// flows and the same focus in React, Vue and Svelte; a second tab finds the session (kept in localStorage); and,
// on the page's clock, the warning a minute before the session's end, with a login again in place.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertChromiumInstalled, type LaunchedChromium, launchChromium } from './chromium.js';
import { EXAMPLES, type ExampleDevServer, startExampleDevServer } from './example-dev-server.js';

assertChromiumInstalled();

/** What has focus: `field:<name>`, `heading`, or the element's tag. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (active instanceof HTMLInputElement) return `field:${active.name}`;
    return active?.tagName === 'H2' ? 'heading' : (active?.tagName.toLowerCase() ?? 'nothing');
  });
}

/** Vite compiles a page's modules at its first load: on a busy machine that takes longer than a click. */
const FIRST_LOAD = { timeout: 30_000 } as const;

async function expectFocus(page: Page, where: string): Promise<void> {
  await expect.poll(() => focused(page), { timeout: 5_000 }).toBe(where);
}

describe.each(EXAMPLES)('examples/%s: npm run dev', (example) => {
  let server: ExampleDevServer;
  let chromium: LaunchedChromium;

  beforeAll(async () => {
    [server, chromium] = await Promise.all([startExampleDevServer(example), launchChromium()]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([chromium?.close(), server?.close()]);
  });

  it('prints the URL and the demo users', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.output()).toContain('bob    bob-password    PIN 1234');
  });

  it('logs in with a wrong PIN, then the right one, moving focus to each next prompt; then logs out', async () => {
    const page = await chromium.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url, FIRST_LOAD);
    await page.getByRole('heading', { name: 'Log in' }).waitFor(FIRST_LOAD);
    // Styled by the shared stylesheet: the card has its border and the submit button its colour.
    const looks = await page.evaluate(() => {
      const section = document.querySelector('section[aria-label="ETNA login"]');
      const submit = section?.querySelector('button[type="submit"]');
      return {
        border: section ? getComputedStyle(section).borderTopStyle : '',
        submit: submit ? getComputedStyle(submit).backgroundColor : '',
      };
    });
    expect(looks).toEqual({ border: 'solid', submit: 'rgb(36, 87, 214)' });
    await expectFocus(page, 'field:username');

    await page.getByLabel('Username').fill('bob');
    await page.getByLabel('Password').fill('bob-password');
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('heading', { name: 'Security PIN' }).waitFor();
    await expectFocus(page, 'field:pin');
    // A security PIN is kept out of password managers and one-time-code autofill, as on the web demo.
    expect(await page.getByLabel('PIN', { exact: true }).getAttribute('autocomplete')).toBe('off');
    await page.getByLabel('PIN', { exact: true }).fill('0000');
    await page.getByLabel('PIN', { exact: true }).press('Enter');
    await page.getByText('That PIN is not right.').waitFor();
    await expectFocus(page, 'field:pin');
    await page.getByLabel('PIN', { exact: true }).fill('1234');
    await page.getByLabel('PIN', { exact: true }).press('Enter');

    await page.getByRole('heading', { name: 'Logged in' }).waitFor();
    expect(await page.getByRole('status').textContent()).toBe('Logged in as bob.');
    // Not on "Log out": a stray Enter does nothing.
    await expectFocus(page, 'heading');
    // The session is kept in localStorage: a tab opened now is logged in as bob too.
    const other = await chromium.context.newPage();
    await other.goto(server.url, FIRST_LOAD);
    await other.getByText('Logged in as bob.').waitFor(FIRST_LOAD);
    await other.close();
    await page.getByRole('button', { name: 'Call the API' }).click();
    await page.getByText('The API knows you as bob.').waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    // The form again, on its first empty field (the username, unless the machine kept it).
    const kept = await page.getByLabel('Username').inputValue();
    await expectFocus(page, kept ? 'field:password' : 'field:username');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('warns a minute before the session ends, counting down, and logs in again in place, keeping the screen', async () => {
    // The page's clock: a day passes in a call.
    const context = await chromium.newContext();
    try {
      await context.clock.install();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(server.url, FIRST_LOAD);
      await page.getByRole('heading', { name: 'Log in' }).waitFor(FIRST_LOAD);
      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Password').fill('alice-password');
      await page.getByLabel('Password').press('Enter');
      await page.getByText('Logged in as alice.').waitFor();
      await page.getByRole('button', { name: 'Call the API' }).click();
      await page.getByText('The API knows you as alice.').waitFor();
      expect(await page.getByRole('timer').count(), 'no countdown before the warning').toBe(0);

      // A minute before the end of the platform's 24-hour session: the warning and the login again.
      await context.clock.fastForward(24 * 3_600_000 - 60_000);
      const timer = page.getByRole('timer');
      await timer.waitFor();
      const shown = await timer.textContent();
      expect(shown).toMatch(/^Your session ends in (1:00|0:5\d)\.$/);
      await page.getByText('Log in again to stay logged in.').waitFor();
      expect(await page.getByLabel('Username').inputValue()).toBe('alice');
      expect(await page.getByLabel('Username').getAttribute('readonly')).not.toBeNull();
      await expectFocus(page, 'field:password');
      // It counts down, once a second.
      await context.clock.runFor(1_000);
      await expect.poll(() => timer.textContent(), { timeout: 5_000 }).not.toBe(shown);

      await page.getByLabel('Password').fill('alice-password');
      await page.getByRole('button', { name: 'Log in again' }).click();
      await timer.waitFor({ state: 'detached' });
      // The screen stayed: the same heading, who is logged in, the API's answer still on it.
      expect(await page.getByRole('heading').textContent()).toBe('Logged in');
      expect(await page.getByRole('status').textContent()).toBe('Logged in as alice.');
      await page.getByText('The API knows you as alice.').waitFor();
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByText('You have logged out.').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
