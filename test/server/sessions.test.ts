// Sessions behind the backend: the tabs of a browser share one login (the warning and a login again in place
// reach every tab), the idle and absolute timeouts end a session here and at ETNA, and the logout route clears
// the cookie. Real backend, real fake ETNA server, the adapter over loopback.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { Secret } from '../../src/index.js';
import {
  createEtnaRemoteActor,
  createEtnaRemoteClient,
  type EtnaRemoteActor,
} from '../../src/remote/index.js';
import { type EtnaBffStore, memorySessionStore } from '../../src/server/index.js';
import { BrowserRecords, keysOf } from '../../src/server/session-records.js';
import { type FakeEtnaServer, startFakeEtnaServer } from '../../src/testing/index.js';
import { startBackend, type TestBackend } from './backend.js';
import { type TestBrowser, testBrowser } from './browser-fetch.js';
import { untilSnapshot } from './waits.js';

let etna: FakeEtnaServer;
let backend: TestBackend;
let store: EtnaBffStore;
let browser: TestBrowser;
const actors: EtnaRemoteActor[] = [];

beforeEach(async () => {
  etna = await startFakeEtnaServer();
  store = memorySessionStore();
  browser = testBrowser();
});
afterEach(async () => {
  for (const actor of actors.splice(0)) actor.stop();
  await backend.close();
  await store.close();
  await etna.close();
});

function tab(): EtnaRemoteActor {
  const actor = createEtnaRemoteActor({ url: backend.url, fetch: browser.fetch }).start();
  actors.push(actor);
  return actor;
}

async function logIn(actor: EtnaRemoteActor, username = 'alice') {
  await actor.ready;
  actor.send({ type: 'SUBMIT_CREDENTIALS', username, password: new Secret(`${username}-password`) });
  return untilSnapshot(actor, (snapshot) => snapshot.matches('succeeded'));
}

/** The session token the backend holds, as ETNA sees it on an API call through the proxy. */
async function sessionToken(actor: EtnaRemoteActor): Promise<string> {
  await createEtnaRemoteClient(actor).get('v1.0/users/@me/info');
  return etna.requests.at(-1)?.header('authorization')?.slice(7) as string;
}

/** Resolves once ETNA has been told of a logout. */
async function loggedOutAtEtna(): Promise<void> {
  for (let turn = 0; turn < 200 && !etna.requests.some((r) => r.path === '/api/logout'); turn++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(etna.requests.some((request) => request.path === '/api/logout')).toBe(true);
}

describe('the tabs of one browser', () => {
  it('share one login: a login, the warning, a login again in place and a logout reach every tab', async () => {
    const clock = new SimulatedClock();
    backend = await startBackend(etna, {
      store,
      clock,
      etna: { baseUrl: etna.url, appKey: etna.appKey, sessionLifetime: 3_600_000, sessionWarning: 60_000 },
    });
    const first = tab();
    const second = tab();
    await Promise.all([first.ready, second.ready]);
    first.send({ type: 'SUBMIT_CREDENTIALS', username: 'bob', password: 'bob-password' });
    await untilSnapshot(first, (s) => s.matches({ expecting: 'securityPin' }));
    await untilSnapshot(second, (s) => s.matches({ expecting: 'securityPin' }));
    second.send({ type: 'SUBMIT_PIN', pin: '1234' });
    await untilSnapshot(first, (s) => s.matches('succeeded') && s.context.username === 'bob');
    const ending = untilSnapshot(first, (s) => s.hasTag('endingSoon'));
    clock.increment(3_600_000 - 60_000 + 10);
    await ending;
    await untilSnapshot(second, (s) => s.matches({ succeeded: { endingSoon: 'warning' } }));
    const end = second.getSnapshot().context.sessionExpiresAt;
    second.send({ type: 'SUBMIT_CREDENTIALS', username: 'bob', password: 'bob-password' });
    await untilSnapshot(first, (s) => s.matches({ succeeded: { endingSoon: 'securityPin' } }));
    first.send({ type: 'SUBMIT_PIN', pin: '1234' });
    const renewed = await untilSnapshot(second, (s) => s.matches({ succeeded: 'active' }));
    expect(renewed.context.sessionExpiresAt).toBeGreaterThan(end ?? 0);
    first.send({ type: 'LOGOUT' });
    await untilSnapshot(second, (s) => s.matches('idle') && s.context.reason === 'loggedOut');
  });
});

describe('timeouts', () => {
  it('the idle timeout ends a session nobody used, here and at ETNA', async () => {
    backend = await startBackend(etna, { store, idleTimeout: 300 });
    const actor = tab();
    await logIn(actor);
    const token = await sessionToken(actor);
    const id = browser.cookies.get('__Host-etna-auth') as string;
    const records = new BrowserRecords(store);
    // The store lets the record go once the idle time passed without a request.
    for (let turn = 0; turn < 200 && (await records.read(keysOf(id))) !== undefined; turn++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await records.read(keysOf(id))).toBeUndefined();
    const call = await createEtnaRemoteClient(actor, { throwHttpErrors: false }).get('v1.0/users/@me/info');
    expect(call.status).toBe(401);
    const after = await untilSnapshot(actor, (s) => s.matches('idle'));
    expect(after.context.reason).toBe('expired');
    await loggedOutAtEtna();
    expect(etna.isSessionActive(token)).toBe(false);
  });

  it('the absolute timeout ends the session at its end, even in use, with its warning before', async () => {
    const clock = new SimulatedClock();
    backend = await startBackend(etna, {
      store,
      clock,
      absoluteTimeout: 120_000,
      etna: { baseUrl: etna.url, appKey: etna.appKey, sessionWarning: 60_000 },
    });
    const actor = tab();
    const loggedIn = await logIn(actor);
    expect(loggedIn.context.sessionExpiresAt ?? 0).toBeLessThanOrEqual(Date.now() + 120_000);
    expect(loggedIn.context.settings.sessionLifetime).toBe(120_000);
    clock.increment(61_000);
    await untilSnapshot(actor, (s) => s.hasTag('endingSoon'));
    clock.increment(60_000);
    const ended = await untilSnapshot(actor, (s) => s.matches('idle'));
    expect(ended.context.reason).toBe('expired');
    await loggedOutAtEtna();
  });
});

describe('the logout route', () => {
  it('ends the session at ETNA and here, and clears the cookie', async () => {
    backend = await startBackend(etna, { store });
    const actor = tab();
    await logIn(actor);
    const response = await browser.fetch(`${backend.url}logout`, {
      method: 'POST',
      headers: { 'x-etna-auth-csrf': '1' },
    });
    const view = (await response.json()) as { value: unknown; context: { reason?: string } };
    expect([response.status, view.value, view.context.reason]).toEqual([200, 'idle', 'loggedOut']);
    expect(browser.setCookies.at(-1)).toMatch(/^__Host-etna-auth=; .*Max-Age=0/);
    expect(browser.cookies.has('__Host-etna-auth')).toBe(false);
    expect(etna.requests.at(-1)?.path).toBe('/api/logout');
  });
});
