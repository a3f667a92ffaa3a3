// The three framework examples in the backend mode, as a person runs it: `ETNA_AUTH_BFF=1 npm run dev -w
// examples/<framework>` serves the page with etna-auth/server under /etna-auth/ in front of the fake ETNA server,
// and the same components log in with a PIN through it, then out; the page gets no app key and no token, keeps
// nothing in its storage, and its fake-server route /api/ is closed.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APP_KEY } from '../../src/testing/index.js';
import { assertChromiumInstalled, type LaunchedChromium, launchChromium } from './chromium.js';
import { EXAMPLES, type ExampleDevServer, startExampleDevServer } from './example-dev-server.js';

assertChromiumInstalled();

/** Runs in the page: what it keeps where a script reads it. */
async function pageStorage(): Promise<string> {
  const databases = await indexedDB.databases();
  return JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie, databases]);
}

describe.each(EXAMPLES)('examples/%s: ETNA_AUTH_BFF=1 npm run dev', (example) => {
  let server: ExampleDevServer;
  let chromium: LaunchedChromium;

  beforeAll(async () => {
    [server, chromium] = await Promise.all([
      startExampleDevServer(example, { backend: true }),
      launchChromium(),
    ]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([chromium?.close(), server?.close()]);
  });

  it('logs in with a PIN through the backend, then out; the page never holds a token or the app key', async () => {
    expect(server.output()).toContain('Backend mode: etna-auth/server answers /etna-auth/');
    const page: Page = await chromium.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // Everything the page receives, headers and bodies (the view's stream is read by the page's fetch, below).
    const received: string[] = [];
    page.on('response', async (response) => {
      received.push(JSON.stringify(await response.allHeaders().catch(() => ({}))));
      if (!response.url().includes('/etna-auth/login/watch'))
        received.push(await response.text().catch(() => ''));
    });
    // Vite's first load of a page compiles it: give it longer than a click.
    await page.goto(server.url, { timeout: 30_000 });
    await page.getByText('through the backend (etna-auth/server)').waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Log in' }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Username').fill('bob');
    await page.getByLabel('Password').fill('bob-password');
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('heading', { name: 'Security PIN' }).waitFor();
    await page.getByLabel('PIN', { exact: true }).fill('1234');
    await page.getByLabel('PIN', { exact: true }).press('Enter');
    await page.getByRole('heading', { name: 'Logged in' }).waitFor();
    expect(await page.getByRole('status').textContent()).toBe('Logged in as bob.');
    // The view the page reads, as the backend sends it: no token in it, and the session only in an HttpOnly cookie.
    // Asked at once, the login's answer may not have brought the renewed cookie yet (409 sessionRenewed): ask again.
    const readView = () => page.evaluate(async () => (await fetch('/etna-auth/login')).text());
    await expect.poll(readView, { timeout: 5_000 }).toContain('"succeeded"');
    const view = await readView();
    const cookies = await chromium.context.cookies(server.url);
    expect(cookies.map(({ name, httpOnly, sameSite }) => ({ name, httpOnly, sameSite }))).toEqual([
      { name: '__Host-etna-auth', httpOnly: true, sameSite: 'Strict' },
    ]);
    const storage = await page.evaluate(pageStorage);
    expect(storage).toBe(JSON.stringify([{}, {}, '', []]));
    // The API through the backend's proxy, which adds the token and the app key on the server.
    await page.getByRole('button', { name: 'Call the API' }).click();
    await page.getByText('The API knows you as bob.').waitFor();
    // The fake server is the backend's alone: /api/ is not proxied to it (Vite answers with its page).
    const direct = await page.request.get(`${server.url}api/v1.0/users/@me/info`);
    expect(direct.headers()['content-type']).toContain('text/html');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    const seen = [...received, view].join('\n');
    expect(seen).not.toContain(DEMO_APP_KEY);
    expect(seen).not.toMatch(/"(Token|token|sessionToken|interimToken)"\s*:/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
