// The wall clock, not only timers: a computer that sleeps past the session's end (or a clock that is changed)
// fires no timer in time. On Playwright's clock, paused so that no timer fires, the page's Date.now jumps past
// the end: the page still shows the session until it is shown again (a visibility change), focused, shown from
// the back-forward cache or back online, and then ends it at once; an API call made then sends nothing and
// ends it too. No request carries the old token after the jump.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import { assertChromiumInstalled, type LaunchedChromium, launchChromium } from './chromium.js';
import { openDemo, SESSION_ENDED, screenNow, storedSession } from './demo-page.js';

assertChromiumInstalled();

/** How each wake-up reaches the page: the event, dispatched where the browser dispatches it. */
const WAKE_UPS = [
  ['a visibility change to visible', 'document', 'visibilitychange'],
  ['the window getting the focus', 'window', 'focus'],
  ['a page shown again from the back-forward cache', 'window', 'pageshow'],
  ['the browser coming back online', 'window', 'online'],
] as const;

describe("the session's end by the wall clock, in Chromium", () => {
  let demo: DemoServer;
  let chromium: LaunchedChromium;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [demo, chromium] = await Promise.all([startDemoServer(), launchChromium()]);
  }, 60_000);

  afterEach(async () => {
    demo?.etna.clearFaults();
    await context?.close();
  });

  afterAll(async () => {
    await Promise.all([chromium?.close(), demo?.close()]);
  });

  /**
   * Logs alice in (her session kept) on a page whose clock is then paused: from then on no timer fires, and
   * Date.now moves only when the test says. Returns the session's end and its token.
   */
  async function loggedInThenPaused(): Promise<{ ends: number; token: string }> {
    context = await chromium.newContext();
    await context.clock.install();
    ({ page } = await openDemo(context, demo.url));
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('alice-password');
    await page.getByLabel('Keep me logged in').check();
    await page.getByLabel('Password').press('Enter');
    await page.locator('#status', { hasText: 'Logged in as alice.' }).waitFor();
    const ends = Date.parse((await page.locator('#session-ends').getAttribute('datetime')) ?? '');
    const token = JSON.parse((await storedSession(page)) ?? '{}').token as string;
    expect(demo.etna.sessionOwner(token)).toBe('alice');
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1_000);
    return { ends, token };
  }

  /** The requests the fake server received since `sent` that carried `token`. */
  const sentWith = (sent: number, token: string) =>
    demo.etna.requests
      .slice(sent)
      .filter((request) => request.header('authorization') === `Bearer ${token}`)
      .map((request) => `${request.method} ${request.path}`);

  it.each(WAKE_UPS)(
    'ends the session at once on %s, once the clock has passed its end',
    async (_, target, type) => {
      const { ends, token } = await loggedInThenPaused();
      const sent = demo.etna.requests.length;
      // The lid closes for a day and a minute: Date.now moves past the end, and no timer fires.
      await page.clock.setSystemTime(ends + 60_000);
      expect(await page.evaluate(() => Date.now())).toBeGreaterThan(ends);
      expect(await screenNow(page)).toMatchObject({ heading: 'Logged in', who: 'Account alice' });

      await page.evaluate(
        ({ on, name }) => {
          if (document.visibilityState !== 'visible') throw new Error('the page is not visible');
          (on === 'document' ? document : window).dispatchEvent(new Event(name));
        },
        { on: target, name: type },
      );
      await page.locator('#session-ended', { hasText: SESSION_ENDED.expired }).waitFor();
      expect(await screenNow(page)).toMatchObject({
        heading: 'Log in',
        ended: SESSION_ENDED.expired,
        who: null,
        token: null,
        callApi: false,
        username: 'alice',
      });
      expect(await storedSession(page)).toBeNull();
      expect(sentWith(sent, token), 'no request with the old token after the jump').toEqual([]);
      expect(demo.etna.requests.length, 'nothing sent at all').toBe(sent);
    },
  );

  it('ends the session instead of calling the API once the clock has passed its end, sending nothing', async () => {
    const { ends, token } = await loggedInThenPaused();
    const sent = demo.etna.requests.length;
    await page.clock.setSystemTime(ends + 1_000);
    expect((await screenNow(page)).callApi).toBe(true);
    await page.getByRole('button', { name: 'Call the API' }).click();
    await page.locator('#session-ended', { hasText: SESSION_ENDED.expired }).waitFor();
    expect(await screenNow(page)).toMatchObject({ heading: 'Log in', who: null, token: null });
    expect(await storedSession(page)).toBeNull();
    expect(sentWith(sent, token), 'no request with the old token after the jump').toEqual([]);
    expect(demo.etna.requests.length, 'nothing sent at all').toBe(sent);
  });

  it('keeps the session when the page is shown again before its end', async () => {
    const { ends } = await loggedInThenPaused();
    await page.clock.setSystemTime(ends - 60_000);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    // The check ran (an event handled synchronously) and found time left: the same session, and it still works.
    expect(await screenNow(page)).toMatchObject({ heading: 'Logged in', who: 'Account alice' });
    const sent = demo.etna.requests.length;
    await page.getByRole('button', { name: 'Call the API' }).click();
    await page.locator('#api-result', { hasText: 'Login alice' }).waitFor();
    expect(demo.etna.requests.length).toBe(sent + 1);
  });
});
