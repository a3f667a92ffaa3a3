// 5 000 characters pasted into every text field of the demo page and of the React example (as `npm run dev` serves
// it), at 1280 and at 390 px: each field keeps what the machine accepts (`INPUT_LIMITS`, its maxlength) and no
// more, no request carries more than that, and the page keeps its layout through each screen the long values lead
// to (the long username shown after login, the server's Errors, an unknown Reason, the anti-phishing phrase, the
// event log): no horizontal scroll, and each card's content inside the viewport.
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import { INPUT_LIMITS } from '../../src/index.js';
import { DEMO_USERS, type FakeEtnaUser } from '../../src/testing/index.js';
import { assertChromiumInstalled, type LaunchedChromium, launchChromium } from './chromium.js';
import { type ExampleDevServer, startExampleDevServer } from './example-dev-server.js';

assertChromiumInstalled();

/** What a person pastes. */
const PASTED = 5_000;
const WIDTHS = [1280, 390] as const;
/** One day, the platform's session: the page's clock is moved to its last minute for the login again. */
const DAY_MS = 24 * 3_600_000;

/**
 * A user whose every value is as long as the fields take, so that pasting fills them with the right ones: the
 * login, the password, the PIN and the code; the phrase is one long word, and the secret question longer than
 * the library shows (it cuts server text at 200 characters).
 */
const LONG_USER: FakeEtnaUser = {
  username: 'l'.repeat(INPUT_LIMITS.username),
  password: 'p'.repeat(INPUT_LIMITS.password),
  pin: '1'.repeat(INPUT_LIMITS.pin),
  verificationCode: '2'.repeat(INPUT_LIMITS.code),
  stepOrder: ['securityPin', 'verificationCode'],
  personalPhrase: 'h'.repeat(INPUT_LIMITS.personalPhrase),
  securityImage: 'heron.png',
  secretQuestion: { question: `${'q'.repeat(600)}?`, answer: 'a'.repeat(INPUT_LIMITS.answer) },
};

/** A refusal whose Errors are one 5 000-character word, as a journey route answers it. */
const LONG_REFUSAL = {
  kind: 'respond',
  status: 200,
  body: { Model: null, Errors: ['E'.repeat(PASTED)], ErrorsCode: ['ErrorLong'], IsSucceed: false },
} as const;

/** The longest value each request header or body field may carry, by its name there. */
const SENT_LIMITS: Readonly<Record<string, number>> = {
  username: INPUT_LIMITS.username,
  password: INPUT_LIMITS.password,
  pincode: INPUT_LIMITS.pin,
  verificationcode: INPUT_LIMITS.code,
  User: INPUT_LIMITS.username,
  SecretQuestionAnswer: INPUT_LIMITS.answer,
  Code: INPUT_LIMITS.resetCode,
  Password: INPUT_LIMITS.password,
  PasswordConfirmation: INPUT_LIMITS.password,
  PersonalPhrase: INPUT_LIMITS.personalPhrase,
  Pin: INPUT_LIMITS.newPin,
};

/**
 * Runs in the page before its scripts: records, for each request to /api/, the length of each header and JSON
 * body field, as `fetch` was given them (the browser's own record of a request leaves a streamed body out).
 */
function recordSentLengths(): void {
  const sent: [string, number][] = [];
  (window as unknown as { sentLengths: typeof sent }).sentLengths = sent;
  const original = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).pathname.startsWith('/api/')) {
      request.headers.forEach((value, name) => {
        sent.push([name, value.length]);
      });
      const body = await request.clone().text();
      try {
        for (const [name, value] of Object.entries(JSON.parse(body) as Record<string, unknown>))
          if (value !== null && value !== undefined) sent.push([name, String(value).length]);
      } catch {
        // No JSON body.
      }
    }
    return original(request);
  };
}

/** The lengths of what the page sent to /api/, by header (lower case) or body field. */
async function sentLengths(page: Page): Promise<Map<string, number[]>> {
  const pairs = await page.evaluate(
    () => (window as unknown as { sentLengths: [string, number][] }).sentLengths,
  );
  const sent = new Map<string, number[]>();
  for (const [name, length] of pairs)
    if (name in SENT_LIMITS) sent.set(name, [...(sent.get(name) ?? []), length]);
  return sent;
}

/** No request carried more than its field takes; `full` names the fields a paste filled to their limit. */
function expectSentWithin(sent: Map<string, number[]>, full: readonly string[]): void {
  for (const [name, lengths] of sent) {
    expect(Math.max(...lengths), `the longest ${name} sent`).toBeLessThanOrEqual(SENT_LIMITS[name] ?? 0);
  }
  for (const name of full)
    expect(sent.get(name), `a pasted ${name} was sent, cut`).toContain(SENT_LIMITS[name]);
}

/** Pastes 5 000 of `character` into `field`, as a clipboard does: the field keeps at most its maxlength. */
async function paste(field: Locator, character: string, limit: number): Promise<void> {
  // Shown first: a prompt's hidden field can be focused, and is emptied when the prompt is shown (a busy machine
  // may answer after the paste).
  await field.waitFor({ state: 'visible' });
  await field.focus();
  await field.evaluate((input) => (input as HTMLInputElement).select());
  await field.page().keyboard.insertText(character.repeat(PASTED));
  expect(await field.getAttribute('maxlength')).toBe(String(limit));
  expect((await field.inputValue()).length, `what ${await field.getAttribute('name')} keeps`).toBe(limit);
}

/**
 * Runs in the page: whether it scrolls sideways, and the visible elements of each card (`cards`, a selector)
 * that reach out of the card or the viewport. The statechart drawing is left out: it pans and zooms inside its
 * own panel, clipped there.
 */
function measureLayout(cards: string) {
  const width = document.documentElement.clientWidth;
  const describe = (element: Element) =>
    `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''} "${(element.textContent ?? '').slice(0, 40)}"`;
  const outside: string[] = [];
  for (const card of Array.from(document.querySelectorAll<HTMLElement>(cards))) {
    if (!card.checkVisibility()) continue;
    const box = card.getBoundingClientRect();
    if (box.left < -1 || box.right > width + 1)
      outside.push(`card ${describe(card)}: ${box.left}–${box.right}`);
    const right = Math.min(width, box.right) + 1;
    const left = Math.max(0, box.left) - 1;
    for (const element of Array.from(card.querySelectorAll<HTMLElement>('*'))) {
      if (!(element instanceof HTMLElement) || element.closest('#chart') || !element.checkVisibility())
        continue;
      const { left: from, right: to, width: wide } = element.getBoundingClientRect();
      if (wide > 0 && (to > right || from < left)) outside.push(`${describe(element)}: ${from}–${to}`);
    }
  }
  return {
    width,
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    outside,
  };
}

/**
 * The page does not scroll sideways, and every card's content is inside the card and the viewport; returns the
 * measure, as a line for the test's output.
 */
async function expectLayout(page: Page, cards: string, where: string): Promise<string> {
  const layout = await page.evaluate(measureLayout, cards);
  expect(layout.scrollWidth, `${where}: no horizontal scroll`).toBeLessThanOrEqual(layout.width);
  expect(layout.outside, `${where}: out of its card or the viewport`).toEqual([]);
  return `${where}: page ${layout.scrollWidth} px wide in a ${layout.width} px viewport, ${layout.outside.length} elements outside their card`;
}

describe('5 000 characters pasted into every field', () => {
  let demo: DemoServer;
  let example: ExampleDevServer;
  let chromium: LaunchedChromium;
  const measured: string[] = [];

  beforeAll(async () => {
    [demo, example, chromium] = await Promise.all([
      startDemoServer({ users: [...DEMO_USERS, LONG_USER] }),
      startExampleDevServer('react'),
      launchChromium(),
    ]);
  }, 90_000);

  afterAll(async () => {
    console.log(measured.join('\n'));
    await Promise.all([chromium?.close(), demo?.close(), example?.close()]);
  });

  /** A page of its own browser context, `width` px wide, on the context's clock (running at the real pace). */
  async function pageAt(width: number): Promise<{ context: BrowserContext; page: Page }> {
    const context = await chromium.newContext();
    await context.setDefaultTimeout(15_000);
    await context.clock.install();
    await context.addInitScript(recordSentLengths);
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 844 });
    return { context, page };
  }

  it.each(WIDTHS)(
    'keeps the demo page whole at %i px, and sends no more than each field takes',
    async (width) => {
      const { context, page } = await pageAt(width);
      const card = page.locator('#card');
      const field = (label: string) => card.getByLabel(label, { exact: true });
      const check = async (where: string) => {
        measured.push(`long input, demo at ${width} px, ${await expectLayout(page, '.card, .panel', where)}`);
      };
      try {
        // With the warning a minute before the session's end, and its login again in place.
        await page.goto(`${demo.url}?sessionWarning=60000`);
        await page.waitForSelector('body[data-ready="true"]');

        // A forgotten password, for the long login: its question (cut by the library), its answer, its code.
        await paste(field('Username'), 'l', INPUT_LIMITS.username);
        await check('the login form, pasted');
        await page.getByRole('button', { name: 'Forgot password?' }).click();
        await paste(field('Answer'), 'a', INPUT_LIMITS.answer);
        await check('the secret question, cut to 200 characters');
        await field('Answer').press('Enter');
        await field('Code from the reset e-mail').waitFor();
        demo.etna.injectAt('resetCode', LONG_REFUSAL);
        await paste(field('Code from the reset e-mail'), '3', INPUT_LIMITS.resetCode);
        await field('Code from the reset e-mail').press('Enter');
        await page.locator('#reset-code-server-errors li').waitFor();
        await check("the reset code refused, the server's Errors one long word");
        await field('Code from the reset e-mail').fill(
          demo.etna.lastMail(LONG_USER.username, 'passwordReset')?.code ?? '',
        );
        await field('Code from the reset e-mail').press('Enter');
        await paste(field('New password'), 'n', INPUT_LIMITS.password);
        await paste(field('Confirm the new password'), 'n', INPUT_LIMITS.password);
        await field('Confirm the new password').press('Enter');
        await page.locator('#new-password-server-errors li').waitFor();
        await check('a new password refused by the server');
        await page.getByRole('button', { name: 'Cancel' }).click();

        // The long login: its PIN (the phrase one long word), its code, the session, an API call, the log.
        await paste(field('Username'), 'l', INPUT_LIMITS.username);
        await paste(field('Password'), 'p', INPUT_LIMITS.password);
        await field('Password').press('Enter');
        await paste(field('PIN'), '1', INPUT_LIMITS.pin);
        await check('the PIN prompt, its phrase one long word');
        await field('PIN').press('Enter');
        await paste(field('Code from the e-mail or SMS'), '2', INPUT_LIMITS.code);
        await field('Code from the e-mail or SMS').press('Enter');
        await page.locator('#status', { hasText: `Logged in as ${LONG_USER.username}.` }).waitFor();
        await page.getByRole('button', { name: 'Call the API' }).click();
        await page.locator('#api-result', { hasText: LONG_USER.username }).waitFor();
        await check('logged in: the long username in the status line, the session panel, the API answer');

        // Its last minute: the login again, refused for a while by a 429.
        await page.clock.fastForward(DAY_MS - 60_000);
        const relogin = page.getByRole('form', { name: 'Log in again to stay logged in' });
        await paste(relogin.getByLabel('Password', { exact: true }), 'p', INPUT_LIMITS.password);
        demo.etna.inject({ kind: 'rateLimited', retryAfter: '5' });
        await relogin.getByLabel('Password', { exact: true }).press('Enter');
        await page.locator('#relogin-wait').waitFor();
        await check('the login again, held back by a 429');
        await page.getByRole('button', { name: 'Log out' }).click();
        await page.locator('#session-ended').waitFor();

        // A first PIN: the new PIN and the phrase, and the server's long refusal.
        await field('Username').fill('frank');
        await field('Password').fill('frank-password');
        await field('Password').press('Enter');
        await paste(field('New PIN'), '7', INPUT_LIMITS.newPin);
        await paste(field('Personal phrase'), 'f', INPUT_LIMITS.personalPhrase);
        await card.getByRole('radio').first().check();
        demo.etna.injectAt('pinChange', LONG_REFUSAL);
        await field('Personal phrase').press('Enter');
        await page.locator('#pin-setup-server-errors li').waitFor();
        await check('a first PIN refused by the server');
        await page.getByRole('button', { name: 'Cancel' }).click();

        // The event log has a line for each of these; it wraps too.
        expect(await page.locator('#log li').count()).toBeGreaterThan(20);
        await check('the event log after all of it');
        expectSentWithin(await sentLengths(page), [
          'username',
          'password',
          'pincode',
          'verificationcode',
          'User',
          'SecretQuestionAnswer',
          'Code',
          'Password',
          'PasswordConfirmation',
          'PersonalPhrase',
          'Pin',
        ]);
      } finally {
        await context.close();
      }
    },
  );

  it.each(WIDTHS)(
    'keeps the React example whole at %i px, and sends no more than each field takes',
    async (width) => {
      const { context, page } = await pageAt(width);
      const screen = page.locator('section[aria-label="ETNA login"]');
      const field = (label: string) => screen.getByLabel(label, { exact: true });
      const button = (name: string) => screen.getByRole('button', { name, exact: true });
      const check = async (where: string) => {
        const cards = 'section[aria-label="ETNA login"], .example-hint';
        measured.push(`long input, React example at ${width} px, ${await expectLayout(page, cards, where)}`);
      };
      const logIn = async (username: string, password: string) => {
        await field('Username').fill(username);
        await field('Password').fill(password);
        await field('Password').press('Enter');
      };
      try {
        await page.goto(example.url);
        await page.getByRole('heading', { name: 'Log in' }).waitFor({ timeout: 30_000 });

        // A login no server knows: refused, the long username shown on the screen that says so.
        await paste(field('Username'), 'l', INPUT_LIMITS.username);
        await paste(field('Password'), 'p', INPUT_LIMITS.password);
        await field('Password').press('Enter');
        await page.getByRole('heading', { name: 'Login refused' }).waitFor();
        await check('refused, the long username on the screen');
        await button('Try again').click();

        // The PIN and the code, each pasted and refused by the server.
        await logIn('bob', 'bob-password');
        await paste(field('PIN'), '9', INPUT_LIMITS.pin);
        await field('PIN').press('Enter');
        await page.getByText('That PIN is not right.').waitFor();
        await check('a pasted PIN refused');
        await button('Cancel').click();
        await logIn('carol', 'carol-password');
        await paste(field('Code'), '9', INPUT_LIMITS.code);
        await field('Code').press('Enter');
        await page.getByRole('heading', { name: 'Login refused' }).waitFor();
        await check('a pasted code refused');
        await button('Try again').click();

        // A forgotten password: the answer, the reset code, the new password twice.
        await field('Username').fill('grace');
        await button('Forgot password?').click();
        await paste(field('Answer'), 'a', INPUT_LIMITS.answer);
        await field('Answer').press('Enter');
        await page.getByText('Answer is incorrect, try again.').waitFor();
        await check('a pasted answer refused');
        await button('Cancel').click();
        await field('Username').fill('henry');
        await button('Forgot password?').click();
        await paste(field('Code'), '3', INPUT_LIMITS.resetCode);
        await field('Code').press('Enter');
        await page.getByText('The code is incorrect or has expired.').waitFor();
        const mails = (await (await page.request.get(`${example.url}demo/mailbox?user=henry`)).json()) as {
          code: string;
        }[];
        await field('Code').fill(mails.at(-1)?.code ?? '');
        await field('Code').press('Enter');
        await paste(field('New password'), 'n', INPUT_LIMITS.password);
        await paste(field('Repeat the new password'), 'n', INPUT_LIMITS.password);
        await field('Repeat the new password').press('Enter');
        await page.getByText('contain a digit').waitFor();
        await check('a pasted new password refused by the server');
        await button('Cancel').click();

        // A first PIN: the new PIN and the phrase, refused before sending (no picture chosen).
        await logIn('frank', 'frank-password');
        await paste(field('New PIN'), '7', INPUT_LIMITS.newPin);
        await paste(field('Personal phrase'), 'f', INPUT_LIMITS.personalPhrase);
        await field('Personal phrase').press('Enter');
        await page.getByText('Choose one of the security pictures shown.').waitFor();
        await check('a first PIN refused before sending');
        await button('Cancel').click();

        // The login again in the session's last minute, with a pasted password the server refuses.
        await logIn('alice', 'alice-password');
        await page.getByText('Logged in as alice.').waitFor();
        await page.clock.fastForward(DAY_MS - 60_000);
        await paste(field('Password'), 'p', INPUT_LIMITS.password);
        await field('Password').press('Enter');
        await page.getByText('The username or password is not right.').waitFor();
        await check('a pasted login again refused');
        await button('Log out').click();
        await page.getByText('You have logged out.').waitFor();

        expectSentWithin(await sentLengths(page), [
          'username',
          'password',
          'pincode',
          'verificationcode',
          'SecretQuestionAnswer',
          'Code',
          'Password',
          'PasswordConfirmation',
        ]);
      } finally {
        await context.close();
      }
    },
  );
});
