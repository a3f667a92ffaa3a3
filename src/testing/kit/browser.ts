// The Playwright flavour: the app in a real browser page, opened for each path at its URL with the path's settings,
// on the page's clock (Playwright's `clock`, installed on the context), "another tab" a second page of its origin.
// Typed by the little of Playwright it uses, so that etna-auth needs no Playwright of its own.
import { DEFAULT_PERSIST_KEY } from '../../defaults.js';
import { SESSION_CHANNEL } from '../../session/storage.js';
import { MODEL_SECRETS } from './reading.js';
import type { Stage } from './stage.js';
import type { ModelAppSettings, RunModelPathsOptions, ScreenDriver } from './types.js';

/** The part of a Playwright `Page` the kit uses; a Playwright page is one. */
export interface ModelPage {
  goto(url: string): Promise<unknown>;
  evaluate<R, Arg>(pageFunction: (arg: Arg) => R | Promise<R>, arg: Arg): Promise<R>;
  route(
    url: string,
    handler: (route: { fulfill(response: { contentType: string; body: string }): Promise<void> }) => unknown,
  ): Promise<unknown>;
  on(event: 'pageerror', listener: (error: Error) => void): unknown;
  on(event: 'console', listener: (message: { text(): string }) => void): unknown;
  close(): Promise<void>;
}

/** The part of a Playwright `BrowserContext` the kit uses; a Playwright context is one. */
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

/** Options of the Playwright flavour. */
export interface RunModelPathsInBrowserOptions<TPage extends ModelPage> extends RunModelPathsOptions {
  /** The browser context to open each path's page in: its clock is installed by the kit (once). */
  readonly context: ModelBrowserContext<TPage>;
  /** Where the app keeps its session (the one `otherTab` steps need shared by tabs). @default 'localStorage' */
  readonly storage?: 'localStorage' | 'sessionStorage';
  /** The storage key of the session. @default DEFAULT_PERSIST_KEY */
  readonly persistKey?: string;
}

/** A blank page of the app's origin, served by the kit: where storage is seeded, and where "another tab" writes. */
const BLANK_PATH = '/__etna-auth-kit__';
const BLANK = { contentType: 'text/html', body: '<!doctype html><title>etna-auth kit</title>' };
const installed = new WeakSet<object>();

/** A stage of the Playwright flavour: a new page (and a second one for another tab) for each path. */
export async function browserStage<TPage extends ModelPage>(
  driver: BrowserModelDriver<TPage>,
  options: RunModelPathsInBrowserOptions<TPage>,
): Promise<Stage> {
  const { context } = options;
  const where = {
    storage: options.storage ?? 'localStorage',
    key: options.persistKey ?? DEFAULT_PERSIST_KEY,
  };
  // Running at the real pace until a step runs it on; back to now for each path, which dates its stored session.
  if (!installed.has(context)) {
    installed.add(context);
    await context.clock.install({ time: Date.now() });
  } else await context.clock.setSystemTime(Date.now());
  const troubles: string[] = [];
  const page = await context.newPage();
  page.on('pageerror', (error) => troubles.push(`uncaught in the page: ${redacted(error.message)}`));
  page.on('console', (message) => {
    if (MODEL_SECRETS.some((secret) => message.text().includes(secret)))
      troubles.push('the console showed a secret');
  });
  let blank = '';
  let other: TPage | undefined;
  const openBlank = async (tab: TPage) => {
    await tab.route(blank, (route) => route.fulfill(BLANK));
    await tab.goto(blank);
  };
  return {
    open: async (settings, storedSession) => {
      const url =
        typeof driver.url === 'function' ? driver.url(settings) : withSettings(driver.url, settings);
      blank = new URL(BLANK_PATH, url).href;
      await openBlank(page);
      await page.evaluate(
        ({ storage, key, value }) => {
          localStorage.clear();
          sessionStorage.clear();
          if (value !== undefined) window[storage].setItem(key, value);
        },
        { ...where, value: storedSession },
      );
      await page.goto(url);
    },
    read: async () => driver.read(page),
    submit: (event) => driver.submit(page, event),
    callApi: () => driver.callApi(page),
    now: () => page.evaluate(() => Date.now(), undefined),
    dueAt: async (epochMs) => epochMs,
    advance: (ms) => context.clock.fastForward(Math.ceil(ms)),
    otherTab: async (value) => {
      if (!other) {
        other = await context.newPage();
        await openBlank(other);
      }
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
    },
    stored: () => page.evaluate(({ storage, key }) => window[storage].getItem(key), where),
    troubles: () => troubles,
    close: async () => {
      await Promise.all([page.close(), other?.close()]);
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
