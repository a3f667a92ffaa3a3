// What the browser tests share: opening the demo page, reading its screen, holding the requests of its login.
import type { BrowserContext, Page, Route } from 'playwright-core';
import { DEFAULT_PERSIST_KEY, type EtnaFailureCode } from '../../src/index.js';
import { englishMessages } from '../../src/messages/index.js';
import { FAKE_ETNA_ROUTES } from '../../src/testing/index.js';

// What the page says about what the machine tells is the package's catalog (etna-auth/messages), whose English
// sentences test/unit/messages pins: the page must show exactly those.

/** The demo page's titles for `error.kind`: the catalog's. */
export const ERROR_TITLES = englishMessages.errorTitles;

/** The demo page's notice in `idle` after a session ended, by `context.reason`: the catalog's. */
export const SESSION_ENDED = englishMessages.sessionEnds;

/**
 * The demo page's advice in `failed`, by `context.failure.code`: the test's own copy of the package's
 * `FAILURE_GUIDANCE`, so a changed text is noticed.
 */
export const FAILURE_GUIDANCE: Record<EtnaFailureCode, string> = {
  rejected: 'Check what you typed, then try again.',
  passwordExpired: "Change your password on your broker's website or app, then log in with the new one.",
  pinNotInitialized: "Set up a security PIN on your broker's website or app, then log in again.",
  unsupportedStep: "Finish this login on your broker's website or app: this step cannot be answered here.",
  resetRefused: "Reset your password on your broker's website or app, or ask the broker's support.",
};

/** The demo page's status line in each busy state: the catalog's. */
export const BUSY_STATUS: Readonly<Record<string, string>> = englishMessages.busy;

/** The code prompt's notice after a resend: the catalog's. */
export const CODE_RESENT = englishMessages.notices.codeResent;

/** The session panel's line for a session restored from storage that did not keep the username. */
export const RESTORED_WHO =
  'Restored from storage that did not keep the username: the server knows the account, the page was not told.';
/** The session panel's line saying whether (and where) the session is kept: the test's own copy. */
export const PERSIST_INFO = {
  /** In localStorage, the default: the site's tabs share it. */
  kept: "Kept in this browser's localStorage, shared by this site's tabs: a reload or another tab keeps you logged in.",
  /** With `?storage=session`: this tab's own. */
  keptInTab: "Kept in this tab's sessionStorage: a reload keeps you logged in.",
  notKept: 'Not kept: a reload, or a second tab, asks you to log in again.',
  /** With `?storage=session`, not kept. */
  notKeptInTab: 'Not kept: a reload logs you out.',
} as const;

/** The line under a failed login again, while the session ends soon: the catalog's. */
export const STILL_WORKS = englishMessages.notices.sessionStillWorks;

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
  /** A refused input's message, in the form's `role="alert"` (until its field is edited). */
  readonly fieldError: string | null;
  /** `reason / step` on the "Login refused" panel (the step empty when it has no name for people). */
  readonly failure: string | null;
  /** The error panel's sentence. */
  readonly error: string | null;
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
  /** Whether the login form offers "Forgot password?" (shown and enabled). */
  readonly forgotPassword: boolean;
  /** The anti-phishing phrase shown on the PIN prompt. */
  readonly phrase: string | null;
  /** The `src` of the anti-phishing picture on the PIN prompt (its alt text must be "Your security image"). */
  readonly securityImage: string | null;
  /** The PIN set-up's pictures to choose from: each radio's accessible name (the picture's file name). */
  readonly imageChoices: readonly string[] | null;
  /** The `src` of each choice's picture, in the same order. */
  readonly imageSources: readonly string[] | null;
  /** The secret question on the reset's question form. */
  readonly secretQuestion: string | null;
  /** The server's Errors in the visible form's alert. */
  readonly serverErrors: readonly string[] | null;
  /** Whether the code prompt says a new code was sent and the previous one no longer works. */
  readonly codeResent: boolean;
  /** Whether the code prompt offers "Send a new code" (shown and enabled). */
  readonly resend: boolean;
  /** Whether the code prompt shows "You can ask for a new code in N s." (N a whole number from 1). */
  readonly resendWait: boolean;
  /** Whether the error shows "You can try again in N s." (N a whole number from 1). */
  readonly retryWait: boolean;
  /** Whether the login again shows "You can log in again in N s." (N a whole number from 1). */
  readonly reloginWait: boolean;
  /** The title of an error a form shows without leaving its prompt (a failed resend), e.g. "Too many attempts." */
  readonly formError: string | null;
  /** The N of the resend countdown, when one is shown. */
  readonly resendIn: number | null;
  /** The N of the retry countdown, when one is shown. */
  readonly retryIn: number | null;
  /** The N of the login again's countdown, when one is shown. */
  readonly reloginIn: number | null;
  /** Whether the session's warning shows "Your session ends in M:SS." (its countdown well-formed). */
  readonly ending: boolean;
  /** The seconds of that countdown, when one is shown. */
  readonly endingIn: number | null;
  /** The username the login-again form shows, while it is shown. */
  readonly reloginUsername: string | null;
  /** Whether that username is read-only (the logged-in user's). */
  readonly reloginUsernameFixed: boolean | null;
  /** The title of a failed login again: the server's Reason, or the error's title. */
  readonly reloginProblem: string | null;
  /** What follows it: the failure's advice, or the error's message. */
  readonly reloginDetail: string | null;
  /** Whether the failed login again says the current session still works until it ends. */
  readonly stillWorks: boolean;
  /** Every block of text the card shows (headings, paragraphs, list items, buttons, alerts): what a person reads. */
  readonly blocks: readonly string[];
}

/** What a test expects to see: the screen without the countdowns' seconds (their timing is the clock's) and the blocks. */
export type ExpectedScreen = Omit<Screen, 'resendIn' | 'retryIn' | 'reloginIn' | 'endingIn' | 'blocks'>;

/**
 * Runs in the page: the screen now, or — given an expected screen — the screen if it matches, else false.
 * Self-contained on purpose: Playwright sends its source text to the browser.
 */
function readScreen(expected?: ExpectedScreen): Screen | false {
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
  const offered = (selector: string) => {
    const button = first(selector) as HTMLButtonElement | undefined;
    return button ? !button.disabled : false;
  };
  /** The N of a visible countdown line whose whole text reads `before N after`; null otherwise. */
  const countdown = (selector: string, before: string, after: string) => {
    const line = first(selector);
    if (!line) return null;
    const shownText = text(line);
    if (!shownText.startsWith(before) || !shownText.endsWith(after)) return null;
    const seconds = shownText.slice(before.length, shownText.length - after.length);
    return /^[1-9]\d*$/.test(seconds) ? Number(seconds) : null;
  };
  const choices = visible('#image-choices input[type="radio"]') as HTMLInputElement[];
  const pictureOf = (radio: HTMLInputElement) => radio.labels?.[0]?.querySelector('img') ?? null;
  const pinImage = first('#pin-image');
  const serverErrors = visible('.server-errors li').map(text);
  const resendIn = countdown('#resend-wait', 'You can ask for a new code in ', ' s.');
  const retryIn = countdown('#retry-wait', 'You can try again in ', ' s.');
  const reloginIn = countdown('#relogin-wait', 'You can log in again in ', ' s.');
  const failure = first('#failed-panel');
  const error = first('#error-panel');
  const session = first('#succeeded-panel');
  const username = document.getElementById('username') as HTMLInputElement;
  const ends = first('#session-ends') as HTMLTimeElement | undefined;
  const callApi = first('#call-api') as HTMLButtonElement | undefined;
  const endingLine = first('#ending-wait');
  const endingMatch = endingLine ? /^Your session ends in (\d+):([0-5]\d)\.$/.exec(text(endingLine)) : null;
  const endingIn = endingMatch ? Number(endingMatch[1]) * 60 + Number(endingMatch[2]) : null;
  const reloginUsername = first('#relogin-username') as HTMLInputElement | undefined;
  const screen: Screen = {
    heading: visible('h2').map(text).join(' | '),
    busy: (form ?? session)?.getAttribute('aria-busy') === 'true',
    submitDisabled: submit ? submit.disabled : null,
    status: text(document.getElementById('status') as HTMLElement),
    username: shown(username) ? username.value : null,
    account: shown(document.getElementById('account')) ? textOf('#account b') : null,
    reason: textOf('.reason'),
    invalid:
      visible('[aria-invalid="true"]')
        .map((node) => node.getAttribute('name') ?? node.dataset.field)
        .join(',') || null,
    fieldError: visible('.field-error[role="alert"]').map(text).join(' ') || null,
    failure: failure ? `${textOf('#failure-reason')} / ${textOf('#failure-step') ?? ''}` : null,
    error: error ? textOf('#error-message') : null,
    ended: textOf('#session-ended') || null,
    advice: failure ? textOf('#failure-advice') : null,
    who: textOf('#session-who'),
    endsInHours: ends ? Math.round((Date.parse(ends.dateTime) - Date.now()) / 3_600_000) : null,
    token: textOf('#token-info'),
    persist: textOf('#persist-info'),
    callApi: callApi ? !callApi.disabled : false,
    buttons: visible('#actions button').map(text),
    forgotPassword: offered('#forgot-password'),
    phrase: textOf('#pin-phrase') || null,
    securityImage:
      pinImage && pinImage.getAttribute('alt') === 'Your security image'
        ? pinImage.getAttribute('src')
        : null,
    imageChoices: choices.length ? choices.map((radio) => pictureOf(radio)?.alt ?? '') : null,
    imageSources: choices.length ? choices.map((radio) => pictureOf(radio)?.getAttribute('src') ?? '') : null,
    secretQuestion: textOf('#secret-question') || null,
    serverErrors: serverErrors.length ? serverErrors : null,
    codeResent: textOf('#code-resent') === 'A new code was sent. The previous code no longer works.',
    resend: offered('#resend-code'),
    resendWait: resendIn !== null,
    retryWait: retryIn !== null,
    reloginWait: reloginIn !== null,
    formError: textOf('#code-alert-title'),
    resendIn,
    retryIn,
    reloginIn,
    ending: endingIn !== null,
    endingIn,
    reloginUsername: reloginUsername ? reloginUsername.value : null,
    reloginUsernameFixed: reloginUsername ? reloginUsername.readOnly : null,
    reloginProblem: textOf('#relogin-problem-title'),
    reloginDetail: textOf('#relogin-problem-detail'),
    stillWorks: textOf('#relogin-still-works') === 'Your current session still works until it ends.',
    blocks: visible('h2, p, li, dt, dd, button, [role="alert"], [role="status"], [role="timer"]').map(text),
  };
  if (!expected) return screen;
  const {
    resendIn: _resendIn,
    retryIn: _retryIn,
    reloginIn: _reloginIn,
    endingIn: _endingIn,
    blocks: _blocks,
    ...compared
  } = screen;
  const keys = Object.keys(expected).sort();
  return JSON.stringify(compared, keys) === JSON.stringify(expected, keys) ? screen : false;
}

/** Waits until the screen shows `expected` (polling the DOM), then returns it; on timeout returns what it shows. */
export async function waitForScreen(page: Page, expected: ExpectedScreen, timeout = 5_000): Promise<Screen> {
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
  /**
   * The next request of the login the page makes (`/token`, `/logout` or a call of the journey: security
   * images, PIN change, password change, secret question, reset code), held until the test calls
   * `route.continue()`.
   */
  nextHeldRequest(): Promise<Route>;
  /**
   * Loads the demo again in the same tab as a new visit (cheaper than a new page): the tab's sessionStorage
   * and the origin's localStorage are emptied, then the page's storage is given `storedSession`, before the
   * page's scripts run; the console record starts over and requests still held are aborted. `holdRequests`
   * defaults to the value the page was opened with.
   */
  restart(options?: OpenDemoOptions): Promise<void>;
}

export interface OpenDemoOptions {
  /**
   * Query parameters of the page: `timeout`, `maxSteps`, `sessionLifetime`, `sessionWarning`, `slidingSession`,
   * `storage` (`session` for the tab's own sessionStorage; localStorage, shared by the tabs, by default).
   */
  readonly query?: Record<string, string | number>;
  /**
   * Hold every request of the login (every route of the fake server but the protected API's) until the test
   * releases it with `nextHeldRequest()`. @default false
   */
  readonly holdRequests?: boolean;
  /**
   * A stored session (as `persist` writes it) put in the page's storage (see `storageOf`) under `SESSION_KEY`
   * before the page's scripts run, on every load of this page (a `restart` too, after emptying the storage).
   */
  readonly storedSession?: string;
}

/** Which Web Storage the demo keeps its session in, by its query: `storage=session`, or localStorage. */
export type DemoStorage = 'localStorage' | 'sessionStorage';
export const storageOf = (query: Record<string, string | number> = {}): DemoStorage =>
  query.storage === 'session' ? 'sessionStorage' : 'localStorage';

/** The paths of the login's requests on the demo origin: every route of the fake server but the protected API's. */
const LOGIN_PATHS: ReadonlySet<string> = new Set(
  Object.entries(FAKE_ETNA_ROUTES)
    .filter(([name]) => name !== 'userInfo')
    .map(([, route]) => `/api/${route.path}`),
);
const isLoginRequest = (url: URL) => LOGIN_PATHS.has(url.pathname);

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
    await page.addInitScript(({ key, value, storage }) => window[storage].setItem(key, value), {
      key: SESSION_KEY,
      value: storedSession,
      storage: storageOf(query),
    });
  const held: Route[] = [];
  const waiting: ((route: Route) => void)[] = [];
  let holding = false;
  let routed = false;
  const hold = async (on: boolean) => {
    holding = on;
    if (!on || routed) return;
    routed = true;
    await page.route(isLoginRequest, (route) => {
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
        ({ key, value, storage }) => {
          sessionStorage.clear();
          localStorage.clear();
          if (value !== undefined) window[storage].setItem(key, value);
        },
        { key: SESSION_KEY, value: storedSession, storage: storageOf(query) },
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

/**
 * The session the page keeps for reloads, as its storage holds it (null when none): localStorage by default,
 * which the tabs share, or the tab's sessionStorage (`?storage=session`).
 */
export function storedSession(page: Page, storage: DemoStorage = 'localStorage'): Promise<string | null> {
  return page.evaluate(({ key, where }) => window[where].getItem(key), { key: SESSION_KEY, where: storage });
}

/** From now on, the requests to the fake server's routes each page of `context` sends, as `METHOD /path`. */
export function recordSentByPage(context: BrowserContext): Map<Page, string[]> {
  const sentBy = new Map<Page, string[]>();
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith('/api/') || request.isNavigationRequest()) return;
    const page = request.frame().page();
    sentBy.set(page, [...(sentBy.get(page) ?? []), `${request.method()} ${url.pathname}`]);
  });
  return sentBy;
}
