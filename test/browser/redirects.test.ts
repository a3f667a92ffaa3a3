// Redirects in a real browser, where fetch hides a redirect's target (an `opaqueredirect` response): the
// login's POST /token is never followed anywhere, and the API client follows nothing, so neither the
// credentials nor the session token reach a `Location` the server names. What arrives is recorded on the wire,
// by servers, not by the browser's own account (Chromium reports the request it did not send after a manual
// redirect, aborted): the page is served through a recording proxy in front of the demo server, so a followed
// redirect to any path of the page's origin is seen, and a second loopback server on another port, another
// origin, records whatever reaches it. Were a redirect followed, as fetch does by default, the proxy would
// see a second request, or the other server a preflight and then the headers.
import {
  createServer,
  request as forwardRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from '../../scripts/serve-demo.js';
import { describeError } from '../../src/messages/index.js';
import { assertChromiumInstalled, type LaunchedChromium, launchChromium } from './chromium.js';
import { type DemoPage, ERROR_TITLES, openDemo, screenNow, storedSession } from './demo-page.js';

assertChromiumInstalled();

interface RecordingServer {
  /** e.g. `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** Every request that reached it, preflights included, as `METHOD /path?query`. */
  readonly arrivals: string[];
  close(): Promise<void>;
}

/**
 * A loopback server that records every request. With `forwardTo`, it passes each one on to that origin and
 * its answer back, as a proxy in front of it; without, it lets any request through CORS (a preflight is
 * answered yes to whatever it asks), so that a followed redirect would bring it the headers themselves.
 */
async function startRecordingServer(forwardTo?: string): Promise<RecordingServer> {
  const arrivals: string[] = [];
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', req.headers['access-control-request-method'] ?? 'GET');
      res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '*');
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"Login":"someone else","Id":666}');
  };
  const forward = (target: URL, req: IncomingMessage, res: ServerResponse) => {
    const headers: OutgoingHttpHeaders = { ...req.headers, host: target.host };
    const onward = forwardRequest(
      new URL(req.url ?? '/', target),
      { method: req.method, headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    onward.once('error', () => res.destroy());
    res.once('close', () => {
      if (!res.writableFinished) onward.destroy();
    });
    req.pipe(onward);
  };
  const server = createServer((req, res) => {
    arrivals.push(`${req.method} ${req.url}`);
    if (forwardTo === undefined) answer(req, res);
    else forward(new URL(forwardTo), req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    arrivals,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
}

/** A redirect the fake server answers with, to `location`. */
const redirect = (status: number, location: string) =>
  ({ kind: 'respond', status, body: '', headers: { location } }) as const;

const API_ROUTE = 'v1.0/users/@me/info';

describe('redirects in Chromium: nothing is sent where a redirect points', () => {
  let demo: DemoServer;
  /** The page's origin: a recording proxy in front of the demo server. */
  let front: RecordingServer;
  /** Another origin, which no request may reach. */
  let other: RecordingServer;
  let chromium: LaunchedChromium;
  let tab: DemoPage;
  let page: Page;

  beforeAll(async () => {
    [demo, other, chromium] = await Promise.all([
      startDemoServer(),
      startRecordingServer(),
      launchChromium(),
    ]);
    front = await startRecordingServer(demo.url);
    tab = await openDemo(chromium.context, front.url);
  }, 60_000);

  afterEach(() => demo?.etna.clearFaults());

  afterAll(async () => {
    await Promise.all([chromium?.close(), front?.close(), demo?.close(), other?.close()]);
  });

  /** A new visit of the page; the records start over once it has loaded. */
  async function open(): Promise<void> {
    await tab.restart();
    page = tab.page;
    front.arrivals.length = 0;
    other.arrivals.length = 0;
  }

  /** What the fake server answered since request number `sent`, as `METHOD /path → outcome`. */
  const answeredSince = (sent: number) =>
    demo.etna.requests.slice(sent).map((r) => `${r.method} ${r.path} → ${r.outcome}`);

  /** The page shows the error state for a redirect of /token, and was never logged in. */
  async function expectRedirectRefused(): Promise<void> {
    await page.getByRole('heading', { name: ERROR_TITLES.http }).waitFor();
    const screen = await screenNow(page);
    expect(screen).toMatchObject({
      heading: ERROR_TITLES.http,
      // Browsers hide a redirect's status: the error has status 0, which is not shown.
      error: describeError({ kind: 'http', status: 0 }),
      who: null,
      token: null,
      callApi: false,
    });
    expect(await page.locator('#error-panel').getAttribute('data-kind')).toBe('http');
    expect(await page.locator('#log').textContent()).not.toContain('→ succeeded');
    expect(await storedSession(page)).toBeNull();
  }

  it.each([301, 302, 303, 307, 308])(
    'does not follow a %i from /token to another origin: error kind http, the credentials stay home',
    async (status) => {
      await open();
      const sent = demo.etna.requests.length;
      demo.etna.inject(redirect(status, `${other.url}token`));
      await logIn(page, 'alice', 'alice-password');
      // fetch settles only once it has followed what it follows: by now any request would have been sent.
      await expectRedirectRefused();
      expect(answeredSince(sent)).toEqual([`POST /api/token → ${status}`]);
      expect(front.arrivals).toEqual(['POST /api/token']);
      expect(other.arrivals).toEqual([]);
    },
  );

  it.each([
    ['a path of the same origin outside /api/', '/elsewhere/token'],
    ['the same /token again', '/api/token'],
  ])('does not follow a 307 from /token to %s: nothing is requested there', async (_, location) => {
    await open();
    const sent = demo.etna.requests.length;
    // 307 keeps the method and every header: followed, it would send the Password again as it is.
    demo.etna.inject(redirect(307, location));
    await logIn(page, 'alice', 'alice-password');
    await expectRedirectRefused();
    expect(answeredSince(sent)).toEqual(['POST /api/token → 307']);
    expect(front.arrivals).toEqual(['POST /api/token']);
    expect(other.arrivals).toEqual([]);
  });

  it.each([
    ['a path of the same origin outside the API root', () => `/elsewhere/${API_ROUTE}`],
    ['another origin', () => `${other.url}api/${API_ROUTE}`],
    // Under the root too: the browser hides the Location, so the client cannot tell where it would go.
    ['the same route under the API root', () => `/api/${API_ROUTE}`],
  ])('"Call the API" refuses a 302 to %s and sends the session token nowhere', async (_, location) => {
    await open();
    await logIn(page, 'alice', 'alice-password');
    await page.getByRole('heading', { name: 'Logged in' }).waitFor();
    front.arrivals.length = 0;
    const sent = demo.etna.requests.length;
    demo.etna.injectApi(redirect(302, location()));
    await page.getByRole('button', { name: 'Call the API' }).click();
    const result = page.locator('#api-result');
    await result.filter({ hasText: 'redirect' }).waitFor();
    expect(await result.textContent()).toBe(
      'Not followed: the API answered with a redirect whose target is hidden here.',
    );
    expect(await result.getAttribute('class')).toContain('bad');

    // One request, with the session token, to the API route itself; nothing after it, anywhere.
    expect(answeredSince(sent)).toEqual([`GET /api/${API_ROUTE} → 302`]);
    const token =
      demo.etna.requests
        .at(-1)
        ?.header('authorization')
        ?.replace(/^Bearer /, '') ?? '';
    expect(demo.etna.sessionOwner(token)).toBe('alice');
    expect(front.arrivals).toEqual([`GET /api/${API_ROUTE}`]);
    expect(other.arrivals).toEqual([]);

    // A redirect says nothing about the session: it goes on, and the next call is answered.
    expect(demo.etna.isSessionActive(token)).toBe(true);
    expect((await screenNow(page)).heading).toBe('Logged in');
    await page.getByRole('button', { name: 'Call the API' }).click();
    await result.filter({ hasText: 'Login alice' }).waitFor();
  });
});
