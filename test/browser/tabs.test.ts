// Two tabs of one browser on the demo page: with the default storage (the origin's localStorage, announced on
// the library's BroadcastChannel) they share one session. A login in one appears in the other without a
// request of its own; a logout, a revocation or an expiry in one ends the other's with "ended in another tab".
// With `?storage=session` each tab keeps its own. Each page records every message on the channel and every
// `storage` event: neither carries more than the stored value, and the channel never the token.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import { SESSION_CHANNEL } from '../../src/index.js';
import { assertChromiumInstalled, type LaunchedChromium, launchChromium } from './chromium.js';
import {
  openDemo,
  PERSIST_INFO,
  recordSentByPage,
  SESSION_ENDED,
  SESSION_KEY,
  screenNow,
  storedSession,
} from './demo-page.js';

assertChromiumInstalled();

/**
 * How long a tab may take to show what another tab did: a message between two renderer processes, which a
 * busy 2-core machine running several browsers delays well past Playwright's default 5 s. A limit, not a pause.
 */
const ACROSS_TABS = { timeout: 15_000 } as const;

/** What a page heard of the other tabs: the channel's messages and the `storage` events. */
interface Notices {
  readonly messages: unknown[];
  readonly storage: { key: string | null; newValue: string | null; oldValue: string | null }[];
}

/** Runs in every page before its scripts: a listener of its own on the channel, and on `storage`. */
function recordNotices(channelName: string): void {
  const notices: Notices = { messages: [], storage: [] };
  (window as unknown as { sessionNotices: Notices }).sessionNotices = notices;
  const channel = new BroadcastChannel(channelName);
  channel.onmessage = (event) => notices.messages.push(event.data);
  window.addEventListener('storage', (event) =>
    notices.storage.push({ key: event.key, newValue: event.newValue, oldValue: event.oldValue }),
  );
}

const noticesOf = (page: Page) =>
  page.evaluate(() => (window as unknown as { sessionNotices: Notices }).sessionNotices);

/** Logs in on the page's login form, "Keep me logged in" ticked (the session is shared only when kept). */
async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Keep me logged in').check();
  await page.getByLabel('Password').press('Enter');
}

/** Waits until the page shows the session panel of `username`'s session; returns its end (epoch ms). */
async function loggedInAs(page: Page, username: string): Promise<number> {
  await page.locator('#status', { hasText: `Logged in as ${username}.` }).waitFor(ACROSS_TABS);
  const screen = await screenNow(page);
  expect(screen).toMatchObject({ heading: 'Logged in', who: `Account ${username}`, callApi: true });
  return Date.parse((await page.locator('#session-ends').getAttribute('datetime')) ?? '');
}

/** Waits until the page shows the login form with `ended` as the reason the session ended. */
async function endedWith(page: Page, ended: string): Promise<void> {
  await page.locator('#session-ended', { hasText: ended }).waitFor(ACROSS_TABS);
  expect(await screenNow(page)).toMatchObject({ heading: 'Log in', who: null, token: null, ended });
}

describe('two tabs of the demo page in one browser', { timeout: 60_000 }, () => {
  let demo: DemoServer;
  let chromium: LaunchedChromium;
  let context: BrowserContext;
  /** The requests to the fake server's routes each tab sent, as `METHOD /path`. */
  let sentBy: Map<Page, string[]>;

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

  /** A fresh browser context (its own localStorage) whose pages record what they hear and send. */
  async function newContext(clock = false): Promise<BrowserContext> {
    context = await chromium.newContext();
    // Playwright's clock, running at the real pace until a test moves it.
    if (clock) await context.clock.install();
    await context.addInitScript(recordNotices, SESSION_CHANNEL);
    sentBy = recordSentByPage(context);
    return context;
  }

  /** Two tabs of the demo, A and B, opened with the same query. */
  async function twoTabs(query: Record<string, string> = {}, clock = false): Promise<[Page, Page]> {
    await newContext(clock);
    const a = await openDemo(context, demo.url, { query });
    const b = await openDemo(context, demo.url, { query });
    return [a.page, b.page];
  }

  /**
   * What both pages heard carried nothing but the storage key on the channel, and nothing but the stored value
   * itself in the storage events; neither a channel message nor the page's console holds `token`.
   */
  async function checkNotices(pages: readonly Page[], token: string): Promise<Notices[]> {
    const heard = await Promise.all(pages.map(noticesOf));
    for (const { messages, storage } of heard) {
      for (const message of messages) expect(message).toEqual({ key: SESSION_KEY });
      expect(JSON.stringify(messages)).not.toContain(token);
      for (const event of storage) {
        expect(event.key).toBe(SESSION_KEY);
        for (const value of [event.newValue, event.oldValue]) {
          if (value === null) continue;
          const stored = JSON.parse(value);
          expect(Object.keys(stored).sort()).toEqual(['expiresAt', 'token', 'username']);
          expect(typeof stored.token).toBe('string');
          expect(typeof stored.expiresAt).toBe('number');
          expect(typeof stored.username).toBe('string');
        }
      }
    }
    return heard;
  }

  /** The session token of the session kept in the shared storage. */
  const tokenOf = async (page: Page) => JSON.parse((await storedSession(page)) ?? '{}').token as string;

  it('shows a login in A in B (opened with "Open a second tab"), with no request of its own; a logout in B ends A', async () => {
    await newContext();
    const { page: a } = await openDemo(context, demo.url);
    const [b] = await Promise.all([
      context.waitForEvent('page'),
      a.getByRole('button', { name: 'Open a second tab' }).click(),
    ]);
    await b.waitForSelector('body[data-ready="true"]');
    expect(b.url()).toBe(a.url());
    expect((await screenNow(b)).heading).toBe('Log in');
    const tokenRequests = demo.etna.requests.filter((request) => request.path === '/api/token').length;

    await logIn(a, 'alice', 'alice-password');
    const endsInA = await loggedInAs(a, 'alice');
    const endsInB = await loggedInAs(b, 'alice');
    expect(endsInB).toBe(endsInA);
    expect(await screenNow(b)).toMatchObject({ persist: PERSIST_INFO.kept, buttons: ['Log out'] });
    // B never asked the server: the one /token request is A's.
    expect(demo.etna.requests.filter((request) => request.path === '/api/token').length).toBe(
      tokenRequests + 1,
    );
    expect(sentBy.get(a)).toEqual(['POST /api/token']);
    expect(sentBy.get(b)).toBeUndefined();
    const token = await tokenOf(a);
    expect(demo.etna.sessionOwner(token)).toBe('alice');

    // B's session works: its API call carries the same token.
    await b.getByRole('button', { name: 'Call the API' }).click();
    await b.locator('#api-result', { hasText: 'Login alice' }).waitFor();
    expect(demo.etna.requests.at(-1)?.header('authorization')).toBe(`Bearer ${token}`);

    await b.getByRole('button', { name: 'Log out' }).click();
    await endedWith(b, SESSION_ENDED.loggedOut);
    await endedWith(a, SESSION_ENDED.endedElsewhere);
    expect(sentBy.get(b)).toEqual(['GET /api/v1.0/users/@me/info', 'POST /api/logout']);
    expect(sentBy.get(a)).toEqual(['POST /api/token']);
    expect(demo.etna.isSessionActive(token)).toBe(false);
    expect(await storedSession(a)).toBeNull();
    // A keeps the username for the next login, as after any end.
    expect(await a.getByLabel('Username').inputValue()).toBe('alice');

    const heard = await checkNotices([a, b], token);
    // Each tab heard the other's write and removal, on the channel and as storage events.
    for (const { messages, storage } of heard) {
      expect(messages.length).toBeGreaterThanOrEqual(2);
      expect(storage.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('keeps a session not ticked "Keep me logged in" to its tab, as the page says; another user kept in the second tab ends it', async () => {
    await newContext();
    const { page: a } = await openDemo(context, demo.url);
    // What the page says of the box, and of a second tab, before and after the login.
    expect(await a.locator('#keep-hint').textContent()).toContain(
      'another tab of this site does not ask again',
    );
    expect(await a.getByRole('button', { name: 'Open a second tab' }).getAttribute('title')).toContain(
      'asks you to log in otherwise',
    );
    await a.getByLabel('Username').fill('alice');
    await a.getByLabel('Password').fill('alice-password');
    await a.getByLabel('Password').press('Enter');
    await loggedInAs(a, 'alice');
    expect((await screenNow(a)).persist).toBe(PERSIST_INFO.notKept);
    expect(await storedSession(a)).toBeNull();

    const [b] = await Promise.all([
      context.waitForEvent('page'),
      a.getByRole('button', { name: 'Open a second tab' }).click(),
    ]);
    await b.waitForSelector('body[data-ready="true"]');
    expect(await screenNow(b)).toMatchObject({ heading: 'Log in', who: null, ended: null });
    expect(sentBy.get(b)).toBeUndefined();

    // bob logs in there, kept: alice's tab never shows bob's session, it ends hers instead.
    await logIn(b, 'bob', 'bob-password');
    await b.getByLabel('PIN', { exact: true }).fill('1234');
    await b.getByLabel('PIN', { exact: true }).press('Enter');
    await loggedInAs(b, 'bob');
    await endedWith(a, SESSION_ENDED.endedElsewhere);
    expect(await a.getByLabel('Username').inputValue()).toBe('alice');
    expect((await screenNow(a)).blocks.join('\n'), "nothing of bob's in alice's tab").not.toMatch(/\bbob\b/);
    expect(sentBy.get(a)).toEqual(['POST /api/token']);
    await checkNotices([a, b], JSON.parse((await storedSession(b)) ?? '{}').token);
  });

  it("ends the other tab's session when the server revoked it and one tab's API call met the 401", async () => {
    const [a, b] = await twoTabs();
    await logIn(a, 'bob', 'bob-password');
    await a.getByLabel('PIN', { exact: true }).fill('1234');
    await a.getByLabel('PIN', { exact: true }).press('Enter');
    await loggedInAs(a, 'bob');
    await loggedInAs(b, 'bob');
    const token = await tokenOf(a);

    demo.etna.revokeSessions();
    await b.getByRole('button', { name: 'Call the API' }).click();
    await endedWith(b, SESSION_ENDED.revoked);
    await endedWith(a, SESSION_ENDED.endedElsewhere);
    expect(demo.etna.requests.at(-1)?.outcome).toBe(401);
    // A sent nothing after its login: it learnt of the end from B.
    expect(sentBy.get(a)).toEqual(['POST /api/token', 'POST /api/token']);
    expect(await storedSession(a)).toBeNull();
    await checkNotices([a, b], token);
  });

  it("ends the other tab's session when one tab finds it expired (its wall clock past the end)", async () => {
    const [a, b] = await twoTabs({}, true);
    await logIn(a, 'alice', 'alice-password');
    const ends = await loggedInAs(a, 'alice');
    await loggedInAs(b, 'alice');
    const token = await tokenOf(a);
    const sent = demo.etna.requests.length;

    // The computer slept past the end: the clock jumps, no timer fires. A is shown again first.
    await context.clock.setSystemTime(ends + 60_000);
    expect((await screenNow(a)).heading).toBe('Logged in');
    expect((await screenNow(b)).heading).toBe('Logged in');
    await a.evaluate(() => {
      if (document.visibilityState !== 'visible') throw new Error('the page is not visible');
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await endedWith(a, SESSION_ENDED.expired);
    await endedWith(b, SESSION_ENDED.endedElsewhere);
    expect(demo.etna.requests.length, 'nothing sent with the ended session').toBe(sent);
    expect(await storedSession(b)).toBeNull();
    await checkNotices([a, b], token);
  });

  it('keeps the tabs apart with ?storage=session: a login in A does not log B in', async () => {
    const [a, b] = await twoTabs({ storage: 'session' });
    await logIn(a, 'alice', 'alice-password');
    await loggedInAs(a, 'alice');
    expect((await screenNow(a)).persist).toBe(PERSIST_INFO.keptInTab);
    expect(await storedSession(a, 'sessionStorage')).not.toBeNull();
    expect(await storedSession(a)).toBeNull();
    // B has nothing of A's, not even after a reload that would restore a session it had.
    await b.reload();
    await b.waitForSelector('body[data-ready="true"]');
    expect(await screenNow(b)).toMatchObject({ heading: 'Log in', who: null, ended: null });
    expect(await storedSession(b, 'sessionStorage')).toBeNull();
    expect(sentBy.get(b)).toBeUndefined();

    // A's logout leaves B as it was: nothing to end there.
    await a.getByRole('button', { name: 'Log out' }).click();
    await endedWith(a, SESSION_ENDED.loggedOut);
    expect(await screenNow(b)).toMatchObject({ heading: 'Log in', ended: null });
    const heard = await Promise.all([a, b].map(noticesOf));
    expect(heard.map(({ messages, storage }) => messages.length + storage.length)).toEqual([0, 0]);
  });
});
