// The storage adapters outside a browser: the browser storages find the global storage of their name, and
// throw where there is none, which persist survives (a login against the fake server).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import {
  browserLocalStorage,
  browserSessionStorage,
  createEtnaAuthMachine,
  memoryStorage,
} from '../../../src/index.js';
import { type FakeEtnaServer, startFakeEtnaServer } from '../../../src/testing/index.js';

let server: FakeEtnaServer;
beforeEach(async () => {
  server = await startFakeEtnaServer();
});
afterEach(async () => {
  await server.close();
});

describe('the browser storages, outside a browser', () => {
  const globals = globalThis as { sessionStorage?: unknown; localStorage?: unknown };
  afterEach(() => {
    delete globals.sessionStorage;
    delete globals.localStorage;
  });

  it('use the global storage of their name, looked up at each call', () => {
    const tab = memoryStorage();
    const origin = memoryStorage();
    const session = browserSessionStorage();
    const local = browserLocalStorage();
    globals.sessionStorage = tab;
    globals.localStorage = origin;
    session.setItem('k', 'tab');
    local.setItem('k', 'origin');
    expect(tab.getItem('k')).toBe('tab');
    expect(origin.getItem('k')).toBe('origin');
    expect(session.getItem('k')).toBe('tab');
    local.removeItem('k');
    expect(origin.getItem('k')).toBeNull();
  });

  it('throw a clear error where there is none (a server render), which persist then survives', async () => {
    expect(() => browserSessionStorage().getItem('k')).toThrow('sessionStorage is not available here');
    expect(() => browserLocalStorage().setItem('k', 'v')).toThrow('localStorage is not available here');
    const machine = createEtnaAuthMachine({
      baseUrl: server.url,
      appKey: server.appKey,
      persist: browserLocalStorage(),
    });
    const actor = createActor(machine).start();
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
    expect((await waitFor(actor, (s) => !s.hasTag('busy'))).value).toEqual({ succeeded: 'active' });
    actor.stop();
  });
});
