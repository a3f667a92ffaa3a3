// Storages that answer later (React Native's AsyncStorage, IndexedDB wrappers, encrypted storages), against the
// fake ETNA server over loopback HTTP: the restoring phase at start sends nothing and offers nothing, then the
// restored or the empty state; writes that settle later or fail; tabs and the warning as with a storage that
// answers at once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Actor, createActor, SimulatedClock, waitFor } from 'xstate';
import {
  createEtnaAuthMachine,
  DEFAULT_PERSIST_KEY,
  type EtnaAsyncSessionStorage,
  type EtnaAuthEvent,
  type EtnaAuthMachine,
  type EtnaAuthOptions,
  memoryStorage,
  selectToken,
} from '../../src/index.js';
import {
  createAsyncStorage,
  createSharedMemoryStorage,
  type FakeEtnaServer,
  MODEL_USER_EVENTS,
  startFakeEtnaServer,
  stateValueName,
} from '../../src/testing/index.js';

const HOUR = 3_600_000;

let server: FakeEtnaServer;
const actors: Actor<EtnaAuthMachine>[] = [];

beforeEach(async () => {
  server = await startFakeEtnaServer();
});
afterEach(async () => {
  for (const actor of actors.splice(0)) actor.stop();
  await server.close();
});

function start(
  persist: EtnaAsyncSessionStorage,
  options: Partial<EtnaAuthOptions> = {},
  clock?: SimulatedClock,
) {
  const machine = createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey, persist, ...options });
  const actor = createActor(machine, clock ? { clock } : {});
  actors.push(actor);
  return actor.start();
}

const state = (actor: Actor<EtnaAuthMachine>) => stateValueName(actor.getSnapshot().value);
const restored = (actor: Actor<EtnaAuthMachine>) =>
  waitFor(actor, (snapshot) => !snapshot.hasTag('restoring'), { timeout: 5_000 });

/** A session logged in for real and stored, as a storage holds it: the token the fake server accepts. */
async function storedSession(): Promise<string> {
  const storage = memoryStorage();
  const machine = createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey, persist: storage });
  const actor = createActor(machine).start();
  actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
  await waitFor(actor, (snapshot) => snapshot.matches('succeeded'), { timeout: 5_000 });
  actor.stop();
  return storage.getItem(DEFAULT_PERSIST_KEY) as string;
}

describe('a storage that answers later', () => {
  it('restores a stored session: restoring first (nothing sent, nothing offered), then succeeded', async () => {
    const backing = memoryStorage();
    backing.setItem(DEFAULT_PERSIST_KEY, await storedSession());
    const sent = server.requests.length;
    const storage = createAsyncStorage(backing, { held: true });
    const actor = start(storage);

    const waiting = actor.getSnapshot();
    expect(state(actor)).toBe('restoring');
    expect(waiting.hasTag('restoring')).toBe(true);
    expect(waiting.hasTag('busy')).toBe(false);
    for (const event of MODEL_USER_EVENTS)
      expect(waiting.can(event as EtnaAuthEvent), event.type).toBe(false);
    // A user's event during the read is ignored: it sends nothing.
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'bob', password: 'bob-password' });
    expect(state(actor)).toBe('restoring');

    storage.release('answer');
    const snapshot = await restored(actor);
    expect(stateValueName(snapshot.value)).toBe('succeeded.active');
    expect(snapshot.context.username).toBe('alice');
    expect(server.isSessionActive(selectToken(snapshot) as string)).toBe(true);
    expect(server.requests.length, 'restoring sends nothing').toBe(sent);
  });

  it('with nothing stored, a slow storage ends in idle; one whose read fails too, with no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const slow = start(createAsyncStorage(memoryStorage(), { delayMs: 300 }));
      expect(state(slow)).toBe('restoring');
      expect(stateValueName((await restored(slow)).value)).toBe('idle');

      const failing = createAsyncStorage(memoryStorage(), { held: true });
      const actor = start(failing);
      failing.release('fail');
      const snapshot = await restored(actor);
      expect(stateValueName(snapshot.value)).toBe('idle');
      expect(snapshot.context.error).toBeUndefined();
      for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('an expired or tampered stored session is cleared, not restored', async () => {
    const backing = memoryStorage();
    backing.setItem(DEFAULT_PERSIST_KEY, JSON.stringify({ token: 'old+token=', expiresAt: Date.now() - 1 }));
    const actor = start(createAsyncStorage(backing));
    expect(stateValueName((await restored(actor)).value)).toBe('idle');
    await vi.waitFor(() => expect(backing.getItem(DEFAULT_PERSIST_KEY)).toBeNull(), { timeout: 5_000 });
  });

  it('stores a login, and clears it on logout, as its writes settle later', async () => {
    const backing = memoryStorage();
    const actor = start(createAsyncStorage(backing, { delayMs: 50 }));
    await restored(actor);
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
    const loggedIn = await waitFor(actor, (snapshot) => snapshot.matches('succeeded'), { timeout: 5_000 });
    const token = selectToken(loggedIn) as string;
    await vi.waitFor(() => expect(backing.getItem(DEFAULT_PERSIST_KEY)).toContain(token), { timeout: 5_000 });
    actor.send({ type: 'LOGOUT' });
    await waitFor(actor, (snapshot) => snapshot.matches('idle'), { timeout: 5_000 });
    await vi.waitFor(() => expect(backing.getItem(DEFAULT_PERSIST_KEY)).toBeNull(), { timeout: 5_000 });
  });

  it('shares one session between tabs, as a storage that answers at once does', async () => {
    const tabs = createSharedMemoryStorage();
    const a = start(createAsyncStorage(tabs.openTab()));
    const b = start(createAsyncStorage(tabs.openTab()));
    await restored(a);
    await restored(b);
    a.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
    const token = selectToken(await waitFor(a, (s) => s.matches('succeeded'), { timeout: 5_000 }));
    const adopted = await waitFor(b, (s) => selectToken(s) === token, { timeout: 5_000 });
    expect(adopted.context.username).toBe('alice');
    a.send({ type: 'LOGOUT' });
    const ended = await waitFor(b, (s) => s.matches('idle'), { timeout: 5_000 });
    expect(ended.context.reason).toBe('endedElsewhere');
  });

  it("a logout is not undone by another tab's notice read before it and answered after it", async () => {
    const tabs = createSharedMemoryStorage();
    const own = tabs.openTab();
    const other = tabs.openTab();
    const storage = createAsyncStorage(own);
    const actor = start(storage, { serverLogout: false });
    await restored(actor);
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
    const token = selectToken(await waitFor(actor, (s) => s.matches('succeeded'), { timeout: 5_000 }));
    await vi.waitFor(() => expect(own.getItem(DEFAULT_PERSIST_KEY)).toContain(token), { timeout: 5_000 });
    // Another tab moves the session's end: this tab reads the storage to follow it, and the read waits.
    storage.hold();
    const session = JSON.parse(own.getItem(DEFAULT_PERSIST_KEY) as string);
    other.setItem(DEFAULT_PERSIST_KEY, JSON.stringify({ ...session, expiresAt: session.expiresAt + 1_000 }));
    await vi.waitFor(() => expect(storage.heldReads).toBe(1), { timeout: 5_000 });
    actor.send({ type: 'LOGOUT' });
    await waitFor(actor, (s) => s.matches('idle'), { timeout: 5_000 });
    // The read answers the session as it was before the logout: it is of no more use.
    storage.release('answer');
    await vi.waitFor(() => expect(own.getItem(DEFAULT_PERSIST_KEY)).toBeNull(), { timeout: 5_000 });
    expect(state(actor)).toBe('idle');
    expect(selectToken(actor.getSnapshot())).toBeUndefined();
  });

  it('warns before the end of a restored session, on the actor clock, as with a storage that answers at once', async () => {
    const backing = memoryStorage();
    backing.setItem(DEFAULT_PERSIST_KEY, await storedSession());
    const clock = new SimulatedClock();
    const actor = start(createAsyncStorage(backing), { sessionWarning: 60_000 }, clock);
    const snapshot = await restored(actor);
    expect(stateValueName(snapshot.value)).toBe('succeeded.active');
    const left = (snapshot.context.sessionExpiresAt ?? 0) - Date.now();
    expect(left).toBeGreaterThan(HOUR);
    clock.increment(left - 60_000 + 1_000);
    expect(state(actor)).toBe('succeeded.endingSoon.warning');
  });
});
