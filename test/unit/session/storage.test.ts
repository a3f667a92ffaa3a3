// The storage adapters outside a browser: the browser storages find the global storage of their name, and
// throw where there is none, which persist survives (a login against the fake server).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor, waitFor } from 'xstate';
import {
  browserLocalStorage,
  browserSessionStorage,
  createEtnaAuthMachine,
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
    // Another tab's writes, as this one sees them: the value changed, then the event.
    const origin = globals.localStorage as ReturnType<typeof memoryStorage>;
    origin.setItem('etna-auth.session', 'first');
    target.dispatchEvent(storageEvent('etna-auth.session'));
    origin.setItem('something.else', 'x');
    target.dispatchEvent(storageEvent('something.else'));
    // `key` null: the whole storage was cleared.
    origin.removeItem('etna-auth.session');
    target.dispatchEvent(storageEvent(null));
    expect(changes).toBe(2);
    stop?.();
    origin.setItem('etna-auth.session', 'second');
    target.dispatchEvent(storageEvent('etna-auth.session'));
    expect(changes).toBe(2);
    // And writing still works without a channel.
    storage.setItem('etna-auth.session', 'v');
    expect(storage.getItem('etna-auth.session')).toBe('v');
  });

  it('tells of one write once, though it is heard twice (the channel, then the storage event)', async () => {
    globals.localStorage = memoryStorage();
    const target = new EventTarget();
    globals.addEventListener = target.addEventListener.bind(target);
    globals.removeEventListener = target.removeEventListener.bind(target);
    const writer = browserLocalStorage();
    const reader = browserLocalStorage();
    const values: (string | null)[] = [];
    const stop = reader.subscribe?.('etna-auth.session', () =>
      values.push(reader.getItem('etna-auth.session')),
    );
    const storageEvent = () => Object.assign(new Event('storage'), { key: 'etna-auth.session' });
    writer.setItem('etna-auth.session', 'bob');
    await vi.waitFor(() => expect(values).toEqual(['bob']));
    // The same write's storage event, in a browser: nothing new to tell.
    target.dispatchEvent(storageEvent());
    writer.removeItem('etna-auth.session');
    await vi.waitFor(() => expect(values).toEqual(['bob', null]));
    target.dispatchEvent(storageEvent());
    writer.setItem('etna-auth.session', 'bob');
    await vi.waitFor(() => expect(values).toEqual(['bob', null, 'bob']));
    target.dispatchEvent(storageEvent());
    expect(values).toEqual(['bob', null, 'bob']);
    stop?.();
  });

  it('the other storages have no subscribe: their tabs stay apart', () => {
    expect(memoryStorage().subscribe).toBeUndefined();
    expect(browserSessionStorage().subscribe).toBeUndefined();
  });
});
