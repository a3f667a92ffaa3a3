// What the browser tests share: opening the demo page, reading its screen, holding its /token requests.
import type { BrowserContext, Page, Route } from 'playwright-core';
import type { EtnaAuthErrorKind } from '../../src/index.js';

/** The demo page's titles for `error.kind`: the test's own copy, so a changed title is noticed. */
export const ERROR_TITLES: Record<Exclude<EtnaAuthErrorKind, 'input'>, string> = {
  network: 'Network error',
  timeout: 'Timed out',
  http: 'Unexpected HTTP status',
  protocol: 'Unexpected answer',
  appKey: 'Application key refused',
  rateLimited: 'Too many attempts',
};

/** What a person sees on the login card, read from the DOM (visible elements only). */
export interface Screen {
  /** The visible headings of the card: which form, prompt or outcome is shown. */
  readonly heading: string;
  /** The visible form says `aria-busy="true"`. */
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
  /** The session-token line of the "Logged in" panel. */
  readonly token: string | null;
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
  const username = document.getElementById('username') as HTMLInputElement;
  const screen: Screen = {
    heading: visible('h2').map(text).join(' | '),
    busy: form?.getAttribute('aria-busy') === 'true',
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
    token: textOf('#token-info'),
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
  /** The next `/token` request the page makes, held until the test calls `route.continue()`. */
  nextTokenRequest(): Promise<Route>;
}

export interface OpenDemoOptions {
  /** Query parameters of the page: `timeout`, `maxSteps`. */
  readonly query?: Record<string, string | number>;
  /** Hold every `/token` request until the test releases it with `nextTokenRequest()`. @default false */
  readonly holdTokenRequests?: boolean;
}

/** Opens the demo in a new page. */
export async function openDemo(
  context: BrowserContext,
  url: string,
  { query = {}, holdTokenRequests = false }: OpenDemoOptions = {},
): Promise<DemoPage> {
  const page = await context.newPage();
  const messages: string[] = [];
  page.on('console', (message) => messages.push(message.text()));
  page.on('pageerror', (error) => messages.push(`uncaught: ${error.message}`));
  const held: Route[] = [];
  const waiting: ((route: Route) => void)[] = [];
  if (holdTokenRequests)
    await page.route('**/api/token', (route) => {
      const waiter = waiting.shift();
      if (waiter) waiter(route);
      else held.push(route);
    });
  const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]));
  await page.goto(`${url}${search.size ? `?${search}` : ''}`);
  await page.waitForSelector('body[data-ready="true"]');
  return {
    page,
    console: messages,
    nextTokenRequest: () =>
      new Promise((resolve) => {
        const route = held.shift();
        if (route) resolve(route);
        else waiting.push(resolve);
      }),
  };
}
