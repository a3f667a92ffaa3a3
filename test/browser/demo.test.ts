// The demo page as a person uses it: every demo user against the fake server's real protocol, the habits
// of a login form (labels, autocomplete, focus, Enter, announced errors), the session panel (the API called
// with the session, logging out, keeping the session across reloads), the statechart panel and the log.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getStateNodes } from 'xstate/graph';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import { etnaAuthMachine } from '../../src/machine/etna-auth-machine.js';
import { assertChromiumInstalled, type LaunchedChromium, launchChromium } from './chromium.js';
import {
  type DemoPage,
  FAILURE_GUIDANCE,
  openDemo,
  PERSIST_INFO,
  RESTORED_WHO,
  SESSION_ENDED,
  screenNow,
  storedSession,
  tokenLine,
} from './demo-page.js';

assertChromiumInstalled();

const focused = (page: Page) =>
  page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    return active?.id || active?.textContent?.trim() || '';
  });

async function logIn(page: Page, username: string, password: string, keep = false): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  if (keep) await page.getByLabel('Keep me logged in in this tab').check();
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
    ['erin', 'Your Password has expired and must be changed / BaseAuthentication', 'passwordExpired'],
    ['frank', 'PIN code is not init / SecutityPin', 'pinNotInitialized'],
    ['mallory', 'Invalid credentials / BaseAuthentication', 'rejected'],
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
    expect(await page.locator('#code-reason').textContent()).toBe('Expecting confirmation code');
    await answer(page, 'Code from the e-mail or SMS', '654321');
    await page.getByRole('heading', { name: 'Security PIN' }).waitFor();
    expect(await focused(page)).toBe('pin');
    const reasonLooks = () =>
      page.locator('#pin-reason').evaluate((reason) => ({
        rejected: reason.classList.contains('rejected'),
        color: getComputedStyle(reason).color,
      }));
    // The first ask is a prompt; the same prompt asked again after an answer is the server saying it was wrong.
    expect(await reasonLooks()).toEqual({ rejected: false, color: 'rgb(29, 36, 51)' });
    await answer(page, 'PIN', '0000');
    await page.locator('#pin-reason', { hasText: 'Invalid pin' }).waitFor();
    expect(await reasonLooks()).toEqual({ rejected: true, color: 'rgb(180, 35, 24)' });
    expect(await focused(page)).toBe('pin');
    expect(await page.getByLabel('PIN', { exact: true }).inputValue()).toBe('');
  });

  it('refuses an empty password before sending: aria-invalid, the message in an alert, focus on the field', async () => {
    await open();
    const sent = demo.etna.requests.length;
    await page.getByLabel('Username').fill('alice');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    const message = page.locator('#login-error');
    await message.filter({ hasText: 'password is required' }).waitFor();
    expect(await message.getAttribute('role')).toBe('alert');
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Password').getAttribute('aria-describedby')).toBe('login-error');
    expect(await focused(page)).toBe('password');
    expect(demo.etna.requests.length).toBe(sent);
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
    expect(await page.getByRole('status').textContent()).toBe('Waiting for the server…');
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
    await page.getByLabel("Fake server's next answer").selectOption('rateLimited');
    await logIn(page, 'alice', 'alice-password');
    const alert = page.getByRole('alert').filter({ hasText: 'Too many attempts' });
    await alert.waitFor();
    expect((await screenNow(page)).error).toBe('error.kind = "rateLimited" HTTP 429, retry after 5 s');
    expect(await focused(page)).toBe('Retry');
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('heading', { name: 'Logged in' }).waitFor();
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
    expect(Object.keys(stored).sort()).toEqual(['expiresAt', 'token']);
    expect(demo.etna.sessionOwner(stored.token)).toBe('bob');

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await screenNow(page)).toMatchObject({
      heading: 'Logged in',
      status: 'Logged in (session restored).',
      who: RESTORED_WHO,
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
    const labels = await page.locator('#chart svg [data-edge] text').allTextContents();
    expect(labels).toEqual(
      expect.arrayContaining([
        'stored session restored [holdsSession]',
        'SESSION_EXPIRED',
        'SESSION_REVOKED',
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
