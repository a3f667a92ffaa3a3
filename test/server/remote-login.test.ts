// The browser adapter against the backend over loopback: the screens' interface (value, matches, hasTag, can,
// context, subscribe, send) follows a login that runs on the server, and an API call goes through its proxy.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Secret } from '../../src/index.js';
import {
  createEtnaRemoteActor,
  createEtnaRemoteClient,
  type EtnaRemoteActor,
} from '../../src/remote/index.js';
import { type FakeEtnaServer, startFakeEtnaServer } from '../../src/testing/index.js';
import { startBackend, type TestBackend } from './backend.js';
import { type TestBrowser, testBrowser } from './browser-fetch.js';
import { untilSnapshot } from './waits.js';

let etna: FakeEtnaServer;
let backend: TestBackend;
let browser: TestBrowser;
const actors: EtnaRemoteActor[] = [];

beforeEach(async () => {
  etna = await startFakeEtnaServer();
  backend = await startBackend(etna);
  browser = testBrowser();
});
afterEach(async () => {
  for (const actor of actors.splice(0)) actor.stop();
  await backend.close();
  await etna.close();
});

function remoteActor(): EtnaRemoteActor {
  const actor = createEtnaRemoteActor({ url: backend.url, fetch: browser.fetch }).start();
  actors.push(actor);
  return actor;
}

describe('a login that runs on the backend, seen through the adapter', () => {
  it('starts connecting, then shows the form with what it offers', async () => {
    const actor = remoteActor();
    await actor.ready;
    const snapshot = await untilSnapshot(actor, (s) => !s.hasTag('connecting'));
    expect(snapshot.value).toBe('idle');
    expect(snapshot.status).toBe('active');
    expect(snapshot.can({ type: 'SUBMIT_CREDENTIALS' })).toBe(true);
    expect(snapshot.can({ type: 'LOGOUT' })).toBe(false);
    expect(snapshot.context.settings).not.toHaveProperty('appKey');
  });

  it('logs bob in through the PIN step, calls the API through the proxy, and logs out', async () => {
    const actor = remoteActor();
    await actor.ready;
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'bob', password: new Secret('bob-password') });
    const pin = await untilSnapshot(actor, (s) => s.matches({ expecting: 'securityPin' }));
    expect(pin.matches('expecting.securityPin')).toBe(true);
    expect(pin.context.personalPhrase).toBe('Blue heron at dawn');
    expect(pin.can({ type: 'SUBMIT_PIN' })).toBe(true);
    actor.send({ type: 'SUBMIT_PIN', pin: '1234' });
    const loggedIn = await untilSnapshot(actor, (s) => s.matches('succeeded'));
    expect(loggedIn.context.username).toBe('bob');
    expect(loggedIn.context.sessionExpiresAt).toBeGreaterThan(Date.now());

    const api = createEtnaRemoteClient(actor);
    expect(await api.get('v1.0/users/@me/info').json()).toEqual({ Id: 2, Login: 'bob' });
    const call = etna.requests.at(-1);
    expect(call?.header('authorization')).toMatch(/^Bearer /);
    expect(call?.header('et-app-key')).toBe(etna.appKey);

    actor.send({ type: 'LOGOUT' });
    const out = await untilSnapshot(actor, (s) => s.matches('idle'));
    expect(out.context.reason).toBe('loggedOut');
    expect(etna.requests.at(-1)?.path).toBe('/api/logout');
    // The page never saw a token, an interim token or the app key.
    const page = browser.seen.join('\n');
    expect(page).not.toContain(call?.header('authorization')?.slice(7));
    expect(page).not.toContain(etna.appKey);
    expect(page).not.toContain('bob-password');
  });

  it('hands an inspector every event and snapshot of the server-side actors, redacted', async () => {
    await backend.close();
    const inspected: string[] = [];
    backend = await startBackend(etna, { inspect: (event) => inspected.push(JSON.stringify(event)) });
    const actor = remoteActor();
    await actor.ready;
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'bob', password: 'bob-password' });
    await untilSnapshot(actor, (s) => s.matches({ expecting: 'securityPin' }));
    actor.send({ type: 'SUBMIT_PIN', pin: '1234' });
    await untilSnapshot(actor, (s) => s.matches('succeeded'));
    const token = await createEtnaRemoteClient(actor)
      .get('v1.0/users/@me/info')
      .then(() => etna.requests.at(-1)?.header('authorization')?.slice(7) as string);
    const seen = inspected.join('\n');
    expect(seen).toContain('SUBMIT_PIN');
    for (const secret of ['bob-password', '"1234"', token, etna.appKey]) expect(seen).not.toContain(secret);
  });
});
