// The storage adapters outside a browser: the browser storages find the global storage of their name, and
// throw where there is none, which persist survives (a login against the fake server).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor, waitFor } from 'xstate';
import {
  browserLocalStorage,
  browserSessionStorage,
  createEtnaAuthMachine,
  type EtnaSessionStorage,
  memoryStorage,
  SESSION_CHANNEL,
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

describe('browserLocalStorage between tabs (Node has the BroadcastChannel browsers have)', () => {
  const globals = globalThis as {
    localStorage?: unknown;
    BroadcastChannel?: unknown;
    addEventListener?: unknown;
    removeEventListener?: unknown;
  };
  const originalChannel = globals.BroadcastChannel;
  afterEach(() => {
    delete globals.localStorage;
    globals.BroadcastChannel = originalChannel;
    delete globals.addEventListener;
    delete globals.removeEventListener;
  });

  it('tells the other tabs that the key changed, with the key only: never the value', async () => {
    globals.localStorage = memoryStorage();
    const writer = browserLocalStorage();
    const reader = browserLocalStorage();
    const heard: unknown[] = [];
    const spy = new BroadcastChannel(SESSION_CHANNEL);
    spy.onmessage = ({ data }) => heard.push(data);
    let changes = 0;
    const stop = reader.subscribe?.('etna-auth.session', () => {
      changes += 1;
    });
    const otherKey = reader.subscribe?.('another.key', () => {
      throw new Error('a change of another key was announced to it');
    });
    writer.setItem('etna-auth.session', '{"token":"canary+session/token=","expiresAt":1}');
    await vi.waitFor(() => expect(changes).toBe(1));
    writer.removeItem('etna-auth.session');
    await vi.waitFor(() => expect(heard).toHaveLength(2));
    await vi.waitFor(() => expect(changes).toBe(2));
    expect(heard).toEqual([{ key: 'etna-auth.session' }, { key: 'etna-auth.session' }]);
    expect(JSON.stringify(heard)).not.toContain('canary');
    stop?.();
    otherKey?.();
    writer.setItem('etna-auth.session', 'x');
    await vi.waitFor(() => expect(heard).toHaveLength(3));
    expect(changes, 'stopped').toBe(2);
    spy.close();
  });

  it('listens to the storage event where BroadcastChannel is missing', () => {
    globals.localStorage = memoryStorage();
    globals.BroadcastChannel = undefined;
    const target = new EventTarget();
    globals.addEventListener = target.addEventListener.bind(target);
    globals.removeEventListener = target.removeEventListener.bind(target);
    const storage = browserLocalStorage();
    let changes = 0;
    const stop = storage.subscribe?.('etna-auth.session', () => {
      changes += 1;
    });
    const storageEvent = (key: string | null) => Object.assign(new Event('storage'), { key });
    // What another tab does: it writes the origin's storage, and this tab hears of it.
    const local = globals.localStorage as EtnaSessionStorage;
    local.setItem('etna-auth.session', 'another tab');
    target.dispatchEvent(storageEvent('etna-auth.session'));
    local.setItem('something.else', 'x');
    target.dispatchEvent(storageEvent('something.else'));
    // `key` null: the whole storage was cleared.
    local.removeItem('etna-auth.session');
    target.dispatchEvent(storageEvent(null));
    expect(changes).toBe(2);
    stop?.();
    local.setItem('etna-auth.session', 'again');
    target.dispatchEvent(storageEvent('etna-auth.session'));
    expect(changes).toBe(2);
    // And writing still works without a channel.
    storage.setItem('etna-auth.session', 'v');
    expect(storage.getItem('etna-auth.session')).toBe('v');
  });

  it('hears one write once, though the channel and the storage event both tell of it', async () => {
    globals.localStorage = memoryStorage();
    const target = new EventTarget();
    globals.addEventListener = target.addEventListener.bind(target);
    globals.removeEventListener = target.removeEventListener.bind(target);
    const otherTab = browserLocalStorage();
    const heard: (string | null)[] = [];
    const thisTab = browserLocalStorage();
    const stop = thisTab.subscribe?.('etna-auth.session', () =>
      heard.push(thisTab.getItem('etna-auth.session')),
    );
    const storageEvent = () => Object.assign(new Event('storage'), { key: 'etna-auth.session' });
    otherTab.setItem('etna-auth.session', 'other user');
    target.dispatchEvent(storageEvent());
    await vi.waitFor(() => expect(heard).toEqual(['other user']));
    // This tab's own write is no news to it; another tab's removal is.
    thisTab.setItem('etna-auth.session', 'this tab');
    otherTab.removeItem('etna-auth.session');
    target.dispatchEvent(storageEvent());
    await vi.waitFor(() => expect(heard).toEqual(['other user', null]));
    // Nothing more comes of those writes: a later one, told the same ways, is the next thing heard.
    otherTab.setItem('etna-auth.session', 'later');
    target.dispatchEvent(storageEvent());
    await vi.waitFor(() => expect(heard.at(-1)).toBe('later'));
    expect(heard).toEqual(['other user', null, 'later']);
    stop?.();
  });

  it('the other storages have no subscribe: their tabs stay apart', () => {
    expect(memoryStorage().subscribe).toBeUndefined();
    expect(browserSessionStorage().subscribe).toBeUndefined();
  });
});
