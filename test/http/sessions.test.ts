// Sessions across tabs and time, against the fake ETNA server over loopback HTTP: tabs that share a storage
// (two actors on two views of one shared storage, as two tabs on one localStorage), the warning before the end
// and the re-login in place, sliding sessions, and the username kept with the session.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Actor, createActor, SimulatedClock, waitFor } from 'xstate';
import { createEtnaClient } from '../../src/client/index.js';
import {
  createEtnaAuthMachine,
  DEFAULT_PERSIST_KEY,
  type EtnaAuthMachine,
  type EtnaAuthOptions,
  type EtnaSessionStorage,
  memoryStorage,
  selectToken,
  withRedaction,
} from '../../src/index.js';
import {
  createSharedMemoryStorage,
  type FakeEtnaServer,
  startFakeEtnaServer,
  stateValueName,
} from '../../src/testing/index.js';

type AuthActor = Actor<EtnaAuthMachine>;

const HOUR = 3_600_000;
const WARNING = 60_000;

let server: FakeEtnaServer;
const actors: AuthActor[] = [];

beforeEach(async () => {
  server = await startFakeEtnaServer();
});
afterEach(async () => {
  for (const actor of actors.splice(0)) actor.stop();
  await server.close();
});

function start(persist: EtnaSessionStorage, options: Partial<EtnaAuthOptions> = {}, clock?: SimulatedClock) {
  const machine = createEtnaAuthMachine({
    baseUrl: server.url,
    appKey: server.appKey,
    timeout: 2_000,
    persist,
    ...options,
  });
  const actor = createActor(machine, clock ? { clock } : {});
  actors.push(actor);
  return actor.start();
}

const settle = (actor: AuthActor) => waitFor(actor, (s) => !s.hasTag('busy'), { timeout: 5_000 });
const state = (actor: AuthActor) => stateValueName(actor.getSnapshot().value);
const tokenRequests = () => server.requests.filter((request) => request.path === '/api/token').length;

async function logIn(actor: AuthActor, username = 'alice') {
  actor.send({ type: 'SUBMIT_CREDENTIALS', username, password: `${username}-password` });
  let snapshot = await settle(actor);
  if (snapshot.matches({ expecting: 'securityPin' })) {
    actor.send({ type: 'SUBMIT_PIN', pin: '1234' });
    snapshot = await settle(actor);
  }
  expect(stateValueName(snapshot.value)).toBe('succeeded.active');
  return selectToken(snapshot) as string;
}

describe('tabs that share a storage', () => {
  it('a login in one tab is adopted by the other without a request: same token, end and username', async () => {
    const tabs = createSharedMemoryStorage();
    const a = start(tabs.openTab());
    const b = start(tabs.openTab());
    const token = await logIn(a);
    const sent = server.requests.length;
    const adopted = await waitFor(b, (s) => s.matches('succeeded'));
    expect(server.requests.length, 'B sends nothing').toBe(sent);
    expect(selectToken(adopted)).toBe(token);
    expect(adopted.context.sessionExpiresAt).toBe(a.getSnapshot().context.sessionExpiresAt);
    expect(adopted.context.username).toBe('alice');
    // B can use it.
    expect(await createEtnaClient(b).get('v1.0/users/@me/info').json()).toMatchObject({ Login: 'alice' });
  });

  it('a logout in one tab ends the other with reason endedElsewhere; the server is told once', async () => {
    const tabs = createSharedMemoryStorage();
    const a = start(tabs.openTab());
    const b = start(tabs.openTab());
    await logIn(a);
    await waitFor(b, (s) => s.matches('succeeded'));
    b.send({ type: 'LOGOUT' });
    const ended = await waitFor(a, (s) => s.matches('idle'));
    expect(ended.context.reason).toBe('endedElsewhere');
    expect(selectToken(ended)).toBeUndefined();
    expect((await waitFor(b, (s) => s.matches('idle'))).context.reason).toBe('loggedOut');
    expect(server.requests.filter((request) => request.path === '/api/logout')).toHaveLength(1);
  });

  it('a revocation seen in one tab ends the other', async () => {
    const tabs = createSharedMemoryStorage();
    const a = start(tabs.openTab());
    const b = start(tabs.openTab());
    await logIn(a);
    await waitFor(b, (s) => s.matches('succeeded'));
    server.revokeSessions();
    await expect(createEtnaClient(b).get('v1.0/users/@me/info')).rejects.toThrow();
    expect(b.getSnapshot().context.reason).toBe('revoked');
    expect((await waitFor(a, (s) => s.matches('idle'))).context.reason).toBe('endedElsewhere');
  });

  it("one tab's expiry ends the other", async () => {
    const tabs = createSharedMemoryStorage();
    const clock = new SimulatedClock();
    const a = start(tabs.openTab(), { sessionLifetime: HOUR }, clock);
    const b = start(tabs.openTab(), { sessionLifetime: HOUR });
    await logIn(a);
    await waitFor(b, (s) => s.matches('succeeded'));
    clock.increment(HOUR);
    expect(a.getSnapshot().context.reason).toBe('expired');
    expect((await waitFor(b, (s) => s.matches('idle'))).context.reason).toBe('endedElsewhere');
  });

  it('a tab in the middle of its own login carries on, and adopts the stored session when it cancels', async () => {
    const tabs = createSharedMemoryStorage();
    const a = start(tabs.openTab());
    const b = start(tabs.openTab());
    b.send({ type: 'SUBMIT_CREDENTIALS', username: 'bob', password: 'bob-password' });
    expect(stateValueName((await settle(b)).value)).toBe('expecting.securityPin');
    const token = await logIn(a);
    // The notice arrives; B keeps its prompt.
    await new Promise((resolve) => setImmediate(resolve));
    expect(state(b)).toBe('expecting.securityPin');
    const sent = tokenRequests();
    b.send({ type: 'CANCEL' });
    expect(state(b)).toBe('succeeded.active');
    expect(selectToken(b.getSnapshot())).toBe(token);
    expect(tokenRequests()).toBe(sent);
  });

  it("a tab that ends its own session leaves another tab's newer one in the storage", async () => {
    for (const end of ['LOGOUT', 'SESSION_REVOKED'] as const) {
      const storage = memoryStorage();
      const actor = start(storage, { serverLogout: false });
      await logIn(actor);
      // Written over this tab's session by another tab, unannounced (a storage without subscribe).
      const newer = JSON.stringify({
        token: 'newer+session/token=',
        expiresAt: Date.now() + HOUR,
        username: 'alice',
      });
      storage.setItem(DEFAULT_PERSIST_KEY, newer);
      actor.send({ type: end });
      await waitFor(actor, (s) => s.matches('idle'));
      expect(storage.getItem(DEFAULT_PERSIST_KEY), end).toBe(newer);
    }
  });

  it('stay apart with a storage that is not shared (sessionStorage, memory): each tab its own session', async () => {
    const a = start(memoryStorage());
    const b = start(memoryStorage());
    await logIn(a);
    await new Promise((resolve) => setImmediate(resolve));
    expect(state(b)).toBe('idle');
  });
});

describe('the username kept with the session', () => {
  it('restores a session stored before the username was kept, and drops a username it cannot show', () => {
    const expiresAt = Date.now() + HOUR;
    for (const [value, username] of [
      [{ token: 'old+session/token=', expiresAt }, undefined],
      [{ token: 'old+session/token=', expiresAt, username: 'bob\nadmin' }, undefined],
      [{ token: 'old+session/token=', expiresAt, username: 42 }, undefined],
      [{ token: 'old+session/token=', expiresAt, username: 'bob' }, 'bob'],
    ] as const) {
      const storage = memoryStorage();
      storage.setItem(DEFAULT_PERSIST_KEY, JSON.stringify(value));
      const snapshot = start(storage).getSnapshot();
      expect(stateValueName(snapshot.value)).toBe('succeeded.active');
      expect(selectToken(snapshot)).toBe('old+session/token=');
      expect(snapshot.context.username).toBe(username);
    }
  });
});

describe('the warning before the end, and the re-login in place', () => {
  async function warned(username: string, storage: EtnaSessionStorage = memoryStorage()) {
    const clock = new SimulatedClock();
    const actor = start(storage, { sessionLifetime: HOUR, sessionWarning: WARNING }, clock);
    const token = await logIn(actor, username);
    clock.increment(HOUR - WARNING - 1_000);
    expect(state(actor), 'not early').toBe('succeeded.active');
    clock.increment(2_000);
    expect(state(actor)).toBe('succeeded.endingSoon.warning');
    expect(actor.getSnapshot().hasTag('endingSoon')).toBe(true);
    return { actor, clock, token };
  }

  it('logs in again through the PIN step: a new token and end, back to succeeded.active, and the other tab adopts it', async () => {
    const tabs = createSharedMemoryStorage();
    const other = start(tabs.openTab(), { sessionLifetime: HOUR, sessionWarning: WARNING });
    const { actor, token } = await warned('bob', tabs.openTab());
    const before = actor.getSnapshot().context.sessionExpiresAt ?? 0;
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'bob', password: 'bob-password' });
    expect(state(actor)).toBe('succeeded.endingSoon.authenticating');
    // The old session still works while the re-login runs.
    expect(selectToken(actor.getSnapshot())).toBe(token);
    expect(stateValueName((await settle(actor)).value)).toBe('succeeded.endingSoon.securityPin');
    actor.send({ type: 'SUBMIT_PIN', pin: '1234' });
    const renewed = await settle(actor);
    expect(stateValueName(renewed.value)).toBe('succeeded.active');
    const newToken = selectToken(renewed) as string;
    expect(newToken).not.toBe(token);
    expect(server.isSessionActive(newToken)).toBe(true);
    expect(renewed.context.sessionExpiresAt).toBeGreaterThanOrEqual(before);
    expect(renewed.context.failure).toBeUndefined();
    expect(renewed.context.request).toBeUndefined();
    const adopted = await waitFor(other, (s) => selectToken(s) === newToken);
    expect(adopted.context.sessionExpiresAt).toBe(renewed.context.sessionExpiresAt);
  });

  it('a failed re-login keeps the current session, usable, until it ends', async () => {
    const { actor, clock, token } = await warned('alice');
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'wrong-password' });
    const refused = await settle(actor);
    expect(stateValueName(refused.value)).toBe('succeeded.endingSoon.warning');
    expect(refused.context.failure).toMatchObject({ code: 'rejected' });
    expect(selectToken(refused)).toBe(token);
    expect(await createEtnaClient(actor).get('v1.0/users/@me/info').json()).toMatchObject({ Login: 'alice' });
    clock.increment(WARNING);
    expect(state(actor)).toBe('idle');
    expect(actor.getSnapshot().context.reason).toBe('expired');
  });

  it('a transport failure and a CANCEL keep it too; another user cannot log in in its place', async () => {
    const { actor, token } = await warned('alice');
    const sent = server.requests.length;
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'bob', password: 'bob-password' });
    expect(actor.getSnapshot().context.error).toMatchObject({ kind: 'input', field: 'username' });
    expect(server.requests.length).toBe(sent);
    server.inject({ kind: 'serverError' });
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'ALICE', password: 'alice-password' });
    const failed = await settle(actor);
    expect(stateValueName(failed.value)).toBe('succeeded.endingSoon.warning');
    expect(failed.context.error).toMatchObject({ kind: 'http', status: 500 });
    expect(selectToken(failed)).toBe(token);
    server.inject({ kind: 'hang' });
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
    await server.waitForRequests(sent + 2);
    actor.send({ type: 'CANCEL' });
    expect(state(actor)).toBe('succeeded.endingSoon.warning');
    expect((await server.waitForEnd(sent + 1)).aborted).toBe(true);
    expect(selectToken(actor.getSnapshot())).toBe(token);
    expect(actor.getSnapshot().context.request).toBeUndefined();
  });
});

describe('hardening: a tab never changes user, and the re-login honours a rate limit', () => {
  it("ends this tab's session (endedElsewhere) when another tab stores another user's, and adopts it only from idle", async () => {
    const tabs = createSharedMemoryStorage();
    const a = start(tabs.openTab());
    const aliceToken = await logIn(a, 'alice');
    // Bob's session, logged in elsewhere, written over alice's in one step (a logout and a login within one
    // tick of another tab, or a hostile script): this tab hears only the replacement.
    const bobToken = await logIn(start(memoryStorage()), 'bob');
    const seen: string[] = [];
    a.subscribe((snapshot) => seen.push(`${stateValueName(snapshot.value)} ${selectToken(snapshot)}`));
    const writer = tabs.openTab();
    const bobsSession = JSON.stringify({ token: bobToken, expiresAt: Date.now() + HOUR, username: 'bob' });
    writer.setItem(DEFAULT_PERSIST_KEY, bobsSession);
    const ended = await waitFor(a, (s) => !s.matches('succeeded'));
    expect(stateValueName(ended.value)).toBe('idle');
    expect(ended.context.reason).toBe('endedElsewhere');
    expect(ended.context.username).toBe('alice');
    expect(selectToken(ended)).toBeUndefined();
    // Alice's tab never held bob's token while logged in as alice, and did not take bob's session on the way.
    expect(seen.filter((line) => line.endsWith(bobToken))).toEqual([]);
    expect(writer.getItem(DEFAULT_PERSIST_KEY)).toBe(bobsSession);
    expect(server.isSessionActive(aliceToken)).toBe(true);
    // From idle, a later write of bob's session (his tab moving its end) is adopted: a new session, via idle.
    writer.setItem(
      DEFAULT_PERSIST_KEY,
      JSON.stringify({ token: bobToken, expiresAt: Date.now() + HOUR + 1, username: 'bob' }),
    );
    const adopted = await waitFor(a, (s) => selectToken(s) === bobToken);
    expect(adopted.context.username).toBe('bob');
  });

  it('holds the login again back during a 429 in the warning: can() false, nothing sent until Retry-After has passed', async () => {
    const clock = new SimulatedClock();
    const actor = start(memoryStorage(), { sessionLifetime: HOUR, sessionWarning: WARNING }, clock);
    const token = await logIn(actor, 'alice');
    clock.increment(HOUR - WARNING + 1_000);
    expect(state(actor)).toBe('succeeded.endingSoon.warning');
    server.inject({ kind: 'rateLimited', retryAfter: '30' });
    const credentials = {
      type: 'SUBMIT_CREDENTIALS',
      username: 'alice',
      password: 'alice-password',
    } as const;
    actor.send(credentials);
    const limited = await settle(actor);
    expect(stateValueName(limited.value)).toBe('succeeded.endingSoon.warning');
    expect(limited.context.error).toMatchObject({ kind: 'rateLimited', retryAfterMs: 30_000 });
    expect(limited.context.retryAvailableAt).toBeGreaterThan(Date.now() + 25_000);
    expect(limited.can(credentials)).toBe(false);
    const sent = tokenRequests();
    actor.send(credentials);
    expect(state(actor)).toBe('succeeded.endingSoon.warning');
    expect(tokenRequests()).toBe(sent);
    expect(selectToken(actor.getSnapshot())).toBe(token);
    // The machine's own timer offers it again once the wait is over.
    vi.setSystemTime(Date.now() + 31_000);
    clock.increment(31_000);
    expect(actor.getSnapshot().context.retryAvailableAt).toBeUndefined();
    expect(actor.getSnapshot().can(credentials)).toBe(true);
    vi.useRealTimers();
    actor.send(credentials);
    expect(state(actor)).toBe('succeeded.endingSoon.authenticating');
    expect(stateValueName((await settle(actor)).value)).toBe('succeeded.active');
    expect(tokenRequests()).toBe(sent + 1);
  });
});

describe('sliding sessions', () => {
  it('moves the end on with each successful API call, and stores it; a fixed session keeps its end', async () => {
    for (const slidingSession of [true, false]) {
      const storage = memoryStorage();
      const actor = start(storage, { sessionLifetime: HOUR, slidingSession });
      await logIn(actor);
      const first = actor.getSnapshot().context.sessionExpiresAt ?? 0;
      // The wall clock moves on by at least a millisecond.
      const after = Date.now();
      while (Date.now() <= after) await new Promise((resolve) => setImmediate(resolve));
      await createEtnaClient(actor).get('v1.0/users/@me/info').json();
      const end = actor.getSnapshot().context.sessionExpiresAt ?? 0;
      const stored = JSON.parse(storage.getItem(DEFAULT_PERSIST_KEY) ?? '{}') as { expiresAt?: number };
      if (slidingSession) expect(end).toBeGreaterThan(first);
      else expect(end).toBe(first);
      expect(stored.expiresAt).toBe(end);
      expect(state(actor)).toBe('succeeded.active');
    }
  });

  it('a failed API call does not move it', async () => {
    const actor = start(memoryStorage(), { sessionLifetime: HOUR, slidingSession: true });
    await logIn(actor);
    const first = actor.getSnapshot().context.sessionExpiresAt;
    server.injectApi({ kind: 'serverError' });
    await expect(createEtnaClient(actor, { retry: 0 }).get('v1.0/users/@me/info')).rejects.toThrow();
    expect(actor.getSnapshot().context.sessionExpiresAt).toBe(first);
  });
});

describe('secrets across tabs and re-logins', () => {
  it('no token, password or PIN reaches the inspector, a persisted snapshot or the console', async () => {
    const tabs = createSharedMemoryStorage();
    const seen: string[] = [];
    const inspect = withRedaction((event) => seen.push(JSON.stringify(event)));
    const logged: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      });
    }
    const clock = new SimulatedClock();
    const machine = (storage: EtnaSessionStorage) =>
      createEtnaAuthMachine({
        baseUrl: server.url,
        appKey: server.appKey,
        persist: storage,
        sessionLifetime: HOUR,
        sessionWarning: WARNING,
      });
    const a = createActor(machine(tabs.openTab()), { clock, inspect }).start();
    const b = createActor(machine(tabs.openTab()), { inspect }).start();
    actors.push(a, b);
    const first = await logIn(a, 'bob');
    await waitFor(b, (s) => selectToken(s) === first);
    clock.increment(HOUR - WARNING);
    a.send({ type: 'SUBMIT_CREDENTIALS', username: 'bob', password: 'bob-password' });
    await settle(a);
    seen.push(JSON.stringify(a.getPersistedSnapshot()));
    a.send({ type: 'SUBMIT_PIN', pin: '1234' });
    const second = selectToken(await settle(a)) as string;
    await waitFor(b, (s) => selectToken(s) === second);
    seen.push(JSON.stringify(a.getPersistedSnapshot()), JSON.stringify(b.getPersistedSnapshot()));
    vi.restoreAllMocks();
    const everything = [...seen, ...logged].join('\n');
    expect(
      seen.some((line) => line.includes('SESSION_ADOPTED')),
      'the inspector saw the adoption',
    ).toBe(true);
    for (const secret of [first, second, 'bob-password', '"1234"']) expect(everything).not.toContain(secret);
  });
});
