// `npm run screens`: regenerates docs/screens/*.png, one screenshot of the demo page per screen of the login
// journey, taken in headless Chromium (/usr/bin/chromium) against the embedded fake ETNA server. The waits
// (the resend cooldown, a 429's Retry-After) run on Playwright's clock in a context of their own.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../test/browser/chromium.js';
import { startDemoServer } from './serve-demo.js';

const SCREENS = fileURLToPath(new URL('../docs/screens/', import.meta.url));

const demo = await startDemoServer();
const chromium = await launchChromium();
const written: string[] = [];

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({
    path: `${SCREENS}${name}.png`,
    fullPage: true,
    animations: 'disabled',
    caret: 'hide',
  });
  written.push(`docs/screens/${name}.png`);
}

async function open(context: BrowserContext = chromium.context): Promise<Page> {
  const page = await context.newPage();
  await page.goto(demo.url);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

async function logIn(page: Page, username: string, password: string, keep = false): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  if (keep) await page.getByLabel('Keep me logged in').check();
  await page.getByLabel('Password').press('Enter');
}

/** Holds the page's next request to `path` in the browser; resolves once it is held, with a release. */
function holdNext(page: Page, path: string): Promise<() => void> {
  return new Promise((held) => {
    void page.route(
      `**${path}`,
      async (route) => {
        await new Promise<void>((release) => held(release));
        await route.continue();
      },
      { times: 1 },
    );
  });
}

try {
  await mkdir(SCREENS, { recursive: true });

  let page = await open();
  await page.getByText('Demo users and the fake server').click();
  await shoot(page, 'idle');
  await page.getByLabel('Username').fill('bob');
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByText('Enter your password.').waitFor();
  await shoot(page, 'idle-input-refused');
  await page.close();

  // The first request is held in the browser while the busy screen is taken, then answered.
  page = await open();
  const held = holdNext(page, '/api/token');
  await logIn(page, 'bob', 'bob-password');
  const release = await held;
  await shoot(page, 'authenticating');
  release();
  await page.getByLabel('PIN', { exact: true }).waitFor();
  await page.getByLabel('PIN', { exact: true }).fill('0000');
  await page.getByLabel('PIN', { exact: true }).press('Enter');
  await page.locator('#pin-reason', { hasText: 'That PIN is not right.' }).waitFor();
  await shoot(page, 'expecting-security-pin');
  await page.getByLabel('PIN', { exact: true }).fill('1234');
  await page.getByLabel('PIN', { exact: true }).press('Enter');
  await page.getByRole('heading', { name: 'Logged in' }).waitFor();
  await shoot(page, 'succeeded');
  await page.close();

  // The session panel: kept for reloads of the tab, after a call to the API with the session.
  page = await open();
  await logIn(page, 'alice', 'alice-password', true);
  await page.getByRole('button', { name: 'Call the API' }).click();
  await page.locator('#api-result', { hasText: 'Login alice' }).waitFor();
  await shoot(page, 'session-panel');
  const logout = holdNext(page, '/api/logout');
  await page.getByRole('button', { name: 'Log out' }).click();
  const answer = await logout;
  await page.locator('#status', { hasText: 'Logging out…' }).waitFor();
  await shoot(page, 'logging-out');
  answer();
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  await page.close();

  // The session ends without the user: the server revoked it, and the next API call meets a 401.
  page = await open();
  await logIn(page, 'alice', 'alice-password');
  await page.getByRole('button', { name: 'Call the API' }).waitFor();
  demo.etna.revokeSessions();
  await page.getByRole('button', { name: 'Call the API' }).click();
  await page.locator('#session-ended', { hasText: 'The server ended your session' }).waitFor();
  await shoot(page, 'idle-session-ended');
  await page.close();

  // The code prompt: no new code before the cooldown is over, which it counts down.
  page = await open();
  await logIn(page, 'carol', 'carol-password');
  await page.getByLabel('Code from the e-mail or SMS').waitFor();
  await shoot(page, 'expecting-verification-code');
  await page.close();

  page = await open();
  await logIn(page, 'mallory', 'mallory-password');
  await page.getByRole('heading', { name: 'Login refused' }).waitFor();
  await shoot(page, 'failed');
  await page.close();

  page = await open();
  await page.getByText('Demo users and the fake server').click();
  await page.getByLabel("Fake server's next answer").selectOption('serverError');
  await logIn(page, 'alice', 'alice-password');
  await page.getByRole('heading', { name: 'Server error' }).waitFor();
  await shoot(page, 'error');
  await page.close();

  // A first PIN set-up: frank's pictures, one chosen, the PIN and the phrase typed.
  page = await open();
  await logIn(page, 'frank', 'frank-password');
  const setup = page.getByRole('form', { name: 'Set up your security PIN' });
  await setup.waitFor();
  await setup.getByRole('radio', { name: 'lighthouse.png', exact: true }).check();
  await setup.getByLabel('New PIN', { exact: true }).fill('2580');
  await setup.getByLabel('Personal phrase', { exact: true }).fill('Lighthouse at dusk');
  await shoot(page, 'pin-setup');
  await page.close();

  // An expired password: erin's first choice breaks the server's rule, which the form shows.
  page = await open();
  await logIn(page, 'erin', 'erin-password');
  const change = page.getByRole('form', { name: 'Your password has expired' });
  await change.waitFor();
  await change.getByLabel('New password', { exact: true }).fill('no-digits-here');
  await change.getByLabel('Confirm the new password', { exact: true }).fill('no-digits-here');
  await change.getByRole('button', { name: 'Save password' }).click();
  await page.getByRole('alert').filter({ hasText: 'contain a digit' }).waitFor();
  await shoot(page, 'password-change');
  await page.close();

  // A forgotten password: grace's secret question, the code from the demo mailbox, a new password.
  page = await open();
  await page.getByLabel('Username').fill('grace');
  await page.getByRole('button', { name: 'Forgot password?' }).click();
  const question = page.getByRole('form', { name: 'Secret question' });
  await question.waitFor();
  await question.getByLabel('Answer', { exact: true }).fill('Max');
  await question.getByLabel('Answer', { exact: true }).press('Enter');
  await page.getByRole('alert').filter({ hasText: 'Answer is incorrect' }).waitFor();
  await shoot(page, 'password-reset-question');
  await question.getByLabel('Answer', { exact: true }).fill('Rex');
  await question.getByLabel('Answer', { exact: true }).press('Enter');
  const resetCode = page.getByRole('form', { name: 'Reset code' });
  await resetCode.waitFor();
  const mailed = page.locator('#mailbox-list li code').first();
  await mailed.waitFor();
  await shoot(page, 'password-reset-code');
  await resetCode
    .getByLabel('Code from the reset e-mail', { exact: true })
    .fill((await mailed.textContent()) ?? '');
  await resetCode.getByRole('button', { name: 'Continue' }).click();
  const newPassword = page.getByRole('form', { name: 'Choose a new password' });
  await newPassword.waitFor();
  await newPassword.getByLabel('New password', { exact: true }).fill('grace-password-2');
  await newPassword.getByLabel('Confirm the new password', { exact: true }).fill('grace-password-2');
  await shoot(page, 'password-reset-new-password');
  await page.close();

  // On Playwright's clock: a new code once the cooldown is over, and a 429's wait before Retry.
  const clocked = await chromium.newContext();
  await clocked.clock.install();
  page = await open(clocked);
  await logIn(page, 'ivy', 'ivy-password');
  await page.getByLabel('Code from the e-mail or SMS').waitFor();
  await page.clock.fastForward(30_500);
  await page.getByRole('button', { name: 'Send a new code' }).click();
  await page.getByText('A new code was sent.').waitFor();
  await page.locator('#mailbox-list li').nth(1).waitFor();
  await shoot(page, 'expecting-verification-code-resent');
  await page.close();

  page = await open(clocked);
  await page.getByText('Demo users and the fake server').click();
  await page.getByLabel("Fake server's next answer").selectOption('rateLimited');
  await logIn(page, 'alice', 'alice-password');
  await page.getByRole('heading', { name: 'Too many attempts' }).waitFor();
  await page.clock.fastForward(2_000);
  await page.locator('#retry-at', { hasText: '3' }).waitFor();
  await shoot(page, 'error-rate-limited');
  await page.close();
  await clocked.close();

  console.log(`wrote ${written.length} screenshots:\n  ${written.join('\n  ')}`);
} finally {
  await chromium.close();
  await demo.close();
}
