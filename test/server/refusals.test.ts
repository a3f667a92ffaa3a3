// Bad input gets a clear status and loses nothing: each refusal below is answered with its kind, and the login
// (or session) it met is as it was. Real backend, real fake ETNA server, over loopback.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeEtnaServer, startFakeEtnaServer } from '../../src/testing/index.js';
import { startBackend, type TestBackend } from './backend.js';
import { PAGE_ORIGIN, type TestBrowser, testBrowser } from './browser-fetch.js';

let etna: FakeEtnaServer;
let backend: TestBackend;
let browser: TestBrowser;

beforeEach(async () => {
  etna = await startFakeEtnaServer();
  backend = await startBackend(etna);
  browser = testBrowser();
});
afterEach(async () => {
  await backend.close();
  await etna.close();
});

const CSRF = { 'x-etna-auth-csrf': '1', 'content-type': 'application/json' };

/** A refusal's or a view's body, as the tests read it. */
interface Answer {
  readonly error: { readonly kind: string; readonly message: string };
  readonly view: { readonly value: unknown };
  readonly value: unknown;
  readonly context: { readonly reason?: string };
}

async function post(path: string, body: unknown, headers: Record<string, string> = CSRF, using = browser) {
  const response = await using.fetch(`${backend.url}${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

async function view(using = browser) {
  return (await (await using.fetch(`${backend.url}login`)).json()) as Answer;
}

/** A request with its path exactly as written (fetch would resolve `..` before sending). */
function raw(method: string, path: string): Promise<number> {
  const url = new URL(backend.url);
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: `${url.pathname}${path}`,
        headers: {
          ...CSRF,
          origin: PAGE_ORIGIN,
          cookie: `__Host-etna-auth=${browser.cookies.get('__Host-etna-auth')}`,
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    sent.on('error', reject);
    sent.end();
  });
}

/** alice, logged in through the backend. */
async function loggedIn() {
  await view();
  const { status } = await post('login/events', {
    type: 'SUBMIT_CREDENTIALS',
    username: 'alice',
    password: 'alice-password',
  });
  expect(status).toBe(200);
  for (let turn = 0; turn < 100 && !('succeeded' in Object((await view()).value)); turn++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect((await view()).value).toEqual({ succeeded: 'active' });
}

describe('the session cookie', () => {
  it('is __Host-, HttpOnly, Secure, SameSite=Strict, Path=/, without Domain or Max-Age', async () => {
    await view();
    const [cookie] = browser.setCookies;
    expect(cookie).toMatch(/^__Host-etna-auth=[A-Za-z0-9_-]{43}; /);
    const attributes = (cookie ?? '').split('; ').slice(1).sort();
    expect(attributes).toEqual(['HttpOnly', 'Path=/', 'SameSite=Strict', 'Secure']);
  });

  it('changes after a login: the pre-login id no longer reaches the session', async () => {
    await view();
    const before = browser.cookies.get('__Host-etna-auth');
    await loggedIn();
    const after = browser.cookies.get('__Host-etna-auth');
    expect(after).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(after).not.toBe(before);
    const old = testBrowser();
    old.cookies.set('__Host-etna-auth', before as string);
    const response = await old.fetch(`${backend.url}api/v1.0/users/@me/info`, { headers: CSRF });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { kind: string } }).error.kind).toBe('sessionRenewed');
  });
});

describe('refusals, each with its status, and nothing lost', () => {
  it('no cookie, or a forged one: no session for the API, a fresh form, and the real session untouched', async () => {
    await loggedIn();
    const stranger = testBrowser();
    const none = await stranger.fetch(`${backend.url}api/v1.0/users/@me/info`, { headers: CSRF });
    expect(none.status).toBe(401);
    for (const forged of ['x'.repeat(43), 'not-an-id', `${browser.cookies.get('__Host-etna-auth')}x`]) {
      stranger.cookies.set('__Host-etna-auth', forged);
      const call = await stranger.fetch(`${backend.url}api/v1.0/users/@me/info`, { headers: CSRF });
      expect(call.status, forged).toBe(401);
      expect((await view(stranger)).value).toBe('idle');
    }
    expect((await view()).value).toEqual({ succeeded: 'active' });
    expect(etna.requests.filter((request) => request.path.includes('users'))).toHaveLength(0);
  });

  it('a missing or wrong CSRF header, a missing Origin, another Origin: 403 and nothing sent', async () => {
    const event = { type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' };
    const noHeader = await post('login/events', event, { 'content-type': 'application/json' });
    expect([noHeader.status, noHeader.body.error.kind]).toEqual([403, 'csrf']);
    const wrong = await post('login/events', event, { ...CSRF, 'x-etna-auth-csrf': '0' });
    expect([wrong.status, wrong.body.error.kind]).toEqual([403, 'csrf']);
    const elsewhere = testBrowser('https://evil.test');
    const other = await post('login/events', event, CSRF, elsewhere);
    expect([other.status, other.body.error.kind]).toEqual([403, 'origin']);
    const noOrigin = await fetch(`${backend.url}login/events`, {
      method: 'POST',
      headers: CSRF,
      body: JSON.stringify(event),
    });
    expect(noOrigin.status).toBe(403);
    const logout = await post('logout', {}, {}, elsewhere);
    expect(logout.status).toBe(403);
    expect(etna.requests).toHaveLength(0);
    expect((await view()).value).toBe('idle');
  });

  it('an unknown event, a machine-only event, a bad field, a body over the limit, not JSON: 400/413/415', async () => {
    await view();
    for (const body of [
      { type: 'HACK' },
      { type: 'SESSION_ADOPTED', token: 'x', expiresAt: 1 },
      { type: 'SUBMIT_CREDENTIALS', username: 'alice' },
      { type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 7 },
      { type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'p', extra: 1 },
      '[1,2]',
      '{not json',
    ]) {
      const answer = await post('login/events', body);
      expect([answer.status, answer.body.error.kind], JSON.stringify(body)).toEqual([400, 'badEvent']);
      expect(answer.body.error.message).not.toContain('alice-password');
    }
    const large = await post('login/events', { type: 'CANCEL', pad: 'x'.repeat(20_000) });
    expect([large.status, large.body.error.kind]).toEqual([413, 'tooLarge']);
    const text = await post('login/events', '{"type":"CANCEL"}', { ...CSRF, 'content-type': 'text/plain' });
    expect([text.status, text.body.error.kind]).toEqual([415, 'mediaType']);
    expect(etna.requests).toHaveLength(0);
  });

  it('an event the state does not take: 409 with the view it met, nothing sent', async () => {
    await view();
    const pin = await post('login/events', { type: 'SUBMIT_PIN', pin: '1234' });
    expect([pin.status, pin.body.error.kind, pin.body.view.value]).toEqual([409, 'notAccepted', 'idle']);
    await loggedIn();
    const again = await post('login/events', { type: 'SUBMIT_CREDENTIALS', username: 'a', password: 'b' });
    expect([again.status, again.body.view.value]).toEqual([409, { succeeded: 'active' }]);
    expect(etna.requests.filter((request) => request.path === '/api/token')).toHaveLength(1);
  });

  it('a path outside the allow-list, a traversal, an encoded slash, another method: 403, nothing forwarded', async () => {
    await loggedIn();
    const sent = etna.requests.length;
    for (const [method, path] of [
      ['GET', 'v1.0/users/@me/orders'],
      ['GET', 'v1.0/users/@me/info/../../token'],
      ['GET', 'v1.0/users%2f@me/info'],
      ['GET', 'v1.0//users/@me/info'],
      ['DELETE', 'v1.0/users/@me/info'],
      ['POST', 'v1.0/orders/12/../13'],
    ] as const) {
      expect(await raw(method, `api/${path}`), `${method} ${path}`).toBe(403);
    }
    expect(etna.requests.length).toBe(sent);
    const unknown = await browser.fetch(`${backend.url}nothing-here`);
    expect(unknown.status).toBe(404);
    const method = await browser.fetch(`${backend.url}login/events`);
    expect([method.status, method.headers.get('allow')]).toEqual([405, 'POST']);
  });

  it('a 3xx from ETNA is never followed: 502 naming the redirect, the token sent nowhere else', async () => {
    await loggedIn();
    const elsewhere: Server = createServer((_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/steal`;
    let reached = 0;
    elsewhere.on('request', () => reached++);
    etna.injectApi({ kind: 'respond', status: 302, body: '', headers: { location: target } });
    const response = await browser.fetch(`${backend.url}api/v1.0/users/@me/info`, { headers: CSRF });
    const body = (await response.json()) as { error: { kind: string; message: string } };
    expect([response.status, body.error.kind]).toEqual([502, 'redirect']);
    expect(body.error.message).toContain('302');
    expect(reached).toBe(0);
    elsewhere.close();
    expect((await view()).value).toEqual({ succeeded: 'active' });
  });

  it('ETNA slow or hanging: the deadline holds (504), and the session stays', async () => {
    await loggedIn();
    etna.injectApi({ kind: 'hang' });
    const started = performance.now();
    const response = await browser.fetch(`${backend.url}api/v1.0/users/@me/info`, { headers: CSRF });
    expect(response.status).toBe(504);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect((await view()).value).toEqual({ succeeded: 'active' });
  });

  it("ETNA's 401 ends the session: the next call has none", async () => {
    await loggedIn();
    etna.revokeSessions();
    const revoked = await browser.fetch(`${backend.url}api/v1.0/users/@me/info`, { headers: CSRF });
    expect(revoked.status).toBe(401);
    const after = await view();
    expect([after.value, after.context.reason]).toEqual(['idle', 'revoked']);
    const next = await browser.fetch(`${backend.url}api/v1.0/users/@me/info`, { headers: CSRF });
    expect(((await next.json()) as { error: { kind: string } }).error.kind).toBe('noSession');
  });

  it('a body over the API limit: 413, nothing forwarded', async () => {
    await backend.close();
    backend = await startBackend(etna, {
      api: { routes: [{ method: 'POST', path: /^v1\.0\/orders\/\d+$/ }], maxRequestBytes: 1_000 },
    });
    browser = testBrowser();
    await loggedIn();
    const sent = etna.requests.length;
    const response = await browser.fetch(`${backend.url}api/v1.0/orders/1`, {
      method: 'POST',
      headers: CSRF,
      body: 'x'.repeat(5_000),
    });
    expect(response.status).toBe(413);
    expect(etna.requests.length).toBe(sent);
  });
});
