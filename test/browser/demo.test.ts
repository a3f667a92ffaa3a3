// The demo page as a person uses it: every demo user against the fake server's real protocol, the habits
// of a login form (labels, autocomplete, focus, Enter, announced errors), the whole journey live (a first PIN
// set-up, an expired password, a forgotten one through the demo mailbox, a new code on request, a rate
// limit's wait on the page's clock), the session panel (the API called with the session, logging out, keeping
// the session across reloads), the statechart panel and the log.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getStateNodes } from 'xstate/graph';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import { etnaAuthMachine } from '../../src/machine/etna-auth-machine.js';
import { FAKE_SECURITY_IMAGES } from '../../src/testing/index.js';
import { assertChromiumInstalled, type LaunchedChromium, launchChromium } from './chromium.js';
import {
  CODE_RESENT,
  type DemoPage,
  FAILURE_GUIDANCE,
  openDemo,
  PERSIST_INFO,
  SESSION_ENDED,
  screenNow,
  storedSession,
  tokenLine,
} from './demo-page.js';

assertChromiumInstalled();

/** The focused element: its id, `radio <value>` for a radio, or its text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    if (active instanceof HTMLInputElement && active.type === 'radio') return `radio ${active.value}`;
    return active?.id || active?.textContent?.trim() || '';
  });

/** A security picture of the fake server as the page shows it. */
const pictureOf = (fileName: string) =>
  `data:image/png;base64,${FAKE_SECURITY_IMAGES.find((image) => image.FileName === fileName)?.Content}`;

/** What the fake server answered since request number `sent`, as `METHOD /path → outcome`. */
const answeredSince = (demo: DemoServer, sent: number) =>
  demo.etna.requests.slice(sent).map((request) => `${request.method} ${request.path} → ${request.outcome}`);

/** The codes the demo mailbox panel lists, newest first, once it lists `count` of them. */
async function mailboxCodes(page: Page, count: number): Promise<string[]> {
  const codes = page.locator('#mailbox-list li code');
  await codes.nth(count - 1).waitFor();
  expect(await codes.count()).toBe(count);
  return codes.allTextContents();
}

/** Milliseconds until the time a countdown of the page shows (its `<time datetime>`), by the page's clock. */
const timeLeft = (page: Page, id: string) =>
  page.evaluate(
    (timeId) => Date.parse((document.getElementById(timeId) as HTMLTimeElement).dateTime) - Date.now(),
    id,
  );

/** The event log's text and the tab's storage, where no secret and nothing personal may go. */
const keptByThePage = async (page: Page) =>
  [
    (await page.locator('#log').textContent()) ?? '',
    await page.evaluate(() => JSON.stringify([{ ...sessionStorage }, { ...localStorage }])),
  ].join('\n');

async function logIn(page: Page, username: string, password: string, keep = false): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  if (keep) await page.getByLabel('Keep me logged in').check();
  await page.getByLabel('Password').press('Enter');
}

/** The session token the page sent with its latest API call (the fake server's record, not the page's). */
const lastBearer = (demo: DemoServer) =>
  demo.etna.requests
    .at(-1)
    ?.header('authorization')
    ?.replace(/^Bearer /, '');

async function answer(
  page: Page,
  label: 'PIN' | 'Code from the e-mail or SMS',
  value: string,
): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.waitFor();
  await input.fill(value);
  await input.press('Enter');
}

describe('the demo page in Chromium', () => {
  let demo: DemoServer;
  let chromium: LaunchedChromium;
  /** One tab, loaded again for each test as a new visit (its sessionStorage emptied): cheaper than a new page. */
  let tab: DemoPage;
  let page: Page;

  beforeAll(async () => {
    [demo, chromium] = await Promise.all([startDemoServer(), launchChromium()]);
    tab = await openDemo(chromium.context, demo.url);
  }, 60_000);

  // A test that stopped early must not leave its scripted answers to the next one.
  afterEach(() => demo?.etna.clearFaults());

  afterAll(async () => {
    await Promise.all([chromium?.close(), demo?.close()]);
  });

  async function open(holdRequests = false) {
    await tab.restart({ holdRequests });
    page = tab.page;
    return tab;
  }

  it.each([
    ['alice', 'alice-password', []],
    ['bob', 'bob-password', [['PIN', '1234']]],
    ['carol', 'carol-password', [['Code from the e-mail or SMS', '123456']]],
    [
      'dave',
      'dave-password',
      [
        ['Code from the e-mail or SMS', '654321'],
        ['PIN', '4321'],
      ],
    ],
  ] as const)('logs %s in with the steps the fake server asks for', async (username, password, steps) => {
    await open();
    await logIn(page, username, password);
    for (const [label, value] of steps) await answer(page, label, value);
    await page.getByRole('heading', { name: 'Logged in' }).waitFor();
    expect(await page.locator('#status').textContent()).toBe(`Logged in as ${username}.`);
    const screen = await screenNow(page);
    expect(screen).toMatchObject({
      who: `Account ${username}`,
      endsInHours: 24,
      persist: PERSIST_INFO.notKept,
      callApi: true,
      buttons: ['Log out'],
    });
    expect(screen.token).toMatch(/^\d+ characters, held in memory \(not shown\)\.$/);
    expect(await storedSession(page)).toBeNull();
    // Focus is on the panel's heading, not on "Log out": a stray Enter leaves the session alone.
    expect(await focused(page)).toBe('succeeded-title');
    await page.keyboard.press('Enter');
    expect((await screenNow(page)).heading).toBe('Logged in');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect((await screenNow(page)).ended).toBe(SESSION_ENDED.loggedOut);
    // The machine keeps the username after a session, so logging in again needs only the password.
    expect(await page.getByLabel('Username').inputValue()).toBe(username);
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    expect(await focused(page)).toBe('password');
  });

  it.each([
    ['mallory', 'The username or password is not right. / Username and password', 'rejected'],
  ] as const)(
    'shows why the server refused %s and what to do, in an alert, and starts again on Retry',
    async (username, failure, code) => {
      await open();
      await logIn(page, username, `${username}-password`);
      const refused = page.getByRole('alert').filter({ hasText: 'Login refused' });
      await refused.waitFor();
      expect(await screenNow(page)).toMatchObject({ failure, advice: FAILURE_GUIDANCE[code] });
      expect(await refused.textContent()).toContain(FAILURE_GUIDANCE[code]);
      expect(await focused(page)).toBe('Retry');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      expect(await page.getByLabel('Username').inputValue()).toBe(username);
      expect(await page.getByLabel('Password').inputValue()).toBe('');
      expect(await focused(page)).toBe('password');
    },
  );

  it('labels every field, gives password managers and one-time codes their autocomplete hints', async () => {
    await open();
    const autocomplete = (label: string) =>
      page.getByLabel(label, { exact: true }).getAttribute('autocomplete');
    expect(await autocomplete('Username')).toBe('username');
    expect(await autocomplete('Password')).toBe('current-password');
    expect(await autocomplete('PIN')).toBe('off');
    expect(await autocomplete('Code from the e-mail or SMS')).toBe('one-time-code');
    expect(await page.getByLabel('Password').getAttribute('type')).toBe('password');
    expect(await page.getByLabel('PIN', { exact: true }).getAttribute('type')).toBe('password');
    expect(await page.getByLabel('PIN', { exact: true }).getAttribute('inputmode')).toBe('numeric');
    expect(await page.getByRole('button', { name: 'Forgot password?' }).getAttribute('type')).toBe('button');
    expect(await focused(page)).toBe('username');
  });

  it('moves focus to each next prompt, submits on Enter and shows the Reason as the field description', async () => {
    await open();
    await logIn(page, 'dave', 'dave-password');
    const code = page.getByLabel('Code from the e-mail or SMS');
    await code.waitFor();
    expect(await focused(page)).toBe('code');
    expect(await code.evaluate((input) => (input as HTMLInputElement).labels?.length)).toBe(1);
    expect(
      await page
        .getByRole('textbox', { name: 'Code from the e-mail or SMS' })
        .getAttribute('aria-describedby'),
    ).toContain('code-reason');
    // The server's Reason, in the catalog's words: `Expecting confirmation code` said for people.
    expect(await page.locator('#code-reason').textContent()).toBe(
      'Enter the code we sent you by e-mail or text message.',
    );
    await answer(page, 'Code from the e-mail or SMS', '654321');
    await page.getByRole('heading', { name: 'Security PIN', exact: true }).waitFor();
    expect(await focused(page)).toBe('pin');
    const reasonLooks = () =>
      page.locator('#pin-reason').evaluate((reason) => ({
        rejected: reason.classList.contains('rejected'),
        color: getComputedStyle(reason).color,
      }));
    // The first ask is a prompt; the same prompt asked again after an answer is the server saying it was wrong.
    expect(await reasonLooks()).toEqual({ rejected: false, color: 'rgb(29, 36, 51)' });
    await answer(page, 'PIN', '0000');
    await page.locator('#pin-reason', { hasText: 'That PIN is not right.' }).waitFor();
    expect(await reasonLooks()).toEqual({ rejected: true, color: 'rgb(180, 35, 24)' });
    expect(await focused(page)).toBe('pin');
    expect(await page.getByLabel('PIN', { exact: true }).inputValue()).toBe('');
    // A PIN refused before sending: the Reason of the answer before is not shown beside it.
    await answer(page, 'PIN', '');
    await page.locator('#pin-error', { hasText: 'Enter your PIN.' }).waitFor();
    expect(await page.locator('#pin-reason').textContent()).toBe('Enter your security PIN.');
    expect(await reasonLooks()).toEqual({ rejected: false, color: 'rgb(29, 36, 51)' });
  });

  it('refuses an empty password before sending: aria-invalid, the message in an alert, focus on the field; editing it clears both', async () => {
    await open();
    const sent = demo.etna.requests.length;
    await page.getByLabel('Username').fill('alice');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    const message = page.locator('#login-error');
    await message.filter({ hasText: 'Enter your password.' }).waitFor();
    expect(await message.getAttribute('role')).toBe('alert');
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Password').getAttribute('aria-describedby')).toBe('login-error');
    expect(await focused(page)).toBe('password');
    expect(demo.etna.requests.length).toBe(sent);
    // Editing another field leaves the refusal; editing the refused one takes it off the screen.
    await page.getByLabel('Username').press('End');
    await page.getByLabel('Username').pressSequentially('x');
    expect(await message.textContent()).toBe('Enter your password.');
    await page.getByLabel('Username').press('Backspace');
    await page.getByLabel('Password').pressSequentially('a');
    expect(await message.textContent()).toBe('');
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBeNull();
    await page.getByLabel('Password').fill('alice-password');
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('heading', { name: 'Logged in' }).waitFor();
  });

  it('is busy while the request is in flight: submit disabled, fields read-only, a status line, Cancel offered', async () => {
    const { nextHeldRequest } = await open(true);
    await logIn(page, 'alice', 'alice-password');
    const request = await nextHeldRequest();
    const form = page.getByRole('form', { name: 'Log in' });
    expect(await form.getAttribute('aria-busy')).toBe('true');
    expect(await form.getByRole('button', { name: 'Log in' }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Password').getAttribute('readonly')).not.toBeNull();
    expect(await page.getByRole('status').textContent()).toBe('Logging in…');
    // Enter again while busy sends nothing more (the machine ignores it, and the button is disabled).
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await request.continue().catch(() => undefined);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await form.getAttribute('aria-busy')).toBe('false');
  });

  it("shows a server error in an alert with its kind, and Retry resends (the page's fault select)", async () => {
    await open();
    await page.getByText('Demo users and the fake server').click();
    await page.getByLabel("Fake server's next answer").selectOption('serverError');
    await logIn(page, 'alice', 'alice-password');
    const alert = page.getByRole('alert').filter({ hasText: 'Server error' });
    await alert.waitFor();
    expect(await screenNow(page)).toMatchObject({
      error: 'The server could not answer (HTTP 500). Try again later.',
      buttons: ['Retry', 'Cancel'],
      retryWait: false,
    });
    expect(await focused(page)).toBe('Retry');
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('heading', { name: 'Logged in' }).waitFor();
  });

  it('shows bob the picture and phrase he chose beside the PIN field, and nowhere else: not in the log, not once he is in', async () => {
    await open();
    await logIn(page, 'bob', 'bob-password');
    const pin = page.getByLabel('PIN', { exact: true });
    await pin.waitFor();
    expect(await screenNow(page)).toMatchObject({
      heading: 'Security PIN',
      phrase: 'Blue heron at dawn',
      securityImage: pictureOf('heron.png'),
    });
    expect(await page.getByRole('img', { name: 'Your security image' }).isVisible()).toBe(true);
    // A screen reader hears the phrase with the PIN field.
    expect(await pin.getAttribute('aria-describedby')).toContain('pin-phrase-line');
    expect(await focused(page)).toBe('pin');
    await answer(page, 'PIN', '1234');
    await page.getByRole('heading', { name: 'Logged in' }).waitFor();
    const kept = await keptByThePage(page);
    expect(kept).toContain('personalPhrase":"[personal]');
    for (const personal of ['Blue heron at dawn', 'heron.png', 'base64,'])
      expect(kept).not.toContain(personal);
    // The machine forgot them with the PIN step; so did the page.
    expect(await page.content()).not.toContain('Blue heron at dawn');
    expect(await page.content()).not.toContain('base64,');
  });

  it("sets up frank's first PIN (a picture from a radio group, the PIN, a phrase), then logs him in with it: his new picture and phrase on the PIN prompt", async () => {
    await open();
    const sent = demo.etna.requests.length;
    await logIn(page, 'frank', 'frank-password');
    const form = page.getByRole('form', { name: 'Set up your security PIN' });
    await form.waitFor();
    const pictures = form.getByRole('radiogroup', { name: 'Security picture' });
    expect(await pictures.getByRole('radio').count()).toBe(FAKE_SECURITY_IMAGES.length);
    expect(await screenNow(page)).toMatchObject({
      imageChoices: FAKE_SECURITY_IMAGES.map((image) => image.FileName),
      imageSources: FAKE_SECURITY_IMAGES.map((image) => pictureOf(image.FileName)),
      buttons: ['Cancel'],
    });
    expect(await focused(page)).toBe('radio apple.png');
    const newPin = form.getByLabel('New PIN', { exact: true });
    expect(await newPin.getAttribute('type')).toBe('password');
    expect(await newPin.getAttribute('inputmode')).toBe('numeric');
    expect(await newPin.getAttribute('autocomplete')).toBe('off');

    // The arrow keys move through the pictures, as in any radio group.
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toBe('radio heron.png');
    await pictures.getByRole('radio', { name: 'lighthouse.png', exact: true }).check();
    await form.getByLabel('Personal phrase', { exact: true }).fill('Lighthouse at dusk');
    // A leading zero is refused before anything is sent: the server would read the PIN as a number.
    const beforeRefusal = demo.etna.requests.length;
    await newPin.fill('0258');
    await newPin.press('Enter');
    await page.locator('#pin-setup-error', { hasText: 'pin' }).waitFor();
    expect((await screenNow(page)).invalid).toBe('pin');
    expect(await focused(page)).toBe('new-pin');
    expect(demo.etna.requests.length).toBe(beforeRefusal);
    await newPin.fill('2580');
    await form.getByRole('button', { name: 'Save PIN' }).click();

    // The machine logs in again by itself; the server now asks for the new PIN, with the new picture and phrase.
    await page.getByRole('heading', { name: 'Security PIN', exact: true }).waitFor();
    expect(await screenNow(page)).toMatchObject({
      phrase: 'Lighthouse at dusk',
      securityImage: pictureOf('lighthouse.png'),
    });
    expect(await focused(page)).toBe('pin');
    await answer(page, 'PIN', '2580');
    await page.getByRole('heading', { name: 'Logged in' }).waitFor();
    expect(await page.locator('#status').textContent()).toBe('Logged in as frank.');
    expect(answeredSince(demo, sent)).toEqual([
      'POST /api/token → 202',
      'GET /api/v1.0/assets/security-images → 200',
      'POST /api/v1.0/users/pincode/change → 200',
      'POST /api/token → 202',
      'POST /api/token → 200',
    ]);
    expect(demo.etna.users.find((user) => user.username === 'frank')).toMatchObject({
      pin: '2580',
      personalPhrase: 'Lighthouse at dusk',
      securityImage: 'lighthouse.png',
    });
    const kept = await keptByThePage(page);
    expect(kept).toContain(
      'SUBMIT_NEW_PIN {"pin":"[redacted]","imageName":"[personal]","personalPhrase":"[personal]"}',
    );
    for (const value of ['2580', 'frank-password', 'Lighthouse at dusk', 'lighthouse.png', 'base64,'])
      expect(kept).not.toContain(value);
  });

  it("changes erin's expired password: typed twice, a mismatch refused before sending, the server's rule in an alert, then logged in with it; Reset demo users puts it back", async () => {
    await open();
    await logIn(page, 'erin', 'erin-password');
    const form = page.getByRole('form', { name: 'Your password has expired' });
    await form.waitFor();
    expect(await focused(page)).toBe('new-password');
    const password = form.getByLabel('New password', { exact: true });
    const confirmation = form.getByLabel('Confirm the new password', { exact: true });
    for (const input of [password, confirmation]) {
      expect(await input.getAttribute('type')).toBe('password');
      expect(await input.getAttribute('autocomplete')).toBe('new-password');
    }
    const sent = demo.etna.requests.length;
    await password.fill('erin-password-2');
    await confirmation.fill('erin-password-3');
    await confirmation.press('Enter');
    await page
      .locator('#new-password-error', { hasText: 'The two new passwords are not the same.' })
      .waitFor();
    expect((await screenNow(page)).invalid).toBe('confirmation');
    expect(await focused(page)).toBe('confirm-password');
    expect(demo.etna.requests.length).toBe(sent);

    // The server's own rule: refused there, shown in an alert on the form, which stays.
    await password.fill('no-digits-here');
    await confirmation.fill('no-digits-here');
    await confirmation.press('Enter');
    const rule = page.getByRole('alert').filter({ hasText: 'contain a digit' });
    await rule.waitFor();
    expect((await screenNow(page)).serverErrors).toEqual([
      'The password must be at least 8 characters long and contain a digit.',
    ]);
    expect(await focused(page)).toBe('new-password');
    expect(await password.inputValue()).toBe('');

    await password.fill('erin-password-2');
    await confirmation.fill('erin-password-2');
    await form.getByRole('button', { name: 'Save password' }).click();
    await page.getByRole('heading', { name: 'Logged in' }).waitFor();
    expect(await page.locator('#status').textContent()).toBe('Logged in as erin.');
    expect(answeredSince(demo, sent)).toEqual([
      'PUT /api/v1.0/users/passwords/reset/ → 200',
      'PUT /api/v1.0/users/passwords/reset/ → 200',
      'POST /api/token → 200',
    ]);
    expect(demo.etna.requests.at(-1)?.header('password')).toBe('erin-password-2');
    expect(demo.etna.users.find((user) => user.username === 'erin')?.password).toBe('erin-password-2');
    expect(await keptByThePage(page)).not.toContain('erin-password-2');

    // The page's list of demo users is true again once they are reset: erin's password has expired again.
    await page.getByText('Demo users and the fake server').click();
    await page.getByRole('button', { name: 'Reset demo users' }).click();
    await page.locator('#reset-users-done', { hasText: 'as the table lists them again' }).waitFor();
    expect(demo.etna.users.find((user) => user.username === 'erin')).toMatchObject({
      password: 'erin-password',
      passwordExpired: true,
    });
  });

  it("resets grace's forgotten password: her secret question, the code read from the demo mailbox, a new password, then logged in", async () => {
    await open();
    const sent = demo.etna.requests.length;
    await page.getByLabel('Username').fill('grace');
    await page.getByRole('button', { name: 'Forgot password?' }).click();
    const question = page.getByRole('form', { name: 'Secret question' });
    await question.waitFor();
    expect(await screenNow(page)).toMatchObject({
      secretQuestion: 'What was the name of your first pet?',
      account: 'grace',
      buttons: ['Cancel'],
    });
    expect(await focused(page)).toBe('secret-answer');
    const answerField = question.getByLabel('Answer', { exact: true });
    expect(await answerField.getAttribute('type')).toBe('password');
    expect(await answerField.getAttribute('aria-describedby')).toContain('secret-question');
    await answerField.fill('Max');
    await answerField.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Answer is incorrect, try again.' }).waitFor();
    expect(await focused(page)).toBe('secret-answer');
    await answerField.fill(' rex ');
    await answerField.press('Enter');

    const codeForm = page.getByRole('form', { name: 'Reset code' });
    await codeForm.waitFor();
    expect(await codeForm.textContent()).toContain('We sent a code to your e-mail.');
    expect(await focused(page)).toBe('reset-code');
    const resetCode = codeForm.getByLabel('Code from the reset e-mail', { exact: true });
    expect(await resetCode.getAttribute('autocomplete')).toBe('one-time-code');
    // The demo mailbox, clearly the fake server's, shows what it e-mailed grace.
    const mailbox = page.getByRole('region', { name: 'Demo mailbox' });
    expect(await mailbox.textContent()).toContain("The fake server's outbox");
    const [code] = await mailboxCodes(page, 1);
    expect(code).toBe(demo.etna.lastMail('grace', 'passwordReset')?.code);
    expect(await page.locator('#mailbox-for').textContent()).toBe('Codes e-mailed to grace, newest first:');
    expect(await page.locator('#mailbox-list li').first().textContent()).toContain('Password-reset code');

    await resetCode.fill('not-the-code');
    await resetCode.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'The code is incorrect or has expired.' }).waitFor();
    await resetCode.fill(code ?? '');
    await resetCode.press('Enter');
    const newPassword = page.getByRole('form', { name: 'Choose a new password' });
    await newPassword.waitFor();
    expect(await focused(page)).toBe('new-password');
    await newPassword.getByLabel('New password', { exact: true }).fill('grace-password-2');
    await newPassword.getByLabel('Confirm the new password', { exact: true }).fill('grace-password-2');
    await newPassword.getByLabel('Confirm the new password', { exact: true }).press('Enter');
    await page.getByRole('heading', { name: 'Logged in' }).waitFor();
    expect(await page.locator('#status').textContent()).toBe('Logged in as grace.');
    expect(answeredSince(demo, sent)).toEqual([
      'GET /api/v1.0/users/password/secret-question → 200',
      'POST /api/v1.0/users/password/reset → 200',
      'POST /api/v1.0/users/password/reset → 200',
      'POST /api/v1.0/users/password/reset/code → 200',
      'POST /api/v1.0/users/password/reset/code → 200',
      'PUT /api/v1.0/users/passwords/reset/ → 200',
      'POST /api/token → 200',
    ]);
    const kept = await keptByThePage(page);
    for (const value of ['grace-password-2', 'rex', 'Max', code ?? '']) expect(kept).not.toContain(value);

    // The new password is hers now: logged out, she logs in with it.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.getByLabel('Password').fill('grace-password-2');
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('heading', { name: 'Logged in' }).waitFor();
  });

  describe("on the page's clock", () => {
    let context: BrowserContext;
    let clockTab: DemoPage;

    beforeAll(async () => {
      context = await chromium.newContext();
      await context.clock.install();
      clockTab = await openDemo(context, demo.url);
    }, 60_000);

    afterAll(async () => {
      await context?.close();
    });

    it('sends ivy a new code once the cooldown is over, announced on the prompt: the old code is refused, the new one works', async () => {
      await clockTab.restart();
      const { page } = clockTab;
      const resend = page.getByRole('button', { name: 'Send a new code' });

      /** Logs ivy in up to a resend; returns the codes the mailbox lists then, newest first. */
      async function resendFor(mailed: number): Promise<string[]> {
        await logIn(page, 'ivy', 'ivy-password');
        await page.getByLabel('Code from the e-mail or SMS').waitFor();
        const [sentFirst] = await mailboxCodes(page, mailed + 1);
        expect(sentFirst).toBe(demo.etna.lastMail('ivy', 'verificationCode')?.code);
        expect(await screenNow(page)).toMatchObject({ resend: false, resendWait: true, codeResent: false });
        const left = await timeLeft(page, 'resend-at');
        expect(left).toBeGreaterThan(25_000);
        expect(left).toBeLessThanOrEqual(30_000);
        const sent = demo.etna.requests.length;
        await page.clock.fastForward(left - 500);
        expect(await screenNow(page)).toMatchObject({ resend: false, resendIn: 1 });
        await page.clock.fastForward(1_000);
        await resend.waitFor();
        expect(await screenNow(page)).toMatchObject({ resend: true, resendWait: false });
        expect(demo.etna.requests.length, 'the cooldown sends nothing').toBe(sent);
        await resend.click();
        await page.getByText(CODE_RESENT).waitFor();
        expect(await screenNow(page)).toMatchObject({
          heading: 'Verification code',
          codeResent: true,
          resend: false,
          resendWait: true,
        });
        expect(await page.locator('#code-resent').getAttribute('role')).toBe('status');
        expect(await focused(page)).toBe('code');
        expect(answeredSince(demo, sent)).toEqual(['POST /api/token → 202']);
        const codes = await mailboxCodes(page, mailed + 2);
        expect(codes[0]).toBe(demo.etna.lastMail('ivy', 'verificationCode')?.code);
        expect(codes[0]).not.toBe(sentFirst);
        return codes;
      }

      const [, old] = await resendFor(0);
      await answer(page, 'Code from the e-mail or SMS', old ?? '');
      await page.getByRole('heading', { name: 'Login refused' }).waitFor();
      // A Reason the catalog does not know is shown as the server sent it; the Step by its name for people.
      expect((await screenNow(page)).failure).toBe('Invalid verification code / Verification code');

      await page.getByRole('button', { name: 'Retry' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      const [newest] = await resendFor(2);
      await answer(page, 'Code from the e-mail or SMS', newest ?? '');
      await page.getByRole('heading', { name: 'Logged in' }).waitFor();
      expect(await page.locator('#status').textContent()).toBe('Logged in as ivy.');
    });

    it('warns a minute before a 2-minute session ends, counts down, and logs the same user in again in place', async () => {
      const link = clockTab.page.getByRole('link', {
        name: 'Try a 2-minute session with a 1-minute warning',
      });
      expect(await link.getAttribute('href')).toBe('?sessionLifetime=120000&sessionWarning=60000');
      await clockTab.restart({ query: { sessionLifetime: 120_000, sessionWarning: 60_000 } });
      const { page } = clockTab;
      await logIn(page, 'alice', 'alice-password', true);
      await page.locator('#status', { hasText: 'Logged in as alice.' }).waitFor();
      const left = await timeLeft(page, 'session-ends');
      expect(left).toBeGreaterThan(110_000);
      await page.clock.fastForward(left - 60_000 - 500);
      expect((await screenNow(page)).ending).toBe(false);
      await page.clock.fastForward(1_000);
      const form = page.getByRole('form', { name: 'Log in again to stay logged in' });
      await form.waitFor();
      const warned = await screenNow(page);
      expect(warned).toMatchObject({
        heading: 'Your session ends soon | Log in again to stay logged in | Logged in',
        ending: true,
        reloginUsername: 'alice',
        reloginUsernameFixed: true,
        callApi: true,
        buttons: ['Log out'],
      });
      expect(warned.endingIn).toBeGreaterThanOrEqual(59);
      expect(warned.endingIn).toBeLessThanOrEqual(60);
      expect(await page.locator('#ending-wait').textContent()).toMatch(
        /^Your session ends in [01]:[0-5]\d\.$/,
      );
      expect(await focused(page)).toBe('relogin-password');
      // The session still works meanwhile.
      await page.getByRole('button', { name: 'Call the API' }).click();
      await page.locator('#api-result', { hasText: 'Login alice' }).waitFor();

      // A wrong password: refused by the server, and the session goes on until its end.
      await form.getByLabel('Password', { exact: true }).fill('not-her-password');
      await form.getByRole('button', { name: 'Log in again' }).click();
      await page.locator('#relogin-problem', { hasText: 'still works' }).waitFor();
      expect(await screenNow(page)).toMatchObject({
        reloginProblem: 'The username or password is not right.',
        reloginDetail: FAILURE_GUIDANCE.rejected,
        stillWorks: true,
        who: 'Account alice',
      });

      // A 429: the login again waits for its Retry-After, counted down in the warning, its button disabled.
      await page.getByText('Demo users and the fake server').click();
      await page.getByLabel("Fake server's next answer").selectOption('rateLimited');
      await form.getByLabel('Password', { exact: true }).fill('alice-password');
      await form.getByRole('button', { name: 'Log in again' }).click();
      await page.locator('#relogin-problem', { hasText: 'Too many attempts.' }).waitFor();
      const held = await screenNow(page);
      expect(held).toMatchObject({
        reloginProblem: 'Too many attempts.',
        reloginDetail: 'There were too many attempts. The server asks you to wait before the next one.',
        reloginWait: true,
        submitDisabled: true,
        stillWorks: true,
      });
      expect(held.reloginIn).toBeGreaterThanOrEqual(4);
      expect(held.reloginIn).toBeLessThanOrEqual(5);
      const heldAt = demo.etna.requests.length;
      // Enter does nothing while the wait holds: the form's only button is disabled.
      await form.getByLabel('Password', { exact: true }).fill('alice-password');
      await form.getByLabel('Password', { exact: true }).press('Enter');
      const waitLeft = await timeLeft(page, 'relogin-at');
      await page.clock.fastForward(waitLeft - 500);
      expect(await screenNow(page)).toMatchObject({ reloginWait: true, reloginIn: 1, submitDisabled: true });
      await page.clock.fastForward(1_000);
      await page.locator('#relogin-wait').waitFor({ state: 'hidden' });
      expect((await screenNow(page)).submitDisabled).toBe(false);
      expect(demo.etna.requests.length, 'nothing sent while the wait held').toBe(heldAt);

      const sent = demo.etna.requests.length;
      await form.getByLabel('Password', { exact: true }).fill('alice-password');
      await form.getByLabel('Password', { exact: true }).press('Enter');
      await page.getByRole('heading', { name: 'Your session ends soon' }).waitFor({ state: 'hidden' });
      expect(await screenNow(page)).toMatchObject({
        heading: 'Logged in',
        ending: false,
        who: 'Account alice',
      });
      expect(await timeLeft(page, 'session-ends')).toBeGreaterThan(110_000);
      expect(answeredSince(demo, sent)).toEqual(['POST /api/token → 200']);
      const stored = JSON.parse((await storedSession(page)) ?? '{}');
      expect(demo.etna.sessionOwner(stored.token)).toBe('alice');
      expect(await keptByThePage(page)).not.toContain('alice-password');
    });

    it("holds Retry back during a 429's Retry-After and offers it once the clock has passed it, sending nothing meanwhile", async () => {
      await clockTab.restart();
      const { page } = clockTab;
      await page.getByText('Demo users and the fake server').click();
      await page.getByLabel("Fake server's next answer").selectOption('rateLimited');
      await logIn(page, 'alice', 'alice-password');
      await page.getByRole('alert').filter({ hasText: 'Too many attempts' }).waitFor();
      const sent = demo.etna.requests.length;
      expect(await screenNow(page)).toMatchObject({
        error: 'There were too many attempts. The server asks you to wait before the next one.',
        buttons: ['Cancel'],
        retryWait: true,
      });
      expect(await page.locator('#retry-wait').getAttribute('role')).toBe('timer');
      // Focus on the error while Retry is held back, so that it is read out.
      expect(await focused(page)).toBe('error-title');
      const left = await timeLeft(page, 'retry-at');
      expect(left).toBeGreaterThan(3_000);
      expect(left).toBeLessThanOrEqual(5_000);
      expect((await screenNow(page)).retryIn).toBe(Math.ceil(left / 1_000));
      await page.clock.fastForward(left - 500);
      expect(await screenNow(page)).toMatchObject({ buttons: ['Cancel'], retryIn: 1 });
      await page.clock.fastForward(1_000);
      await page.getByRole('button', { name: 'Retry' }).waitFor();
      expect(await screenNow(page)).toMatchObject({ buttons: ['Retry', 'Cancel'], retryWait: false });
      expect(await focused(page)).toBe('Retry');
      expect(demo.etna.requests.length, 'the wait sends nothing').toBe(sent);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Logged in' }).waitFor();
      expect(answeredSince(demo, sent)).toEqual(['POST /api/token → 200']);
    });
  });

  it('calls the API with the session token and shows the Login; a 401 after revocation ends the session', async () => {
    await open();
    await logIn(page, 'alice', 'alice-password');
    await page.getByRole('heading', { name: 'Logged in' }).waitFor();
    const callApi = page.getByRole('button', { name: 'Call the API' });
    await callApi.click();
    const result = page.locator('#api-result');
    await result.filter({ hasText: 'Login alice' }).waitFor();
    expect(await result.textContent()).toBe('GET v1.0/users/@me/info answered: Login alice, Id 1.');
    expect(await result.getAttribute('aria-live')).toBe('polite');
    const call = demo.etna.requests.at(-1);
    expect(`${call?.method} ${call?.path} → ${call?.outcome}`).toBe('GET /api/v1.0/users/@me/info → 200');
    expect(call?.header('et-app-key')).toBe(demo.etna.appKey);
    const token = lastBearer(demo) ?? '';
    expect(demo.etna.sessionOwner(token)).toBe('alice');

    // The demo's own control revokes every session on the server; the next call meets a 401.
    await page.getByText('Demo users and the fake server').click();
    await page.getByRole('button', { name: 'Revoke every session on the server' }).click();
    await expect.poll(() => demo.etna.isSessionActive(token)).toBe(false);
    await callApi.click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(demo.etna.requests.at(-1)?.outcome).toBe(401);
    expect(await screenNow(page)).toMatchObject({
      ended: SESSION_ENDED.revoked,
      who: null,
      username: 'alice',
    });
    expect(await page.locator('#session-ended').getAttribute('role')).toBe('status');
    expect(await focused(page)).toBe('password');
  });

  it('is busy while logging out: the panel says so, the status reads "Logging out…", Log out again stops waiting', async () => {
    const { nextHeldRequest } = await open(true);
    await logIn(page, 'alice', 'alice-password');
    await (await nextHeldRequest()).continue();
    await page.getByRole('heading', { name: 'Logged in' }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    const logout = await nextHeldRequest();
    expect(new URL(logout.request().url()).pathname).toBe('/api/logout');
    expect(await screenNow(page)).toMatchObject({
      heading: 'Logging out',
      busy: true,
      status: 'Logging out…',
      who: null,
      token: null,
      callApi: false,
      buttons: ['Log out'],
    });
    expect(await page.locator('#succeeded-panel').getAttribute('aria-busy')).toBe('true');
    expect(await focused(page)).toBe('Log out');
    await logout.continue();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    const sent = demo.etna.requests.at(-1);
    expect(`${sent?.method} ${sent?.path} → ${sent?.outcome}`).toBe('POST /api/logout → 200');
    expect(demo.etna.isSessionActive(lastBearer(demo) ?? '')).toBe(false);
    expect((await screenNow(page)).ended).toBe(SESSION_ENDED.loggedOut);

    // Logging out again while the server is slow does not wait for it.
    await logIn(page, 'alice', 'alice-password');
    await (await nextHeldRequest()).continue();
    await page.getByRole('heading', { name: 'Logged in' }).waitFor();
    demo.etna.injectLogout({ kind: 'hang' });
    await page.getByRole('button', { name: 'Log out' }).click();
    await (await nextHeldRequest()).continue();
    await page.locator('#status', { hasText: 'Logging out…' }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect((await demo.etna.waitForEnd(demo.etna.requests.length - 1)).aborted).toBe(true);
  });

  it('keeps the session across a reload of the tab when asked to, and logging out forgets it', async () => {
    await open();
    await logIn(page, 'bob', 'bob-password', true);
    await page.getByLabel('PIN', { exact: true }).waitFor();
    // The choice is taken with the credentials: the PIN step does not ask again.
    await answer(page, 'PIN', '1234');
    await page.getByRole('heading', { name: 'Logged in' }).waitFor();
    expect((await screenNow(page)).persist).toBe(PERSIST_INFO.kept);
    const stored = JSON.parse((await storedSession(page)) ?? '{}');
    expect(Object.keys(stored).sort()).toEqual(['expiresAt', 'token', 'username']);
    expect(stored.username).toBe('bob');
    expect(demo.etna.sessionOwner(stored.token)).toBe('bob');

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await screenNow(page)).toMatchObject({
      heading: 'Logged in',
      // The storage kept whose session it is: the page says so after a reload too.
      status: 'Logged in as bob.',
      who: 'Account bob',
      endsInHours: 24,
      token: tokenLine(stored.token.length),
      persist: PERSIST_INFO.kept,
    });
    expect(await page.locator('#log').textContent()).toContain('→ succeeded');
    // The restored token is the one the server issued: the API knows whose it is.
    await page.getByRole('button', { name: 'Call the API' }).click();
    await page.locator('#api-result', { hasText: 'Login bob' }).waitFor();
    expect(lastBearer(demo)).toBe(stored.token);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(lastBearer(demo)).toBe(stored.token);
    expect(demo.etna.requests.at(-1)?.path).toBe('/api/logout');
    expect(demo.etna.isSessionActive(stored.token)).toBe(false);
    expect(await storedSession(page)).toBeNull();
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await screenNow(page)).toMatchObject({ heading: 'Log in', ended: null, who: null });
  });

  it('does not keep the session unless asked: a reload shows the login form again', async () => {
    await open();
    await logIn(page, 'alice', 'alice-password');
    await page.getByRole('heading', { name: 'Logged in' }).waitFor();
    expect(await storedSession(page)).toBeNull();
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await screenNow(page)).toMatchObject({ heading: 'Log in', who: null, status: '' });
  });

  it('keeps the header tagline on a line of its own at phone width, not in a narrow column', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    try {
      await open();
      const widths = await page.evaluate(() => {
        const width = (selector: string) =>
          document.querySelector(selector)?.getBoundingClientRect().width ?? 0;
        return { header: width('header.top'), tagline: width('header.top .tagline') };
      });
      // The header's padding aside, the tagline has the whole width.
      expect(widths.tagline).toBeGreaterThan(widths.header * 0.8);
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  it('draws every state node of the machine in the statechart diagram, and marks the current one and the last transition', async () => {
    await open();
    await page.waitForSelector('#chart[data-drawn="true"]');
    const ids = getStateNodes(etnaAuthMachine.root).map((node) => node.path.join('.'));
    const drawn = await page
      .locator('#chart svg [data-state]')
      .evaluateAll((boxes) => boxes.map((box) => (box as SVGGElement).dataset.state));
    expect(drawn.sort()).toEqual([...ids].sort());
    // The journey's states are drawn from the machine too.
    expect(drawn).toEqual(
      expect.arrayContaining([
        'pinSetup.choosing',
        'passwordChange.editing',
        'passwordReset.code',
        'expecting.resendingCode',
      ]),
    );
    const labels = await page.locator('#chart svg [data-edge] text').allTextContents();
    expect(labels).toEqual(
      expect.arrayContaining([
        'stored session restored [holdsSession]',
        'SESSION_EXPIRED',
        'SESSION_REVOKED',
        'FORGOT_PASSWORD',
        'RESEND_CODE [resendAllowed]',
      ]),
    );
    const active = () =>
      page
        .locator('#chart [aria-current="true"]')
        .evaluateAll((boxes) => boxes.map((box) => (box as SVGGElement).dataset.state));
    const taken = () =>
      page
        .locator('#chart [data-edge].taken')
        .evaluateAll((arrows) =>
          arrows.map(
            (arrow) => `${(arrow as SVGGElement).dataset.source} → ${(arrow as SVGGElement).dataset.target}`,
          ),
        );
    expect(await active()).toEqual(['idle']);
    expect(await taken()).toEqual([]);
    await logIn(page, 'bob', 'bob-password');
    await page.getByLabel('PIN', { exact: true }).waitFor();
    await page.waitForSelector('#chart[data-current="expecting.securityPin"]');
    expect(await active()).toEqual(['expecting', 'expecting.securityPin']);
    expect(await taken()).toEqual(['authenticating → expecting.securityPin']);
    expect(await page.locator('#chart .sc-caption').textContent()).toBe(
      'In expecting.securityPin. Last transition: answer [answerAsksForPin], authenticating → expecting.securityPin.',
    );
    const log = await page.locator('#log').textContent();
    expect(log).toContain('SUBMIT_CREDENTIALS {"username":"bob","password":"[redacted]"}');
    expect(log).toContain('→ expecting.securityPin');
    expect(log).not.toContain('bob-password');
  });
});
