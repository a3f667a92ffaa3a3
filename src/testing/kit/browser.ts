// The Playwright flavour: the app in a real browser page, opened for each path at its URL with the path's settings,
// on the page's clock (Playwright's `clock`, installed on the context), "another tab" a second page of its origin.
// Typed by the little of Playwright it uses, so that etna-auth needs no Playwright of its own.
import { DEFAULT_PERSIST_KEY } from '../../defaults.js';
import { SESSION_CHANNEL } from '../../session/storage.js';
import { MODEL_SECRETS } from './reading.js';
import type { Flavour, Stage } from './stage.js';
import type { ModelAppSettings, RunModelPathsOptions, ScreenDriver } from './types.js';

/**
 * The part of a Playwright `Page` the kit uses; a Playwright page is one.
 * @example read: (page: ModelPage) => page.evaluate(readScreen)
 */
export interface ModelPage {
  goto(url: string): Promise<unknown>;
  evaluate<R, Arg>(pageFunction: (arg: Arg) => R | Promise<R>, arg: Arg): Promise<R>;
  route(
    url: string,
    handler: (route: { fulfill(response: { contentType: string; body: string }): Promise<void> }) => unknown,
  ): Promise<unknown>;
  on(event: 'pageerror', listener: (error: Error) => void): unknown;
  on(event: 'console', listener: (message: { text(): string }) => void): unknown;
  bringToFront(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The part of a Playwright `BrowserContext` the kit uses; a Playwright context is one.
 * @example const context: ModelBrowserContext = await browser.newContext();
 */
export interface ModelBrowserContext<TPage extends ModelPage> {
  newPage(): Promise<TPage>;
  readonly clock: {
    install(options?: { time?: number }): Promise<void>;
    fastForward(ticks: number): Promise<void>;
    setSystemTime(time: number): Promise<void>;
  };
}

/**
 * The driver of an app in a browser page: where to open it, and how to read and use its screen (`target` is the
 * path's Playwright page).
 * @example
 * const driver: BrowserModelDriver<Page> = {
 *   url: 'http://127.0.0.1:5173/',
 *   read: (page) => page.evaluate(readScreen),
 *   submit: (page, event) => fillAndPress(page, event),
 *   callApi: (page) => page.getByRole('button', { name: /call the api/i }).click(),
 * };
 */
export interface BrowserModelDriver<TPage extends ModelPage> extends ScreenDriver<TPage> {
  /**
   * The app's page. A URL: the kit adds the settings as JSON in the query parameter `etna-auth`
   * (`?etna-auth={"baseUrl":…}`), which the page, in its test build, spreads into `createEtnaAuthMachine`. A
   * function: the page's URL for the settings, in whatever form the page reads them.
   */
  readonly url: string | ((settings: ModelAppSettings) => string);
}

/**
 * Where the session lives when a backend keeps it (`etna-auth/server`, the page on `etna-auth/remote`): the page's
 * storage holds none, so the kit neither seeds nor reads it there, and these do what a reload's stored session,
 * another tab and time do to it.
 * @example
 * const backend: ModelBackendSession<Page> = {
 *   open: (page, url, stored) => seedBrowserSession(url, stored),
 *   otherTab: (page, value) => writeBrowserSession(value),
 *   advance: async (ms) => backendClock.fastForward(ms),
 * };
 */
export interface ModelBackendSession<TPage extends ModelPage> {
  /**
   * Before the page opens at `url`: the backend forgets this browser's session, then, on a restored start, keeps
   * `stored` (what `persist` writes: `{ token, expiresAt, username }`) as its session.
   */
  open(page: TPage, url: string, stored: string | undefined): Promise<void>;
  /** Another tab (another process of the backend) makes `value` this browser's session, or ends it (`null`). */
  otherTab(page: TPage, value: string | null): Promise<void>;
  /** Runs the backend's clock on by `ms`, as the kit runs the page's. */
  advance(ms: number): Promise<void>;
}

/**
 * Options of the Playwright flavour.
 * @example runModelPathsInBrowser(driver, { context: await browser.newContext() } satisfies RunModelPathsInBrowserOptions<Page>)
 */
export interface RunModelPathsInBrowserOptions<TPage extends ModelPage> extends RunModelPathsOptions {
  /** The browser context to open each path's page in: its clock is installed by the kit (once). */
  readonly context: ModelBrowserContext<TPage>;
  /** Where the app keeps its session (the one `otherTab` steps need shared by tabs). @default 'localStorage' */
  readonly storage?: 'localStorage' | 'sessionStorage';
  /** The storage key of the session. @default DEFAULT_PERSIST_KEY */
  readonly persistKey?: string;
  /** The session is kept by a backend, not the page (see `ModelBackendSession`). @default undefined (the page's storage) */
  readonly backend?: ModelBackendSession<TPage>;
}

/** A blank page of the app's origin, served by the kit: where storage is seeded, and where "another tab" writes. */
const BLANK_PATH = '/__etna-auth-kit__';
const BLANK = { contentType: 'text/html', body: '<!doctype html><title>etna-auth kit</title>' };
const installed = new WeakSet<object>();

/**
 * The Playwright flavour: one page for the app and one for "another tab", opened at the first path and reused (a
 * new page costs more than a path); each path loads the app afresh, its storage emptied (and seeded) first.
 */
export function browserFlavour<TPage extends ModelPage>(
  driver: BrowserModelDriver<TPage>,
  options: RunModelPathsInBrowserOptions<TPage>,
): Flavour {
  const { context, backend } = options;
  const where = {
    storage: options.storage ?? 'localStorage',
    key: options.persistKey ?? DEFAULT_PERSIST_KEY,
  };
  let troubles: string[] = [];
  let page: TPage | undefined;
  let other: TPage | undefined;
  /** The blank page each tab serves, by the tab. */
  const blanks = new Map<TPage, string>();
  /** The tabs on their blank page now (the kit alone moves them): a path's page opens from there. */
  const onBlank = new Set<TPage>();
  const openBlank = async (tab: TPage, url: string) => {
    const blank = new URL(BLANK_PATH, url).href;
    if (blanks.get(tab) === blank && onBlank.has(tab)) return;
    if (blanks.get(tab) !== blank) await tab.route(blank, (route) => route.fulfill(BLANK));
    blanks.set(tab, blank);
    onBlank.delete(tab);
    await tab.goto(blank);
    onBlank.add(tab);
  };
  const appPage = async () => {
    if (page) return page;
    page = await context.newPage();
    page.on('pageerror', (error) => troubles.push(`uncaught in the page: ${redacted(error.message)}`));
    page.on('console', (message) => {
      if (MODEL_SECRETS.some((secret) => message.text().includes(secret)))
        troubles.push('the console showed a secret');
    });
    return page;
  };

  const stage = async (): Promise<Stage> => {
    // Running at the real pace until a step runs it on; back to now for each path, which dates its stored session.
    if (!installed.has(context)) {
      installed.add(context);
      await context.clock.install({ time: Date.now() });
    } else await context.clock.setSystemTime(Date.now());
    troubles = [];
    const tab = await appPage();
    let url = '';
    return {
      open: async (settings, storedSession) => {
        url = typeof driver.url === 'function' ? driver.url(settings) : withSettings(driver.url, settings);
        await openBlank(tab, url);
        await tab.evaluate(
          ({ storage, key, value }) => {
            localStorage.clear();
            sessionStorage.clear();
            if (value !== undefined) window[storage].setItem(key, value);
          },
          { ...where, value: backend ? undefined : storedSession },
        );
        await backend?.open(tab, url, storedSession);
        onBlank.delete(tab);
        await tab.goto(url);
      },
      read: async () => driver.read(tab),
      submit: (event) => driver.submit(tab, event),
      callApi: () => driver.callApi(tab),
      now: () => tab.evaluate(() => Date.now(), undefined),
      dueAt: async (epochMs) => epochMs,
      advance: async (ms) => {
        await context.clock.fastForward(Math.ceil(ms));
        await backend?.advance(Math.ceil(ms));
      },
      otherTab: async (value) => {
        if (backend) return backend.otherTab(tab, value);
        other ??= await context.newPage();
        if (blanks.get(other) !== new URL(BLANK_PATH, url).href) await openBlank(other, url);
        // As the library's `browserLocalStorage()` in another tab: the write, then its notice on the channel.
        await other.evaluate(
          ({ key, value, channel }) => {
            if (value === null) localStorage.removeItem(key);
            else localStorage.setItem(key, value);
            const notice = new BroadcastChannel(channel);
            notice.postMessage({ key });
            notice.close();
          },
          { key: where.key, value, channel: SESSION_CHANNEL },
        );
        // A tab in the background gets no animation frames, which Playwright's clicks wait for.
        await tab.bringToFront();
      },
      // A backend's session is not the page's to read: the screen shows it.
      stored: async () =>
        backend ? undefined : tab.evaluate(({ storage, key }) => window[storage].getItem(key), where),
      troubles: () => troubles,
      // The app leaves the page, its timers and requests with it.
      close: async () => {
        await openBlank(tab, url || 'about:blank').catch(() => undefined);
      },
    };
  };
  return {
    stage,
    close: async () => {
      await Promise.all([page?.close(), other?.close()]);
    },
    readsLater: {
      skipped: backend
        ? 'the backend reads its store before the page asks: runModelPaths (Node) runs the paths of a storage read later'
        : "a page's storage answers at once: runModelPaths (Node) runs the paths of a storage read later",
    },
  };
}

/** `url` with the settings as JSON in its `etna-auth` query parameter. */
function withSettings(url: string, settings: ModelAppSettings): string {
  const address = new URL(url);
  address.searchParams.set('etna-auth', JSON.stringify(settings));
  return address.href;
}

const redacted = (text: string) =>
  MODEL_SECRETS.reduce((shown, secret) => shown.split(secret).join('[redacted]'), text);
