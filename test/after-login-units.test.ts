// The after-login pieces one by one: the logout service, the stored-session checks, the browser storages,
// the client's options and refusals, and the bare machine's own session stamp.
import type { HTTPError } from 'ky';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActor, fromPromise, waitFor } from 'xstate';
import { createEtnaClient, EtnaClientError } from '../src/client/index.js';
import { Secret } from '../src/contract/secret.js';
import {
  browserLocalStorage,
  browserSessionStorage,
  createEtnaAuthMachine,
  DEFAULT_SESSION_LIFETIME_MS,
  EtnaConfigurationError,
  memoryStorage,
  type TokenAnswer,
} from '../src/index.js';
import { etnaAuthMachine } from '../src/machine/etna-auth-machine.js';
import { createLogout } from '../src/services/logout.js';
import { createSessionKeeper } from '../src/session/session-keeper.js';
import { type FakeEtnaServer, startFakeEtnaServer } from '../src/testing/index.js';

let server: FakeEtnaServer;
beforeEach(async () => {
  server = await startFakeEtnaServer();
});
afterEach(async () => {
  await server.close();
});

const logoutFor = (timeout = 500) =>
  createLogout({
    tokenUrl: `${server.url}token`,
    apiRoot: server.url,
    appKey: server.appKey,
    timeout,
    fetch: undefined,
  });

describe('the logout service', () => {
  it('resolves on any 2xx, sending the app key, the token and Accept, once', async () => {
    for (const status of [200, 204, 299]) {
      server.injectLogout({ kind: 'respond', status, body: status === 204 ? '' : {} });
      await expect(logoutFor()(new Secret('tok+en/='))).resolves.toBeUndefined();
    }
    const request = server.requests.at(-1);
    expect(request?.path).toBe('/api/logout');
    expect(request?.method).toBe('POST');
    expect(request?.header('authorization')).toBe('Bearer tok+en/=');
    expect(request?.header('et-app-key')).toBe(server.appKey);
    expect(request?.header('accept')).toBe('application/json');
    expect(server.requests).toHaveLength(3);
  });

  it('rejects with an http error carrying the status for anything else, without retrying', async () => {
    for (const status of [300, 401, 500]) {
      server.injectLogout({ kind: 'respond', status, body: {} });
      const sent = server.requests.length;
      const error = await logoutFor()(new Secret('t')).catch((caught: unknown) => caught);
      expect(error, String(status)).toMatchObject({ kind: 'http', status });
      expect(server.requests.length - sent, String(status)).toBe(1);
    }
  });

  it('sends no Authorization without a token', async () => {
    server.injectLogout({ kind: 'respond', status: 200, body: {} });
    await logoutFor()(undefined);
    expect(server.requests.at(-1)?.header('authorization')).toBeUndefined();
  });

  it('rejects with a timeout error after its timeout, and a network error for a dropped connection', async () => {
    server.injectLogout({ kind: 'hang' }, { kind: 'drop' });
    await expect(logoutFor(150)(new Secret('t'))).rejects.toMatchObject({ kind: 'timeout' });
    await expect(logoutFor(150)(new Secret('t'))).rejects.toMatchObject({ kind: 'network' });
  });
});

describe('the stored-session checks', () => {
  const now = 1_800_000_000_000;
  const keeperWith = (value: unknown, lifetime = 60_000) => {
    const storage = memoryStorage();
    storage.setItem('k', JSON.stringify(value));
    return { storage, keeper: createSessionKeeper(storage, 'k', lifetime) };
  };

  it('accepts an expiry up to a full lifetime ahead, and a token of 4 096 characters', () => {
    expect(keeperWith({ token: 'a', expiresAt: now + 60_000 }).keeper.load(now)?.expiresAt).toBe(
      now + 60_000,
    );
    expect(
      keeperWith({ token: 'a', expiresAt: now + 1 })
        .keeper.load(now)
        ?.token.reveal(),
    ).toBe('a');
    const long = 'x'.repeat(4096);
    expect(
      keeperWith({ token: long, expiresAt: now + 1 })
        .keeper.load(now)
        ?.token.reveal(),
    ).toBe(long);
  });

  it('refuses and clears an expiry at now or past a lifetime, a numeric string, and a longer token', () => {
    for (const value of [
      { token: 'a', expiresAt: now },
      { token: 'a', expiresAt: now + 60_001 },
      { token: 'a', expiresAt: String(now + 1_000) },
      { token: 'x'.repeat(4097), expiresAt: now + 1 },
    ]) {
      const { storage, keeper } = keeperWith(value);
      expect(keeper.load(now), JSON.stringify(value).slice(0, 60)).toBeUndefined();
      expect(storage.getItem('k')).toBeNull();
    }
  });

  it('keeps a Secret, so a loaded token never prints', () => {
    const session = keeperWith({ token: 'canary-token', expiresAt: now + 1 }).keeper.load(now);
    expect(JSON.stringify(session)).not.toContain('canary-token');
    expect(Secret.is(session?.token)).toBe(true);
  });
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
    expect((await waitFor(actor, (s) => !s.hasTag('busy'))).value).toBe('succeeded');
    actor.stop();
  });
});

describe('createEtnaClient options and refusals', () => {
  async function loggedIn() {
    const actor = createActor(createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey })).start();
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
    await waitFor(actor, (s) => s.value === 'succeeded');
    return actor;
  }

  it('names the missing option for a machine it does not know', () => {
    const actor = createActor(etnaAuthMachine);
    const error = (options: object) => {
      try {
        createEtnaClient(actor, options);
      } catch (caught) {
        return caught;
      }
      return undefined;
    };
    expect(error({})).toBeInstanceOf(EtnaConfigurationError);
    expect(error({})).toMatchObject({ option: 'baseUrl' });
    expect(error({ baseUrl: server.url })).toMatchObject({ option: 'appKey' });
    expect(error({ baseUrl: server.url, appKey: '' })).toMatchObject({ option: 'appKey' });
  });

  it('says why it refused, by name and code', async () => {
    const actor = createActor(createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey })).start();
    const error = await createEtnaClient(actor)
      .get('v1.0/users/@me/info')
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'EtnaClientError',
      code: 'notLoggedIn',
      message: 'no session: log in first',
    });
    const signedIn = await loggedIn();
    const foreign = await createEtnaClient(signedIn)
      .get('https://elsewhere.example/x', { prefixUrl: '' })
      .catch((caught: unknown) => caught);
    expect(foreign).toBeInstanceOf(EtnaClientError);
    expect((foreign as Error).message).toBe(`refused to send the session token outside ${server.url}`);
    actor.stop();
    signedIn.stop();
  });

  it('ends the session only on a 401: a 404 or a 500 leaves it', async () => {
    const actor = await loggedIn();
    const client = createEtnaClient(actor, { retry: 0 });
    const missing = await client.get('v1.0/nowhere').catch((caught: unknown) => caught);
    expect((missing as HTTPError).response.status).toBe(404);
    const failing = createEtnaClient(actor, {
      retry: 0,
      fetch: async () => new Response('{}', { status: 500 }),
    });
    expect(((await failing.get('x').catch((caught: unknown) => caught)) as HTTPError).response.status).toBe(
      500,
    );
    expect(actor.getSnapshot().value).toBe('succeeded');
    actor.stop();
  });

  it('takes retry as a number or as options, and still asks the caller shouldRetry', async () => {
    const actor = await loggedIn();
    let calls = 0;
    const unavailable = async () => {
      calls += 1;
      return new Response('{}', { status: 503 });
    };
    const call = (retry: object | number) =>
      createEtnaClient(actor, { retry, fetch: unavailable })
        .get('x')
        .catch(() => undefined);
    await call(0);
    expect(calls).toBe(1);
    calls = 0;
    await call({ limit: 1, backoffLimit: 1 });
    expect(calls).toBe(2);
    calls = 0;
    await call({ limit: 3, backoffLimit: 1, shouldRetry: () => false });
    expect(calls).toBe(1);
    actor.stop();
  });
});

describe('the bare machine', () => {
  it('stamps a session with the platform lifetime, and records the failure code the answer carries', async () => {
    const answers: TokenAnswer[] = [
      { state: 'failed', code: 'unsupportedStep', step: 'SecurityQuestion', reason: 'Answer it' },
      { state: 'succeeded', token: new Secret('t') },
    ];
    const machine = etnaAuthMachine.provide({
      actors: { requestToken: fromPromise(async () => answers.shift() as TokenAnswer) },
    });
    const actor = createActor(machine).start();
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'a', password: 'b' });
    const failed = await waitFor(actor, (s) => s.value === 'failed');
    expect(failed.context.failure).toEqual({
      step: 'SecurityQuestion',
      reason: 'Answer it',
      code: 'unsupportedStep',
    });
    actor.send({ type: 'RETRY' });
    const before = Date.now();
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'a', password: 'b' });
    const done = await waitFor(actor, (s) => s.value === 'succeeded');
    const expiresAt = done.context.sessionExpiresAt ?? 0;
    expect(expiresAt).toBeGreaterThanOrEqual(before + DEFAULT_SESSION_LIFETIME_MS);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + DEFAULT_SESSION_LIFETIME_MS);
    actor.stop();
  });
});
