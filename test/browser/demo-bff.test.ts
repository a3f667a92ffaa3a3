// The demo in the backend mode (`npm start -- --bff`) in Chromium: every model path through the page's own screens,
// driven through etna-auth/remote, with the login on the demo's backend (one backend server for the file, one
// backend per path's fake server, as the kit gives each path its own), and at every step the page's storage, its
// cookies and everything it received are searched for a token, an interim token and the app key.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import { type EtnaBffStore, memorySessionStore } from '../../src/server/index.js';
import { BrowserRecords, keysOf, newBrowserId } from '../../src/server/session-records.js';
import {
  type BrowserModelDriver,
  DEMO_APP_KEY,
  getEtnaAuthPaths,
  MODEL_INTERIM_TOKENS,
  MODEL_PASSWORD_CHANGE_TOKEN,
  MODEL_PIN_SETUP_TOKENS,
  MODEL_RESET_TOKEN,
  MODEL_SESSION_TOKEN,
  type ModelBackendSession,
  runModelPathsInBrowser,
} from '../../src/testing/index.js';
import { MODEL_OTHER_USER } from '../../src/testing/model/session.js';
import { type BackendClock, createBackendClock } from './backend-clock.js';
import { assertChromiumInstalled, type LaunchedChromium, launchChromium } from './chromium.js';
import { demoKitDriver } from './demo-kit-driver.js';
import { expectOnlyRestoringMissing, notCoveredLine } from './kit-report.js';

assertChromiumInstalled();

const DAY = 86_400_000;

/** What the page must never hold: every token the fake server issues on the paths, and the app key. */
const NEVER_IN_THE_PAGE: Readonly<Record<string, string>> = {
  'the session token': MODEL_SESSION_TOKEN,
  "the other user's session token": MODEL_OTHER_USER.token,
  'the PIN step interim token': MODEL_INTERIM_TOKENS.securityPin,
  'the code step interim token': MODEL_INTERIM_TOKENS.verificationCode,
  'the security question interim token': 'question+model/token=',
  'the PIN set-up token': MODEL_PIN_SETUP_TOKENS.token,
  'the PIN set-up confirmation token': MODEL_PIN_SETUP_TOKENS.confirmation,
  'the password change token': MODEL_PASSWORD_CHANGE_TOKEN,
  'the password reset token': MODEL_RESET_TOKEN,
  'the app key': DEMO_APP_KEY,
};

/** The names of the secrets found in `text`. */
const secretsIn = (text: string) =>
  Object.entries(NEVER_IN_THE_PAGE).flatMap(([name, secret]) => (text.includes(secret) ? [name] : []));

/**
 * Installed in every page before its scripts: each response the page's `fetch` gets is told to the test, its
 * headers as script reads them and its body as it streams in (the view's server-sent events included).
 */
function tapFetch(): void {
  const tell = (window as unknown as { __etnaAuthTestSeen(id: number, text: string): void })
    .__etnaAuthTestSeen;
  const original = window.fetch.bind(window);
  let responses = 0;
  window.fetch = async (...args: Parameters<typeof fetch>) => {
    const response = await original(...args);
    const id = responses++;
    let headers = '';
    response.headers.forEach((value, name) => {
      headers += `${name}: ${value}\n`;
    });
    tell(id, headers);
    const reader = response.clone().body?.getReader();
    if (reader) {
      const decoder = new TextDecoder();
      void (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          tell(id, decoder.decode(value, { stream: true }));
        }
      })().catch(() => {});
    }
    return response;
  };
}

/** Runs in the page: what it keeps where a script reads it. */
async function pageStorage() {
  return {
    localStorage: JSON.stringify({ ...localStorage }),
    sessionStorage: JSON.stringify({ ...sessionStorage }),
    cookie: document.cookie,
    indexedDB: (await indexedDB.databases()).map((database) => database.name ?? ''),
  };
}

/** Everything the pages of `context` received: per response, its text as it arrived. */
function recordReceived(context: BrowserContext) {
  const received = new Map<string, string>();
  const add = (key: string, text: string) => received.set(key, (received.get(key) ?? '') + text);
  let pages = 0;
  const pageIds = new WeakMap<object, number>();
  return {
    received,
    async install() {
      await context.exposeBinding('__etnaAuthTestSeen', ({ page }, id: number, text: string) => {
        if (!pageIds.has(page)) pageIds.set(page, pages++);
        add(`fetch ${pageIds.get(page)}:${id}`, text);
      });
      await context.addInitScript(tapFetch);
      // Documents and scripts too (the bundle, the page), and every response's headers, Set-Cookie included.
      context.on('response', async (response) => {
        const key = `${response.request().resourceType()} ${response.url()}`;
        const headers = await response.allHeaders().catch(() => ({}));
        add(key, JSON.stringify(headers));
        if (response.request().resourceType() !== 'fetch') add(key, await response.text().catch(() => ''));
      });
    },
  };
}

describe('the demo in the backend mode (npm start -- --bff), in Chromium', () => {
  let demo: DemoServer;
  let chromium: LaunchedChromium;
  let store: EtnaBffStore;
  let clock: BackendClock;

  beforeAll(async () => {
    store = memorySessionStore();
    clock = createBackendClock();
    [demo, chromium] = await Promise.all([
      startDemoServer({
        // The model's sessions last the platform's day: the backend's absolute timeout ends none of them sooner.
        backend: { pageEtna: true, bff: { store, clock, absoluteTimeout: DAY + 3_600_000 } },
      }),
      launchChromium(),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([chromium?.close(), demo?.close()]);
    await store?.close();
  });

  it('says which mode it runs in, and the page gets no app key', async () => {
    const page = await chromium.context.newPage();
    try {
      const scripts: string[] = [];
      page.on('response', async (response) => {
        if (response.url().endsWith('/main.js')) scripts.push(await response.text());
      });
      await page.goto(demo.url);
      await page.locator('body[data-ready="true"]').waitFor();
      expect(await page.locator('#mode').getAttribute('data-mode')).toBe('backend');
      expect(await page.locator('#mode').textContent()).toContain('etna-auth/server');
      expect(scripts.join('')).not.toContain(DEMO_APP_KEY);
      // The fake server's own routes are closed to the page: only the backend reaches them.
      expect((await page.request.get(`${demo.url}api/v1.0/users/@me/info`)).status()).toBe(404);
    } finally {
      await page.close();
    }
  });

  it('runs the model paths through the page, and no token or app key ever reaches it', async () => {
    const backends = demo.backends;
    if (!backends) throw new Error('the demo server is not in the backend mode');
    const context = await chromium.newContext();
    const tap = recordReceived(context);
    await tap.install();
    const records = new BrowserRecords(store);
    const cookieOf = async (pageUrl: string) => {
      const name = backends.cookieNameFor(new URL(pageUrl).searchParams);
      const cookie = (await context.cookies(demo.url)).find((candidate) => candidate.name === name);
      if (!cookie) throw new Error(`the browser holds no ${name} cookie`);
      return cookie.value;
    };
    // The session of a reload and of another tab live on the backend: the test puts them in its store.
    const backend: ModelBackendSession<Page> = {
      async open(_page, url, stored) {
        await context.clearCookies();
        if (stored === undefined) return;
        const id = newBrowserId();
        const name = backends.cookieNameFor(new URL(url).searchParams);
        await context.addCookies([
          {
            name,
            value: id,
            domain: 'localhost',
            path: '/',
            secure: true,
            httpOnly: true,
            sameSite: 'Strict',
          },
        ]);
        const { token, expiresAt, username } = JSON.parse(stored) as {
          token: string;
          expiresAt: number;
          username: string;
        };
        const record = { t: 'session', token, expiresAt, username, loggedInAt: Date.now() } as const;
        await records.write(keysOf(id), record, expiresAt - Date.now());
      },
      async otherTab(page, value) {
        const keys = keysOf(await cookieOf(page.url()));
        const session = value === null ? undefined : (JSON.parse(value) as Record<string, unknown>);
        await records.write(
          keys,
          session
            ? ({ t: 'session', ...session, loggedInAt: Date.now() } as Parameters<typeof records.write>[1])
            : { t: 'ended' },
          60_000,
        );
        await records.announce('another-tab', keys.hash);
      },
      advance: async (ms) => clock.fastForward(ms),
    };
    const storageFound: string[] = [];
    const checkStorage = async (page: Page, when: string) => {
      const held = await page.evaluate(pageStorage);
      for (const [where, text] of Object.entries(held)) {
        for (const name of secretsIn(String(text))) storageFound.push(`${name} in ${where}, ${when}`);
      }
      if (held.indexedDB.length)
        storageFound.push(`IndexedDB databases ${held.indexedDB.join(', ')}, ${when}`);
      // The backend's cookie is HttpOnly: script never reads it.
      if (held.cookie.includes('etna-auth'))
        storageFound.push(`the backend's cookie in document.cookie, ${when}`);
    };
    const kitDriver = demoKitDriver(demo.url);
    const driver: BrowserModelDriver<Page> = {
      ...kitDriver,
      async submit(page, event) {
        await checkStorage(page, `before ${event.type}`);
        await kitDriver.submit(page, event);
      },
      async callApi(page) {
        await checkStorage(page, 'before an API call');
        await kitDriver.callApi(page);
        await checkStorage(page, 'after an API call');
      },
    };
    try {
      const report = await runModelPathsInBrowser(driver, { context, backend, throwOnFailure: false });
      const reasons = [...new Set(report.skipped.map((skip) => skip.reason))];
      console.log(
        `demo page in the backend mode, through the kit:\n${report.summary}\nskipped ${report.skipped.length}: ${reasons.join('; ')}`,
      );
      expect(report.failed.map((f) => `${f.description}, step ${f.step}: ${f.message}`)).toEqual([]);
      expect(report.passed).toHaveLength(getEtnaAuthPaths().length - report.skipped.length);
      // Only the paths of a storage read later: the backend reads its store before the page asks (the Node flavour
      // runs them), and what only they cover is all that is left uncovered.
      const restoring = getEtnaAuthPaths().filter((path) => path.start === 'restoring');
      expect(report.skipped.map((skip) => skip.description)).toEqual(
        restoring.map((path) => path.description),
      );
      console.log(notCoveredLine(expectOnlyRestoringMissing(report.coverage, restoring)));
      // The page saw the logins: the tap heard the backend's views (and would hear a token in them).
      const heard = [...tap.received.values()].join('\n');
      expect(heard).toContain('"succeeded"');
      const leaks = [...tap.received].flatMap(([key, text]) =>
        secretsIn(text).map((name) => `${name} in ${key}`),
      );
      expect(leaks).toEqual([]);
      expect(storageFound).toEqual([]);
    } finally {
      await context.close();
    }
  }, 600_000);
});
