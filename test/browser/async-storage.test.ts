// The demo page with `?storage=async`: its session kept in localStorage behind a storage that answers 300 ms later,
// as React Native's AsyncStorage or an IndexedDB wrapper would. A stored session is restored in Chromium: the page
// shows the restoring screen (no form, no button, the catalog's line) and sends nothing meanwhile, then the session;
// an expired one leads to the login form; a login, a logout and a second tab work as with localStorage itself.
// Every screen the page shows is recorded as it is drawn, so a screen lasting 300 ms is never missed.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import { englishMessages } from '../../src/messages/index.js';
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

/** A limit for what crosses tabs or waits on the slow storage, on a busy 2-core machine; never a pause. */
const PATIENCE = { timeout: 15_000 } as const;
const ASYNC = { storage: 'async' } as const;
const RESTORING = englishMessages.notices.restoringSession;

/** What the card showed once, as the page drew it. */
interface Shown {
  /** The statechart's current state (the diagram beside the card). */
  readonly state: string;
  readonly heading: string;
  readonly status: string;
  /** The ids of the forms shown. */
  readonly forms: readonly string[];
  /** The action buttons shown (Retry, Cancel, Log out) and the session panel's Call the API. */
  readonly buttons: readonly string[];
}

/** Runs in every page before its scripts: records each new look of the card, from the first drawing on. */
function recordCard(): void {
  const shown: Shown[] = [];
  (window as unknown as { shownCards: Shown[] }).shownCards = shown;
  const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const visible = (node: Element) => node instanceof HTMLElement && node.checkVisibility();
  const read = () => {
    const card = document.getElementById('card');
    if (!card) return;
    const look: Shown = {
      state: document.getElementById('chart')?.dataset.current ?? '',
      heading: Array.from(card.querySelectorAll('h2')).filter(visible).map(text).join(' | '),
      status: text(document.getElementById('status')),
      forms: Array.from(card.querySelectorAll('form'))
        .filter(visible)
        .map((form) => form.id),
      buttons: Array.from(card.querySelectorAll('#actions button, #call-api')).filter(visible).map(text),
    };
    if (JSON.stringify(shown.at(-1)) !== JSON.stringify(look)) shown.push(look);
  };
  new MutationObserver(read).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    characterData: true,
  });
}

const shownCards = (page: Page) =>
  page.evaluate(() => (window as unknown as { shownCards: Shown[] }).shownCards);

/** The card while restoring: the login's heading, the catalog's line, nothing to fill in or press. */
const RESTORING_CARD = { heading: 'Log in', status: RESTORING, forms: [], buttons: [] };

/** The looks the page showed up to now: it began with the restoring card, then went on to another one. */
async function expectRestoredFirst(page: Page): Promise<Shown[]> {
  const looks = await shownCards(page);
  const first = looks.findIndex((look) => look.status === RESTORING);
  expect(first, 'the restoring screen was shown').toBeGreaterThanOrEqual(0);
  // Before it, only the empty card of the page's first parse: no form, no session, no button.
  for (const look of looks.slice(0, first)) expect(look).toMatchObject({ forms: [], buttons: [] });
  expect(looks[first]).toMatchObject(RESTORING_CARD);
  // While the status says so: the same card, and the diagram marks `restoring` (once drawn).
  const restoring = looks.filter((look) => look.status === RESTORING);
  for (const look of restoring) expect(look).toMatchObject(RESTORING_CARD);
  expect(restoring.some((look) => look.state === 'restoring')).toBe(true);
  return looks.slice(first + restoring.length);
}

/** Logs in on the page's login form, "Keep me logged in" ticked. */
async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Keep me logged in').check();
  await page.getByLabel('Password').press('Enter');
}

/** Waits until the page shows `username`'s session panel. */
async function loggedInAs(page: Page, username: string): Promise<void> {
  await page.locator('#status', { hasText: `Logged in as ${username}.` }).waitFor(PATIENCE);
  expect(await screenNow(page)).toMatchObject({
    heading: 'Logged in',
    who: `Account ${username}`,
    callApi: true,
  });
}

/** Waits until the page shows the login form, `ended` saying why the last session ended (null: none did). */
async function onLoginForm(page: Page, ended: string | null): Promise<void> {
  await page.locator('#login-form').waitFor({ state: 'visible', ...PATIENCE });
  if (ended) await page.locator('#session-ended', { hasText: ended }).waitFor(PATIENCE);
  expect(await screenNow(page)).toMatchObject({ heading: 'Log in', who: null, token: null, ended });
}

/** Waits for the login form, and checks the page showed the restoring card before it, and then the form alone. */
async function restoredIntoLoginForm(page: Page): Promise<void> {
  await onLoginForm(page, null);
  const after = await expectRestoredFirst(page);
  expect(after.at(-1)).toMatchObject({
    state: 'idle',
    heading: 'Log in',
    forms: ['login-form'],
    buttons: [],
  });
}

/** Waits until the origin's localStorage holds a session (`kept`) or none: the slow storage writes 300 ms later. */
async function storedBecomes(page: Page, kept: boolean): Promise<string | null> {
  await page.waitForFunction(
    ({ key, kept }) => (localStorage.getItem(key) !== null) === kept,
    { key: SESSION_KEY, kept },
    PATIENCE,
  );
  return storedSession(page);
}

describe('the demo page with a storage that answers later (?storage=async)', { timeout: 60_000 }, () => {
  let demo: DemoServer;
  let chromium: LaunchedChromium;
  let context: BrowserContext;
  /** The requests each page sent to the fake server, as `METHOD /path`. */
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

  /** A fresh browser context (its own localStorage) whose pages record their card and what they send. */
  async function newContext(): Promise<BrowserContext> {
    context = await chromium.newContext();
    await context.addInitScript(recordCard);
    sentBy = recordSentByPage(context);
    return context;
  }

  it('restores a session kept in localStorage: the restoring screen, nothing sent, then the session', async () => {
    await newContext();
    // alice logs in on the page as usual, kept; then that tab is closed.
    const { page: before } = await openDemo(context, demo.url);
    await logIn(before, 'alice', 'alice-password');
    await loggedInAs(before, 'alice');
    const stored = await storedSession(before);
    const token = JSON.parse(stored ?? '{}').token as string;
    expect(demo.etna.sessionOwner(token)).toBe('alice');
    await before.close();

    const logged = demo.etna.requests.length;
    const { page } = await openDemo(context, demo.url, { query: ASYNC });
    await loggedInAs(page, 'alice');
    expect(demo.etna.requests.length, "the fake server's request log: nothing while restoring").toBe(logged);
    expect(sentBy.get(page)).toBeUndefined();
    const after = await expectRestoredFirst(page);
    expect(after.at(-1)).toMatchObject({
      state: 'succeeded.active',
      heading: 'Logged in',
      forms: [],
      buttons: ['Call the API', 'Log out'],
    });
    expect(await screenNow(page)).toMatchObject({ persist: PERSIST_INFO.kept, ended: null });
    expect(await storedSession(page), 'the session stays kept').toBe(stored);

    // The restored token is the real one: the API knows it.
    await page.getByRole('button', { name: 'Call the API' }).click();
    await page.locator('#api-result', { hasText: 'Login alice' }).waitFor(PATIENCE);
    expect(demo.etna.requests.at(-1)?.header('authorization')).toBe(`Bearer ${token}`);
    expect(sentBy.get(page)).toEqual(['GET /api/v1.0/users/@me/info']);
  });

  it('starts an empty storage in restoring too, then shows the login form, having sent nothing', async () => {
    await newContext();
    const logged = demo.etna.requests.length;
    const { page } = await openDemo(context, demo.url, { query: ASYNC });
    await restoredIntoLoginForm(page);
    expect(await storedSession(page)).toBeNull();
    expect(demo.etna.requests.length, "the fake server's request log").toBe(logged);
    expect(sentBy.get(page)).toBeUndefined();
  });

  it('keeps a login made on the slow storage ("Keep me logged in") and restores it after a reload of the page', async () => {
    await newContext();
    const { page } = await openDemo(context, demo.url, { query: ASYNC });
    await onLoginForm(page, null);
    await logIn(page, 'alice', 'alice-password');
    await loggedInAs(page, 'alice');
    const stored = await storedBecomes(page, true);
    const token = JSON.parse(stored ?? '{}').token as string;
    expect(demo.etna.sessionOwner(token)).toBe('alice');
    expect(sentBy.get(page)).toEqual(['POST /api/token']);

    sentBy.delete(page);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await loggedInAs(page, 'alice');
    const after = await expectRestoredFirst(page);
    expect(after.at(-1)).toMatchObject({ state: 'succeeded.active', buttons: ['Call the API', 'Log out'] });
    expect(sentBy.get(page), 'nothing sent to restore it').toBeUndefined();
    expect(await storedSession(page), 'the session stays kept').toBe(stored);
    expect(demo.etna.isSessionActive(token)).toBe(true);
  });

  it('leads an expired stored session to the login form, forgetting it, without sending anything', async () => {
    await newContext();
    const expired = JSON.stringify({
      token: 'expired-token',
      expiresAt: Date.now() - 60_000,
      username: 'alice',
    });
    const logged = demo.etna.requests.length;
    const { page } = await openDemo(context, demo.url, { query: ASYNC, storedSession: expired });
    await restoredIntoLoginForm(page);
    // The library clears what cannot be used, through the slow storage too.
    expect(await storedBecomes(page, false)).toBeNull();
    expect(demo.etna.requests.length, "the fake server's request log").toBe(logged);
    expect(sentBy.get(page)).toBeUndefined();
    expect(await page.evaluate(() => document.activeElement?.id), 'the form has the focus').toBe('username');
  });

  it('logs in and out, shares the session with a second tab, and restores it after a reload', async () => {
    await newContext();
    const { page: a } = await openDemo(context, demo.url, { query: ASYNC });
    await onLoginForm(a, null);
    expect(await a.locator('#keep-hint').textContent()).toContain('read and written 300 ms later');
    const [b] = await Promise.all([
      context.waitForEvent('page'),
      a.getByRole('button', { name: 'Open a second tab' }).click(),
    ]);
    await b.waitForSelector('body[data-ready="true"]');
    expect(new URL(b.url()).searchParams.get('storage')).toBe('async');
    await onLoginForm(b, null);
    await expectRestoredFirst(b);

    await logIn(a, 'bob', 'bob-password');
    await a.getByLabel('PIN', { exact: true }).fill('1234');
    await a.getByLabel('PIN', { exact: true }).press('Enter');
    await loggedInAs(a, 'bob');
    // Kept, as the page says once the slow storage is asked to write it (it writes it a moment later).
    await expect.poll(async () => (await screenNow(a)).persist, PATIENCE).toBe(PERSIST_INFO.kept);
    const stored = await storedBecomes(a, true);
    const token = JSON.parse(stored ?? '{}').token as string;
    expect(demo.etna.sessionOwner(token)).toBe('bob');
    // B hears of it, reads it later, and shows it: without a request of its own.
    await loggedInAs(b, 'bob');
    expect(sentBy.get(a)).toEqual(['POST /api/token', 'POST /api/token']);
    expect(sentBy.get(b)).toBeUndefined();

    // A reload of B restores the session through the slow storage.
    await b.reload();
    await b.waitForSelector('body[data-ready="true"]');
    await loggedInAs(b, 'bob');
    await expectRestoredFirst(b);
    expect(sentBy.get(b)).toBeUndefined();

    // A logout in B ends A's session too, and the storage is emptied.
    await b.getByRole('button', { name: 'Log out' }).click();
    await onLoginForm(b, SESSION_ENDED.loggedOut);
    await onLoginForm(a, SESSION_ENDED.endedElsewhere);
    expect(sentBy.get(b)).toEqual(['POST /api/logout']);
    expect(demo.etna.isSessionActive(token)).toBe(false);
    expect(await storedBecomes(a, false)).toBeNull();
    expect(await a.getByLabel('Username').inputValue()).toBe('bob');
  });
});
