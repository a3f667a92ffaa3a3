// The page's "Stately inspector" toggle: createBrowserInspector() behind withRedaction. The inspector's URL
// is routed to a local stand-in that records what the page posts to it (this machine has no internet).
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import { assertChromiumInstalled, type LaunchedChromium, launchChromium } from './chromium.js';
import { openDemo, SESSION_ENDED, screenNow, storedSession } from './demo-page.js';

assertChromiumInstalled();

const CANARY = {
  password: 'CANARY-browser-password-7f3a',
  pin: 'CANARY-browser-pin-51',
  interimToken: 'CANARY+browser/interim=',
  sessionToken: 'CANARY+browser/session==',
};
/** A session token that reaches the page only through sessionStorage, restored at start. */
const RESTORED_CANARY = 'CANARY+browser/restored==';

/** Stands in for https://stately.ai/inspect: says it is connected, as the real one does, and keeps every message. */
const INSPECTOR_STAND_IN = `<!doctype html>
<title>inspector stand-in</title>
<script>
  window.received = [];
  window.addEventListener('message', (event) => window.received.push(event.data));
  window.opener.postMessage({ type: '@statelyai.connected' }, '*');
</script>`;

interface Received {
  readonly type: string;
  readonly definition?: string;
  readonly event?: { readonly type?: string } & Record<string, unknown>;
  readonly snapshot?: { readonly value?: unknown };
}

const received = (inspector: Page) =>
  inspector.evaluate(() => (window as unknown as { received: Received[] }).received);

/**
 * The inspector's page is a background tab, where requestAnimationFrame (Playwright's default polling) is paused:
 * poll on a timer instead, which a background tab still runs.
 */
const BACKGROUND_POLLING = { polling: 100, timeout: 30_000 } as const;

/** The state value of a logged-in session's first phase: `succeeded` is compound (`active`, `endingSoon`). */
const LOGGED_IN = { succeeded: 'active' } as const;

/**
 * Waits until the inspector has a snapshot in `state` (a state value: `'idle'`, `{ succeeded: 'active' }`): a
 * transition's, or the one an actor is introduced with.
 */
const inspectorSees = (inspector: Page, state: unknown) =>
  inspector.waitForFunction(
    (value) =>
      (window as unknown as { received: Received[] }).received.some(
        (message) =>
          (message.type === '@xstate.snapshot' || message.type === '@xstate.actor') &&
          JSON.stringify(message.snapshot?.value) === value,
      ),
    JSON.stringify(state),
    BACKGROUND_POLLING,
  );

/** Ticks the page's inspector toggle; returns the stand-in inspector's page. */
async function openInspector(page: Page): Promise<Page> {
  const popup = page.waitForEvent('popup');
  await page.getByLabel('Stately inspector').check();
  const inspector = await popup;
  expect(inspector.url()).toBe('https://stately.ai/inspect');
  // Headless Chromium opens the inspector as a tab in front; a hidden page's idle callbacks (which send
  // to the inspector) are throttled, so put the demo back in front, as a person's separate window is.
  await page.bringToFront();
  return inspector;
}

// Each test waits on the inspector's background tab, whose timers a busy machine delays.
describe('the Stately inspector toggle', { timeout: 90_000 }, () => {
  let demo: DemoServer;
  let chromium: LaunchedChromium;

  beforeAll(async () => {
    [demo, chromium] = await Promise.all([startDemoServer(), launchChromium()]);
    await chromium.context.route('https://stately.ai/inspect**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: INSPECTOR_STAND_IN }),
    );
  }, 60_000);

  // A test that stopped early must not leave its scripted answers to the next one.
  afterEach(() => demo?.etna.clearFaults());

  afterAll(async () => {
    await Promise.all([chromium?.close(), demo?.close()]);
  });

  it('sends the machine and its snapshots to the inspector, and no secret to it, the log or the console', async () => {
    const { page, console: messages } = await openDemo(chromium.context, demo.url);
    const { etna } = demo;
    const inspector = await openInspector(page);

    etna.inject({
      kind: 'respond',
      status: 202,
      body: {
        State: 'Expecting',
        Step: 'SecutityPin',
        Reason: 'Expecting pin code',
        Token: CANARY.interimToken,
      },
    });
    await page.getByLabel('Username').fill('ivy');
    await page.getByLabel('Password').fill(CANARY.password);
    await page.getByLabel('Keep me logged in').check();
    await page.getByLabel('Password').press('Enter');
    await page.getByLabel('PIN', { exact: true }).waitFor();

    etna.inject({ kind: 'respond', status: 200, body: { State: 'Succeeded', Token: CANARY.sessionToken } });
    await page.getByLabel('PIN', { exact: true }).fill(CANARY.pin);
    await page.getByLabel('PIN', { exact: true }).press('Enter');
    await page.getByRole('heading', { name: 'Logged in' }).waitFor();
    // The canaries really were typed and sent.
    expect(etna.requests[0]?.header('password')).toBe(CANARY.password);
    expect(etna.requests[1]?.header('pincode')).toBe(CANARY.pin);
    expect(etna.requests[1]?.header('authorization')).toBe(`Bearer ${CANARY.interimToken}`);
    expect((await screenNow(page)).token).toContain(`${CANARY.sessionToken.length} characters`);
    // Kept for reloads, as asked: the tab's storage is where the token is meant to be.
    expect(JSON.parse((await storedSession(page)) ?? '{}').token === CANARY.sessionToken).toBe(true);
    await inspectorSees(inspector, LOGGED_IN);

    // The API call sends the session token; the server does not know it (401) and the session ends.
    await page.getByRole('button', { name: 'Call the API' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect((await screenNow(page)).ended).toBe(SESSION_ENDED.revoked);
    expect(etna.requests[2]?.path).toBe('/api/v1.0/users/@me/info');
    expect(etna.requests[2]?.header('authorization')).toBe(`Bearer ${CANARY.sessionToken}`);
    expect(await storedSession(page)).toBeNull();
    await inspector.waitForFunction(
      () =>
        (window as unknown as { received: Received[] }).received.some(
          (message) => message.type === '@xstate.event' && message.event?.type === 'SESSION_REVOKED',
        ),
      undefined,
      BACKGROUND_POLLING,
    );
    await inspectorSees(inspector, 'idle');
    const messagesToInspector = await received(inspector);
    const actors = messagesToInspector.filter((message) => message.type === '@xstate.actor');
    const machine = actors
      .map((actor) => JSON.parse(actor.definition ?? '{}'))
      .find((d) => d.id === 'etnaAuth');
    expect(machine?.states).toHaveProperty('expecting');
    const values = messagesToInspector
      .filter((message) => message.type === '@xstate.snapshot')
      .map((message) => JSON.stringify(message.snapshot?.value));
    expect(values).toEqual(
      expect.arrayContaining([
        '"authenticating"',
        '{"expecting":"securityPin"}',
        JSON.stringify(LOGGED_IN),
        '"idle"',
      ]),
    );
    const events = messagesToInspector.filter((message) => message.type === '@xstate.event');
    expect(events.map((message) => message.event)).toEqual(
      expect.arrayContaining([
        { type: 'SUBMIT_CREDENTIALS', username: 'ivy', password: '[redacted]' },
        { type: 'SUBMIT_PIN', pin: '[redacted]' },
      ]),
    );

    const logText = (await page.locator('#log').textContent()) ?? '';
    expect(logText).toContain('[redacted]');
    const everything = [
      JSON.stringify(messagesToInspector),
      logText,
      await page.content(),
      messages.join('\n'),
    ].join('\n');
    for (const secret of Object.values(CANARY)) expect(everything).not.toContain(secret);

    expect(await page.locator('#inspect-status').textContent()).toBe('Connected to the Stately inspector.');
    await page.getByLabel('Stately inspector').uncheck();
    expect(await page.locator('#inspect-status').textContent()).toBe('');
    await inspector.waitForFunction(
      () =>
        (window as unknown as { received: Received[] }).received.some(
          (message) => message.type === '@statelyai.disconnected',
        ),
      undefined,
      BACKGROUND_POLLING,
    );
    await page.close();
  });

  it('sends no restored session token to the inspector, the log or the console, nor when logging out with it', async () => {
    const { etna } = demo;
    const sent = etna.requests.length;
    const { page, console: messages } = await openDemo(chromium.context, demo.url, {
      storedSession: JSON.stringify({ token: RESTORED_CANARY, expiresAt: Date.now() + 3_600_000 }),
    });
    expect((await screenNow(page)).status).toBe('Logged in (session restored).');
    const inspector = await openInspector(page);
    await inspectorSees(inspector, LOGGED_IN);

    // The server does not know the token: POST /logout answers 401, and the session ends all the same.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect((await screenNow(page)).ended).toBe(SESSION_ENDED.loggedOut);
    const logout = etna.requests[sent];
    expect(`${logout?.method} ${logout?.path} → ${logout?.outcome}`).toBe('POST /api/logout → 401');
    expect(logout?.header('authorization')).toBe(`Bearer ${RESTORED_CANARY}`);
    expect(await storedSession(page)).toBeNull();
    await inspectorSees(inspector, 'loggingOut');
    await inspectorSees(inspector, 'idle');

    const messagesToInspector = await received(inspector);
    const actors = messagesToInspector.filter((message) => message.type === '@xstate.actor');
    expect(actors.length).toBeGreaterThanOrEqual(2);
    const events = messagesToInspector.filter((message) => message.type === '@xstate.event');
    expect(events.map((message) => message.event?.type)).toEqual(
      expect.arrayContaining(['LOGOUT', 'xstate.error.actor.logout']),
    );
    const logText = (await page.locator('#log').textContent()) ?? '';
    expect(logText).toContain('invoke logout');
    const everything = [
      JSON.stringify(messagesToInspector),
      logText,
      await page.content(),
      messages.join('\n'),
    ].join('\n');
    expect(everything).toContain('[redacted]');
    expect(everything).not.toContain(RESTORED_CANARY);
    await page.close();
  });

  it('says on the page when the inspector cannot be reached (offline), instead of staying silent', async () => {
    const offline = await chromium.newContext();
    try {
      await offline.route('https://stately.ai/**', (route) => route.abort('internetdisconnected'));
      const { page } = await openDemo(offline, demo.url, { query: { inspectorWait: 300 } });
      await page.getByLabel('Stately inspector').check();
      const status = page.locator('#inspect-status');
      await status.filter({ hasText: 'did not answer' }).waitFor();
      expect(await status.textContent()).toBe(
        'The Stately inspector did not answer within 0.3 s: https://stately.ai/inspect could not be reached, or its pop-up was blocked.',
      );
      expect(await status.getAttribute('role')).toBe('status');
      // With no network at all, it says so at once.
      await page.getByLabel('Stately inspector').uncheck();
      await offline.setOffline(true);
      await page.getByLabel('Stately inspector').check();
      await status.filter({ hasText: 'offline' }).waitFor();
      expect(await status.textContent()).toBe(
        'The Stately inspector cannot be reached: this browser is offline.',
      );
    } finally {
      await offline.close();
    }
  });
});
