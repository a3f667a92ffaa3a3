// After the login: the authorized client, the session's expiry and revocation, logout, and persistence.
// Everything runs against the fake ETNA server over loopback HTTP.
import { inspect } from 'node:util';
import { HTTPError } from 'ky';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, createActor, fromPromise, type InspectionEvent, SimulatedClock, waitFor } from 'xstate';
import { createEtnaClient, EtnaClientError } from '../../src/client/index.js';
import {
  createEtnaAuthMachine,
  DEFAULT_PERSIST_KEY,
  DEFAULT_SESSION_LIFETIME_MS,
  type EtnaAuthMachine,
  type EtnaAuthOptions,
  EtnaConfigurationError,
  type EtnaSessionStorage,
  memoryStorage,
  Secret,
  selectToken,
  type TokenAnswer,
  type TokenRequest,
  withRedaction,
} from '../../src/index.js';
import { etnaAuthMachine } from '../../src/machine/etna-auth-machine.js';
import { type FakeEtnaServer, startFakeEtnaServer } from '../../src/testing/index.js';

type AuthActor = Actor<EtnaAuthMachine>;

let server: FakeEtnaServer;
const actors: AuthActor[] = [];

beforeEach(async () => {
  server = await startFakeEtnaServer();
});
afterEach(async () => {
  for (const actor of actors.splice(0)) actor.stop();
  await server.close();
});

function start(options: Partial<EtnaAuthOptions> = {}, clock?: SimulatedClock): AuthActor {
  const machine = createEtnaAuthMachine({
    baseUrl: server.url,
    appKey: server.appKey,
    timeout: 1_000,
    ...options,
  });
  const actor = createActor(machine, clock ? { clock } : {});
  actors.push(actor);
  return actor.start();
}

const settle = (actor: AuthActor) =>
  waitFor(actor, (snapshot) => !snapshot.hasTag('busy'), { timeout: 5_000 });

async function loggedIn(username = 'alice', options: Partial<EtnaAuthOptions> = {}, clock?: SimulatedClock) {
  const actor = start(options, clock);
  actor.send({ type: 'SUBMIT_CREDENTIALS', username, password: `${username}-password` });
  const snapshot = await settle(actor);
  expect(snapshot.value).toEqual({ succeeded: 'active' });
  return { actor, token: selectToken(snapshot) ?? '' };
}

describe('createEtnaClient', () => {
  it('sends the session token and the app key, and resolves paths against the API root', async () => {
    const { actor, token } = await loggedIn();
    const client = createEtnaClient(actor);
    const info = await client.get('v1.0/users/@me/info').json();
    expect(info).toEqual({ Id: 1, Login: 'alice' });
    const request = server.requests.at(-1);
    expect(request?.path).toBe('/api/v1.0/users/@me/info');
    expect(request?.header('authorization')).toBe(`Bearer ${token}`);
    expect(request?.header('et-app-key')).toBe(server.appKey);
  });

  it('refuses to send without a session: a typed error and no request, without retries', async () => {
    const actor = start();
    let attempts = 0;
    const client = createEtnaClient(actor, {
      fetch: (input, init) => {
        attempts += 1;
        return fetch(input, init);
      },
    });
    const error = await client.get('v1.0/users/@me/info').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EtnaClientError);
    expect(error).toMatchObject({ code: 'notLoggedIn' });
    // ky retries a GET only after an attempt (a network error or a retryable status): with none made, the
    // refusal is final, and the promise settled without waiting for a retry.
    expect(attempts).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a URL outside the API root, so the token never leaves for another host', async () => {
    const { actor } = await loggedIn();
    const client = createEtnaClient(actor);
    const sent = server.requests.length;
    for (const url of [new URL('/elsewhere', server.url).href, 'https://attacker.example/api/x']) {
      const error = await client.get(url, { prefixUrl: '' }).catch((caught: unknown) => caught);
      expect(error, url).toBeInstanceOf(EtnaClientError);
      expect(error, url).toMatchObject({ code: 'foreignUrl' });
    }
    const dotted = await client.get('../elsewhere').catch((caught: unknown) => caught);
    expect(dotted).toMatchObject({ code: 'foreignUrl' });
    expect(server.requests).toHaveLength(sent);
  });

  it('ends the session with reason revoked when the API answers 401 to the current token', async () => {
    const { actor, token } = await loggedIn();
    server.revokeSessions('alice');
    const client = createEtnaClient(actor);
    const error = await client.get('v1.0/users/@me/info').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HTTPError);
    expect((error as HTTPError).response.status).toBe(401);
    const snapshot = actor.getSnapshot();
    expect(snapshot.value).toBe('idle');
    expect(snapshot.context).toMatchObject({ reason: 'revoked', username: 'alice', sessionToken: undefined });
    // The error a caller would log does not carry the token.
    expect(inspect(error, { depth: Infinity, showHidden: true })).not.toContain(token);
    expect(JSON.stringify(error)).not.toContain(token);
  });

  it('does not end a newer session for a late 401 to an older token', async () => {
    const { actor, token: first } = await loggedIn();
    const client = createEtnaClient(actor);
    // A request with the first token is answered 401 only after a second login replaced it.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reached: () => void = () => {};
    const sending = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const slowClient = createEtnaClient(actor, {
      fetch: async (input, init) => {
        reached();
        await gate;
        return globalThis.fetch(input, init);
      },
    });
    const late = slowClient.get('v1.0/users/@me/info').catch((caught: unknown) => caught);
    await sending;
    actor.send({ type: 'LOGOUT' });
    await settle(actor);
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
    const again = await settle(actor);
    const second = selectToken(again);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    release();
    const error = await late;
    expect((error as HTTPError).response.status).toBe(401);
    expect(actor.getSnapshot().value).toEqual({ succeeded: 'active' });
    expect(await client.get('v1.0/users/@me/info').json()).toEqual({ Id: 1, Login: 'alice' });
  });

  it('works with a .provide()d machine: the API root and app key come from the machine settings, no registry', async () => {
    // A session token the fake server knows, handed out by a swapped /token service.
    const { token } = await loggedIn();
    const provided = createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey }).provide({
      actors: {
        requestToken: fromPromise<TokenAnswer, TokenRequest>(async () => ({
          state: 'succeeded',
          token: new Secret(token),
        })),
      },
    });
    const actor = createActor(provided).start();
    actors.push(actor);
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
    expect((await settle(actor)).value).toEqual({ succeeded: 'active' });
    expect(actor.getSnapshot().context.settings).toMatchObject({
      apiRoot: server.url,
      appKey: server.appKey,
    });
    const info = await createEtnaClient(actor).get('v1.0/users/@me/info').json();
    expect(info).toEqual({ Id: 1, Login: 'alice' });
    expect(server.requests.at(-1)?.header('et-app-key')).toBe(server.appKey);
  });

  it('needs baseUrl and appKey for a machine createEtnaAuthMachine did not make', () => {
    const actor = createActor(etnaAuthMachine);
    expect(() => createEtnaClient(actor)).toThrow(EtnaConfigurationError);
    expect(() => createEtnaClient(actor, { baseUrl: server.url })).toThrow(/appKey/);
    expect(() => createEtnaClient(actor, { baseUrl: server.url, appKey: server.appKey })).not.toThrow();
    expect(() => createEtnaClient(actor, { baseUrl: 'http://example.com/api', appKey: 'k' })).toThrow(
      /https/,
    );
  });
});

describe('session expiry', () => {
  it('ends the session after the default 24 hours with reason expired, not a moment before', async () => {
    const clock = new SimulatedClock();
    const { actor } = await loggedIn('alice', {}, clock);
    const { sessionExpiresAt } = actor.getSnapshot().context;
    expect(sessionExpiresAt).toBeGreaterThan(Date.now() + DEFAULT_SESSION_LIFETIME_MS - 60_000);
    clock.increment(DEFAULT_SESSION_LIFETIME_MS - 60_000);
    expect(actor.getSnapshot().value).toEqual({ succeeded: 'active' });
    clock.increment(60_000);
    expect(actor.getSnapshot().value).toBe('idle');
    expect(actor.getSnapshot().context).toMatchObject({ reason: 'expired', sessionExpiresAt: undefined });
    // Expiry is local: nothing was sent to the server.
    expect(server.requests).toHaveLength(1);
  });

  it('takes sessionLifetime from the options', async () => {
    const clock = new SimulatedClock();
    const { actor } = await loggedIn('alice', { sessionLifetime: 5_000 }, clock);
    clock.increment(4_000);
    expect(actor.getSnapshot().value).toEqual({ succeeded: 'active' });
    clock.increment(1_000);
    expect(actor.getSnapshot().context.reason).toBe('expired');
  });

  it('refuses a lifetime a timer cannot hold, or that is not a whole positive number', () => {
    for (const sessionLifetime of [0, -1, 1.5, 2 ** 31, Number.NaN]) {
      expect(() => start({ sessionLifetime }), String(sessionLifetime)).toThrow(/sessionLifetime/);
    }
  });
});

describe('logout', () => {
  it('ends the session even when POST /logout fails, hangs or is refused', async () => {
    for (const fault of [{ kind: 'serverError' }, { kind: 'drop' }, { kind: 'hang' }] as const) {
      const { actor } = await loggedIn('alice', { timeout: 1_000 });
      server.injectLogout(fault);
      actor.send({ type: 'LOGOUT' });
      const snapshot = await settle(actor);
      expect(snapshot.value, fault.kind).toBe('idle');
      expect(snapshot.context.reason, fault.kind).toBe('loggedOut');
    }
  });

  it('does not wait for the server when LOGOUT comes again, and aborts the request', async () => {
    const { actor } = await loggedIn();
    server.injectLogout({ kind: 'hang' });
    actor.send({ type: 'LOGOUT' });
    await server.waitForRequests(2);
    expect(actor.getSnapshot().value).toBe('loggingOut');
    actor.send({ type: 'LOGOUT' });
    expect(actor.getSnapshot().value).toBe('idle');
    expect((await server.waitForEnd(1)).aborted).toBe(true);
  });

  it('ignores SESSION_REVOKED and a second login while logging out', async () => {
    const { actor } = await loggedIn();
    server.injectLogout({ kind: 'delay', ms: 100 });
    actor.send({ type: 'LOGOUT' });
    const snapshot = actor.getSnapshot();
    expect(snapshot.can({ type: 'SESSION_REVOKED' })).toBe(false);
    expect(snapshot.can({ type: 'SUBMIT_CREDENTIALS', username: 'a', password: 'b' })).toBe(false);
    expect(snapshot.can({ type: 'LOGOUT' })).toBe(true);
    expect((await settle(actor)).context.reason).toBe('loggedOut');
  });
});

describe('persist', () => {
  const stored = (storage: EtnaSessionStorage) => {
    const text = storage.getItem(DEFAULT_PERSIST_KEY);
    return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
  };

  it('keeps the session under the default key, whose value a release must not change', () => {
    // Every other test names the key through the constant: this one pins what stored sessions already use.
    expect(DEFAULT_PERSIST_KEY).toBe('etna-auth.session');
  });

  it('stores only the session token, its expiry and the username, and restores into succeeded', async () => {
    const storage = memoryStorage();
    const first = start({ persist: storage });
    first.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
    const done = await settle(first);
    const session = stored(storage);
    expect(Object.keys(session ?? {}).sort()).toEqual(['expiresAt', 'token', 'username']);
    expect(session?.username).toBe('alice');
    expect(session?.token).toBe(selectToken(done));
    expect(session?.expiresAt).toBe(done.context.sessionExpiresAt);
    expect(storage.getItem(DEFAULT_PERSIST_KEY)).not.toContain('alice-password');
    first.stop();

    const second = start({ persist: storage });
    const restored = second.getSnapshot();
    expect(restored.value).toEqual({ succeeded: 'active' });
    expect(selectToken(restored)).toBe(session?.token);
    expect(restored.context.sessionExpiresAt).toBe(session?.expiresAt);
    // Whose session it is, after the restore.
    expect(restored.context.username).toBe('alice');
    expect(await createEtnaClient(second).get('v1.0/users/@me/info').json()).toMatchObject({
      Login: 'alice',
    });
  });

  it('clears the stored session on logout, on expiry and on revocation', async () => {
    const storage = memoryStorage();
    const clock = new SimulatedClock();
    const ends = {
      logout: async (actor: AuthActor) => {
        actor.send({ type: 'LOGOUT' });
        await settle(actor);
      },
      expiry: async () => clock.increment(DEFAULT_SESSION_LIFETIME_MS),
      revocation: async (actor: AuthActor) => {
        server.revokeSessions();
        await createEtnaClient(actor)
          .get('v1.0/users/@me/info')
          .catch(() => {});
      },
    };
    for (const [name, end] of Object.entries(ends)) {
      const { actor } = await loggedIn('alice', { persist: storage }, clock);
      expect(stored(storage), name).not.toBeNull();
      await end(actor);
      expect(actor.getSnapshot().value, name).toBe('idle');
      expect(stored(storage), name).toBeNull();
      actor.stop();
    }
  });

  it('keeps the stored session when the actor is stopped (a page unload or an unmount is not a logout)', async () => {
    const storage = memoryStorage();
    const { actor } = await loggedIn('alice', { persist: storage });
    actor.stop();
    expect(stored(storage)).not.toBeNull();
  });

  it('refuses stored sessions that are malformed, expired, too long-lived or hold a header-breaking token', () => {
    const now = Date.now();
    const bad = [
      'not json',
      'null',
      '[]',
      JSON.stringify({ token: 'abc' }),
      JSON.stringify({ token: 42, expiresAt: now + 60_000 }),
      JSON.stringify({ token: 'abc', expiresAt: now - 1 }),
      JSON.stringify({ token: 'abc', expiresAt: now + DEFAULT_SESSION_LIFETIME_MS + 5 * 60_000 }),
      JSON.stringify({ token: 'abc\r\nX-Evil: 1', expiresAt: now + 60_000 }),
      JSON.stringify({ token: '', expiresAt: now + 60_000 }),
      JSON.stringify({ token: 'x'.repeat(5000), expiresAt: now + 60_000 }),
    ];
    for (const text of bad) {
      const storage = memoryStorage();
      storage.setItem(DEFAULT_PERSIST_KEY, text);
      const actor = start({ persist: storage });
      expect(actor.getSnapshot().value, text).toBe('idle');
      expect(storage.getItem(DEFAULT_PERSIST_KEY), `${text} is cleared`).toBeNull();
    }
    const good = memoryStorage();
    good.setItem(DEFAULT_PERSIST_KEY, JSON.stringify({ token: 'abc+/=', expiresAt: now + 60_000 }));
    expect(start({ persist: good }).getSnapshot().value).toEqual({ succeeded: 'active' });
  });

  it('logs in and out normally when the storage throws on every call', async () => {
    const broken: EtnaSessionStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    const { actor } = await loggedIn('alice', { persist: broken });
    actor.send({ type: 'LOGOUT' });
    expect((await settle(actor)).context.reason).toBe('loggedOut');
  });

  it('uses persistKey, so two environments on one origin keep separate sessions', async () => {
    const storage = memoryStorage();
    await loggedIn('alice', { persist: storage, persistKey: 'etna-auth.demo' });
    expect(storage.getItem('etna-auth.demo')).not.toBeNull();
    expect(storage.getItem(DEFAULT_PERSIST_KEY)).toBeNull();
    expect(start({ persist: storage }).getSnapshot().value).toBe('idle');
  });

  it('refuses a persist option without the storage methods, and an empty persistKey', () => {
    expect(() => start({ persist: {} as EtnaSessionStorage })).toThrow(/persist/);
    expect(() => start({ persist: memoryStorage(), persistKey: '' })).toThrow(/persistKey/);
    expect(() => start({ serverLogout: 'yes' as unknown as boolean })).toThrow(/serverLogout/);
  });
});

describe('secrets after the login', () => {
  it('keeps the session token out of snapshots, inspector events and client errors through logout and revocation', async () => {
    const events: string[] = [];
    const machine = createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey, timeout: 1_000 });
    const actor = createActor(machine, {
      inspect: withRedaction((event: InspectionEvent) => events.push(inspect(event, { depth: 8 }))),
    });
    actors.push(actor);
    actor.start();
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
    const token = selectToken(await settle(actor)) ?? '';
    expect(token.length).toBeGreaterThan(10);
    const views = () => [
      JSON.stringify(actor.getSnapshot()),
      JSON.stringify(actor.getPersistedSnapshot()),
      inspect(actor.getPersistedSnapshot(), { depth: Infinity }),
      ...events,
    ];
    server.injectLogout({ kind: 'hang' });
    actor.send({ type: 'LOGOUT' });
    await server.waitForRequests(2);
    expect(actor.getSnapshot().value).toBe('loggingOut');
    for (const view of views()) expect(view).not.toContain(token);
    actor.send({ type: 'LOGOUT' });
    for (const view of views()) expect(view).not.toContain(token);
    // The control: the server did receive it.
    expect(server.requests[1]?.header('authorization')).toBe(`Bearer ${token}`);
  });
});
