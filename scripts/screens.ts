// `npm run screens`: regenerates docs/screens/*.png, one screenshot of the demo page per state of the machine,
// taken in headless Chromium (/usr/bin/chromium) against the embedded fake ETNA server.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
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

async function open(): Promise<Page> {
  const page = await chromium.context.newPage();
  await page.goto(demo.url);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

async function logIn(page: Page, username: string, password: string, keep = false): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  if (keep) await page.getByLabel('Keep me logged in in this tab').check();
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
  await page.getByText('password is required').waitFor();
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
  await page.locator('#pin-reason', { hasText: 'Invalid pin' }).waitFor();
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
  await page.locator('#session-ended', { hasText: 'no longer accepts your session' }).waitFor();
  await shoot(page, 'idle-session-ended');
  await page.close();

  page = await open();
  await logIn(page, 'carol', 'carol-password');
  await page.getByLabel('Code from the e-mail or SMS').waitFor();
  await shoot(page, 'expecting-verification-code');
  await page.close();

  page = await open();
  await logIn(page, 'erin', 'erin-password');
  await page.getByRole('heading', { name: 'Login refused' }).waitFor();
  await shoot(page, 'failed');
  await page.close();

  page = await open();
  await page.getByText('Demo users and the fake server').click();
  await page.getByLabel("Fake server's next answer").selectOption('rateLimited');
  await logIn(page, 'alice', 'alice-password');
  await page.getByRole('heading', { name: 'Too many attempts' }).waitFor();
  await shoot(page, 'error');
  await page.close();

  console.log(`wrote ${written.length} screenshots:\n  ${written.join('\n  ')}`);
} finally {
  await chromium.close();
  await demo.close();
}
