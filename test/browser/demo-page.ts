// What the browser tests share: opening the demo page, reading its screen, holding its /token and /logout requests.
import type { BrowserContext, Page, Route } from 'playwright-core';
import {
  DEFAULT_PERSIST_KEY,
  type EtnaAuthErrorKind,
  type EtnaFailureCode,
  type EtnaSessionEndReason,
} from '../../src/index.js';

/** The demo page's titles for `error.kind`: the test's own copy, so a changed title is noticed. */
export const ERROR_TITLES: Record<Exclude<EtnaAuthErrorKind, 'input'>, string> = {
  network: 'Network error',
  timeout: 'Timed out',
  http: 'Unexpected HTTP status',
  protocol: 'Unexpected answer',
  appKey: 'Application key refused',
  rateLimited: 'Too many attempts',
};

/** The demo page's notice in `idle` after a session ended, by `context.reason`: the test's own copy. */
export const SESSION_ENDED: Record<EtnaSessionEndReason, string> = {
  expired: 'Your session expired. Log in again.',
  revoked: 'The server no longer accepts your session: it was revoked or ended elsewhere. Log in again.',
  loggedOut: 'You logged out.',
};

/**
 * The demo page's advice in `failed`, by `context.failure.code`: the test's own copy of the package's
 * `FAILURE_GUIDANCE`, so a changed text is noticed.
 */
export const FAILURE_GUIDANCE: Record<EtnaFailureCode, string> = {
  rejected: 'Check what you typed, then try again.',
  passwordExpired: "Change your password on your broker's website or app, then log in with the new one.",
  pinNotInitialized: "Set up a security PIN on your broker's website or app, then log in again.",
  unsupportedStep: "Finish this login on your broker's website or app: this step cannot be answered here.",
};

/** The session panel's line for a session restored from storage (the page does not know the account). */
export const RESTORED_WHO =
  "Restored from this tab's storage: the server knows the account, the page was not told.";
export const PERSIST_INFO = {
  kept: "Kept in this tab's sessionStorage: a reload keeps you logged in.",
  notKept: 'Not kept: a reload logs you out.',
} as const;

/** The session panel's token line for a token of `length` characters. */
export const tokenLine = (length: number) => `${length} characters, held in memory (not shown).`;

/** The storage key the demo page keeps a session under (the library's default). */
export const SESSION_KEY = DEFAULT_PERSIST_KEY;

/** What a person sees on the login card, read from the DOM (visible elements only). */
export interface Screen {
  /** The visible headings of the card: which form, prompt or outcome is shown. */
  readonly heading: string;
  /** The visible form, or the session panel while logging out, says `aria-busy="true"`. */
  readonly busy: boolean;
  /** Whether the visible form's submit button is disabled; null when no form is shown. */
  readonly submitDisabled: boolean | null;
  /** The `role="status"` line. */
  readonly status: string;
  /** The username field's value while the login form is shown. */
  readonly username: string | null;
  /** The account line shown above prompts and outcomes. */
  readonly account: string | null;
  /** The server's Reason shown on a PIN or code prompt. */
  readonly reason: string | null;
  /** The `name` of the input marked `aria-invalid`. */
  readonly invalid: string | null;
  /** A refused input's message is shown in the form's `role="alert"`. */
  readonly fieldError: string | null;
  /** `reason / step` on the "Login refused" panel. */
  readonly failure: string | null;
  /** `error.kind = "…"` and its details (status, Retry-After) on the error panel. */
  readonly error: string | null;
  /** The error panel's sentence, when one is shown. */
  readonly errorMessage: string | null;
  /** The notice in `idle` saying why the last session ended. */
  readonly ended: string | null;
  /** The advice under the "Login refused" panel, by failure code. */
  readonly advice: string | null;
  /** The session panel's "Who" line: the account, or that the session was restored. */
  readonly who: string | null;
  /** Hours until the session panel's "Ends" time (its `datetime`), rounded, by the page's clock. */
  readonly endsInHours: number | null;
  /** The session-token line of the session panel. */
  readonly token: string | null;
  /** The session panel's line saying whether a reload keeps the session. */
  readonly persist: string | null;
  /** Whether the session panel offers "Call the API" (and it is enabled). */
  readonly callApi: boolean;
  /** The visible Retry / Cancel / Log out buttons, in order. */
  readonly buttons: readonly string[];
}

/**
 * Runs in the page: the screen now, or — given an expected screen — the screen if it matches, else false.
 * Self-contained on purpose: Playwright sends its source text to the browser.
 */
function readScreen(expected?: Omit<Screen, 'fieldError' | 'errorMessage'>): Screen | false {
  const card = document.getElementById('card') as HTMLElement;
  const shown = (node: Element | null | undefined): node is HTMLElement =>
    node instanceof HTMLElement && node.checkVisibility();
  const text = (node: Element) => (node.textContent ?? '').replace(/\s+/g, ' ').trim();
  const visible = (selector: string) => Array.from(card.querySelectorAll(selector)).filter(shown);
  const first = (selector: string) => visible(selector)[0];
  const textOf = (selector: string) => {
    const node = first(selector);
    return node ? text(node) : null;
  };
  const form = visible('form')[0] as HTMLFormElement | undefined;
  const submit = form?.querySelector('button[type="submit"]') as HTMLButtonElement | null | undefined;
  const failure = first('#failed-panel');
  const error = first('#error-panel');
  const session = first('#succeeded-panel');
  const username = document.getElementById('username') as HTMLInputElement;
  const ends = first('#session-ends') as HTMLTimeElement | undefined;
  const callApi = first('#call-api') as HTMLButtonElement | undefined;
  const screen: Screen = {
    heading: visible('h2').map(text).join(' | '),
    busy: (form ?? session)?.getAttribute('aria-busy') === 'true',
    submitDisabled: submit ? submit.disabled : null,
    status: text(document.getElementById('status') as HTMLElement),
    username: shown(username) ? username.value : null,
    account: shown(document.getElementById('account')) ? textOf('#account b') : null,
    reason: textOf('.reason'),
    invalid:
      visible('input[aria-invalid="true"]')
        .map((input) => input.getAttribute('name'))
        .join(',') || null,
    fieldError: visible('.field-error[role="alert"]').map(text).join(' ') || null,
    failure: failure ? `${textOf('#failure-reason')} / ${textOf('#failure-step')}` : null,
    error: error ? [textOf('#error-kind'), textOf('#error-detail')].filter(Boolean).join(' ') : null,
    errorMessage: error ? textOf('#error-message') : null,
    ended: textOf('#session-ended') || null,
    advice: failure ? textOf('#failure-advice') : null,
    who: textOf('#session-who'),
    endsInHours: ends ? Math.round((Date.parse(ends.dateTime) - Date.now()) / 3_600_000) : null,
    token: textOf('#token-info'),
    persist: textOf('#persist-info'),
    callApi: callApi ? !callApi.disabled : false,
    buttons: visible('#actions button').map(text),
  };
  if (!expected) return screen;
  const { fieldError, errorMessage, ...compared } = screen;
  const keys = Object.keys(expected).sort();
  const same = JSON.stringify(compared, keys) === JSON.stringify(expected, keys);
  // A message must be shown exactly when a refusal or an error is.
  const messages =
    Boolean(fieldError) === Boolean(expected.invalid) && Boolean(errorMessage) === Boolean(expected.error);
  return same && messages ? screen : false;
}

/** Waits until the screen shows `expected` (polling the DOM), then returns it; on timeout returns what it shows. */
export async function waitForScreen(
  page: Page,
  expected: Omit<Screen, 'fieldError' | 'errorMessage'>,
  timeout = 5_000,
): Promise<Screen> {
  try {
    const handle = await page.waitForFunction(readScreen, expected, { timeout });
    return (await handle.jsonValue()) as Screen;
  } catch {
    return (await page.evaluate(readScreen, undefined)) as Screen;
  }
}

export async function screenNow(page: Page): Promise<Screen> {
  return (await page.evaluate(readScreen, undefined)) as Screen;
}

export interface DemoPage {
  readonly page: Page;
  /** Everything the page wrote to its console, and its uncaught errors. */
  readonly console: string[];
  /** The next `/token` or `/logout` request the page makes, held until the test calls `route.continue()`. */
  nextHeldRequest(): Promise<Route>;
  /**
   * Loads the demo again in the same tab as a new visit (cheaper than a new page): the tab's sessionStorage
   * is emptied, then given `storedSession`, before the page's scripts run; the console record starts over and
   * requests still held are aborted. `holdRequests` defaults to the value the page was opened with.
   */
  restart(options?: OpenDemoOptions): Promise<void>;
}

export interface OpenDemoOptions {
  /** Query parameters of the page: `timeout`, `maxSteps`, `sessionLifetime`. */
  readonly query?: Record<string, string | number>;
  /** Hold every `/token` and `/logout` request until the test releases it with `nextHeldRequest()`. @default false */
  readonly holdRequests?: boolean;
  /**
   * A stored session (as `persist` writes it) put in the tab's sessionStorage under `SESSION_KEY` before the
   * page's scripts run, on every load of this page (a `restart` too, after emptying the storage).
   */
  readonly storedSession?: string;
}

/** Opens the demo in a new page. */
export async function openDemo(
  context: BrowserContext,
  url: string,
  { query = {}, holdRequests = false, storedSession }: OpenDemoOptions = {},
): Promise<DemoPage> {
  const page = await context.newPage();
  const messages: string[] = [];
  page.on('console', (message) => messages.push(message.text()));
  page.on('pageerror', (error) => messages.push(`uncaught: ${error.message}`));
  if (storedSession !== undefined)
    await page.addInitScript(({ key, value }) => sessionStorage.setItem(key, value), {
      key: SESSION_KEY,
      value: storedSession,
    });
  const held: Route[] = [];
  const waiting: ((route: Route) => void)[] = [];
  let holding = false;
  let routed = false;
  const hold = async (on: boolean) => {
    holding = on;
    if (!on || routed) return;
    routed = true;
    await page.route(/\/api\/(token|logout)$/, (route) => {
      if (!holding) return route.continue();
      const waiter = waiting.shift();
      if (waiter) waiter(route);
      else held.push(route);
    });
  };
  await hold(holdRequests);
  const load = async (query: Record<string, string | number>) => {
    const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]));
    await page.goto(`${url}${search.size ? `?${search}` : ''}`);
    await page.waitForSelector('body[data-ready="true"]');
  };
  await load(query);
  return {
    page,
    console: messages,
    restart: async ({ query = {}, storedSession, holdRequests: holdAgain = holdRequests } = {}) => {
      messages.length = 0;
      waiting.length = 0;
      await Promise.all(held.splice(0).map((route) => route.abort().catch(() => undefined)));
      await hold(holdAgain);
      await page.evaluate(
        ({ key, value }) => {
          sessionStorage.clear();
          if (value !== undefined) sessionStorage.setItem(key, value);
        },
        { key: SESSION_KEY, value: storedSession },
      );
      await load(query);
    },
    nextHeldRequest: () =>
      new Promise((resolve) => {
        const route = held.shift();
        if (route) resolve(route);
        else waiting.push(resolve);
      }),
  };
}

/** The session the tab keeps for reloads, as the page's sessionStorage holds it (null when none). */
export function storedSession(page: Page): Promise<string | null> {
  return page.evaluate((key) => sessionStorage.getItem(key), SESSION_KEY);
}
