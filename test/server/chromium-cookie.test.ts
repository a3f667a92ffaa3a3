// In Chromium: a page served beside the handler logs in through the adapter (bundled as a page would bundle it);
// the cookie's attributes are read from Chromium's own cookie jar, script cannot read it, and a page of another
// origin trying each state-changing request is refused.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtnaBff, type EtnaBff } from '../../src/server/index.js';
import { type FakeEtnaServer, startFakeEtnaServer } from '../../src/testing/index.js';
import { type LaunchedChromium, launchChromium } from '../browser/chromium.js';

let etna: FakeEtnaServer;
let bff: EtnaBff;
let app: Server;
let evil: Server;
let chromium: LaunchedChromium;
let appOrigin: string;
let evilOrigin: string;
const refusals: string[] = [];

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

beforeAll(async () => {
  etna = await startFakeEtnaServer();
  const bundled = await build({
    entryPoints: [fileURLToPath(new URL('../../src/remote/index.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
  });
  const adapter = bundled.outputFiles[0]?.text ?? '';
  app = createServer();
  const port = await listen(app);
  // The page's origin: localhost, which Chromium treats as a secure context (see below for its cookies).
  appOrigin = `http://localhost:${port}`;
  bff = createEtnaBff({
    etna: { baseUrl: etna.url, appKey: etna.appKey },
    allowedOrigins: [appOrigin],
    log: (entry) => {
      if (entry.kind) refusals.push(`${entry.route} ${entry.kind}`);
    },
  });
  app.on('request', (req, res) => {
    if (req.url === '/remote.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(adapter);
    } else if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(
        `<!doctype html><title>app</title><script type="module">
          import { createEtnaRemoteActor } from '/remote.js';
          window.actor = createEtnaRemoteActor().start();
        </script>`,
      );
    } else bff.handler(req, res);
  });
  evil = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title>');
  });
  evilOrigin = `http://127.0.0.1:${await listen(evil)}`;
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  for (const server of [app, evil]) {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  }
  await bff?.close();
  await etna?.close();
});

describe('in Chromium', () => {
  it('keeps the cookie __Host-, HttpOnly, Secure, SameSite=Strict, Path=/, host-only; script cannot read it', async () => {
    const page = await chromium.context.newPage();
    await page.goto(`${appOrigin}/`);
    await page.waitForFunction(() => (window as unknown as { actor?: unknown }).actor !== undefined);
    await page.evaluate(() => {
      const { actor } = window as unknown as { actor: { send(event: object): void } };
      actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
    });
    await page.waitForFunction(() =>
      (window as unknown as { actor: { getSnapshot(): { matches(v: string): boolean } } }).actor
        .getSnapshot()
        .matches('succeeded'),
    );
    const cookies = await chromium.context.cookies(appOrigin);
    expect(cookies).toHaveLength(1);
    const [cookie] = cookies;
    console.log(`Chromium's cookie jar: ${JSON.stringify({ ...cookie, value: '(43 characters)' })}`);
    expect(cookie).toMatchObject({
      name: '__Host-etna-auth',
      domain: 'localhost',
      path: '/',
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      expires: -1,
    });
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await page.close();
  }, 30_000);

  it('refuses every state-changing request a page of another origin tries, and the session stays', async () => {
    const page = await chromium.context.newPage();
    await page.goto(`${evilOrigin}/`);
    const target = `${appOrigin}/etna-auth/`;
    const outcomes = await page.evaluate(async (base) => {
      const attempt = async (path: string, init: RequestInit) => {
        try {
          const response = await fetch(`${base}${path}`, { credentials: 'include', ...init });
          return `${response.type} ${response.status}`;
        } catch {
          return 'blocked';
        }
      };
      const event = JSON.stringify({ type: 'LOGOUT' });
      return [
        // With the custom header: the preflight is never granted, so the request is never sent.
        await attempt('login/events', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-etna-auth-csrf': '1' },
          body: event,
        }),
        await attempt('api/v1.0/users/@me/info', { headers: { 'x-etna-auth-csrf': '1' } }),
        // Without it (a "simple" request): sent, and refused by the handler.
        await attempt('login/events', { method: 'POST', mode: 'no-cors', body: event }),
        await attempt('logout', { method: 'POST', mode: 'no-cors' }),
      ];
    }, target);
    expect(outcomes).toEqual(['blocked', 'blocked', 'opaque 0', 'opaque 0']);
    expect(refusals).toEqual(expect.arrayContaining(['login/events csrf', 'logout csrf']));
    // A form posted from there: refused too.
    await page.setContent(`<form method="post" action="${target}logout"><button>go</button></form>`);
    await Promise.all([page.waitForURL(`${target}logout`), page.click('button')]);
    expect(await page.textContent('body')).toContain('csrf');
    const own = await chromium.context.newPage();
    await own.goto(`${appOrigin}/`);
    await own.waitForFunction(() =>
      (window as unknown as { actor?: { getSnapshot(): { matches(v: string): boolean } } }).actor
        ?.getSnapshot()
        .matches('succeeded'),
    );
    await Promise.all([page.close(), own.close()]);
  }, 30_000);
});
