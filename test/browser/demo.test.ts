// The demo page as a person uses it: every demo user against the fake server's real protocol, the habits
// of a login form (labels, autocomplete, focus, Enter, announced errors), the statechart panel and the log.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStateNodes } from 'xstate/graph';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import { etnaAuthMachine } from '../../src/machine/etna-auth-machine.js';
import { assertChromiumInstalled, type LaunchedChromium, launchChromium } from './chromium.js';
import { openDemo, screenNow } from './demo-page.js';

assertChromiumInstalled();

const focused = (page: Page) =>
  page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    return active?.id || active?.textContent?.trim() || '';
  });

async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
}

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
  let page: Page;

  beforeAll(async () => {
    [demo, chromium] = await Promise.all([startDemoServer(), launchChromium()]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([chromium?.close(), demo?.close()]);
  });

  async function open(holdTokenRequests = false) {
    const opened = await openDemo(chromium.context, demo.url, { holdTokenRequests });
    page = opened.page;
    return opened;
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
    expect(await page.getByRole('status').textContent()).toBe(`Logged in as ${username}.`);
    expect(await focused(page)).toBe('Log out');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await page.getByLabel('Username').inputValue()).toBe('');
    expect(await focused(page)).toBe('username');
    await page.close();
  });

  it.each([
    ['erin', 'Your Password has expired and must be changed / BaseAuthentication'],
    ['frank', 'PIN code is not init / SecutityPin'],
    ['mallory', 'Invalid credentials / BaseAuthentication'],
  ])('shows why the server refused %s, in an alert, and starts again on Retry', async (username, failure) => {
    await open();
    await logIn(page, username, `${username}-password`);
    const refused = page.getByRole('alert').filter({ hasText: 'Login refused' });
    await refused.waitFor();
    expect((await screenNow(page)).failure).toBe(failure);
    expect(await focused(page)).toBe('Retry');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await page.getByLabel('Username').inputValue()).toBe(username);
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    expect(await focused(page)).toBe('password');
    await page.close();
  });

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
    await page.close();
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
    await answer(page, 'PIN', '0000');
    await page.locator('#pin-reason', { hasText: 'Invalid pin' }).waitFor();
    expect(await focused(page)).toBe('pin');
    expect(await page.getByLabel('PIN', { exact: true }).inputValue()).toBe('');
    await page.close();
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
    await page.close();
  });

  it('is busy while the request is in flight: submit disabled, fields read-only, a status line, Cancel offered', async () => {
    const { nextTokenRequest } = await open(true);
    await logIn(page, 'alice', 'alice-password');
    const request = await nextTokenRequest();
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
    await page.close();
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
    await page.close();
  });

  it('draws every state node of the machine in the statechart panel and highlights the current one', async () => {
    await open();
    const ids = getStateNodes(etnaAuthMachine.root).map((node) => node.path.join('.'));
    const drawn = await page
      .locator('#chart [data-state]')
      .evaluateAll((boxes) => boxes.map((box) => (box as HTMLElement).dataset.state));
    expect(drawn.sort()).toEqual([...ids].sort());
    const active = () =>
      page
        .locator('#chart [aria-current="true"]')
        .evaluateAll((boxes) => boxes.map((box) => (box as HTMLElement).dataset.state));
    expect(await active()).toEqual(['idle']);
    await logIn(page, 'bob', 'bob-password');
    await page.getByLabel('PIN', { exact: true }).waitFor();
    expect(await active()).toEqual(['expecting', 'expecting.securityPin']);
    const log = await page.locator('#log').textContent();
    expect(log).toContain('SUBMIT_CREDENTIALS {"username":"bob","password":"[redacted]"}');
    expect(log).toContain('→ expecting.securityPin');
    expect(log).not.toContain('bob-password');
    await page.close();
  });
});
