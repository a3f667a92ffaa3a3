import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { createEtnaAuthMachine, selectToken } from '../../src/index.js';
import { type FakeEtnaServer, type FakeEtnaUser, startFakeEtnaServer } from '../../src/testing/index.js';

const credentials = { type: 'SUBMIT_CREDENTIALS', username: 'bob', password: 'bob-password' } as const;

describe('the timeout, on a simulated clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A fetch that never answers; `honoursAbort` says whether it rejects when its signal aborts. */
  const silentFetch =
    (honoursAbort: boolean): typeof fetch =>
    (input, init) =>
      new Promise<Response>((_, reject) => {
        // As fetch does: the init's signal, when given, replaces the request's.
        const signal = new Request(input, init).signal;
        if (honoursAbort) signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });

  it.each([
    ['a fetch that honours the abort', true],
    ['a fetch that ignores the abort', false],
  ])('fires exactly at the configured time with %s', async (_name, honoursAbort) => {
    vi.useFakeTimers();
    const machine = createEtnaAuthMachine({
      baseUrl: 'https://clock.example/api/',
      appKey: 'key',
      timeout: 5_000,
      fetch: silentFetch(honoursAbort),
    });
    const actor = createActor(machine).start();
    actor.send(credentials);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(actor.getSnapshot().value).toBe('authenticating');
    await vi.advanceTimersByTimeAsync(1);
    expect(actor.getSnapshot().value).toBe('error');
    expect(actor.getSnapshot().context.error).toMatchObject({
      kind: 'timeout',
      message: 'no answer within 5000 ms',
    });
    actor.stop();
  });

  it('uses the default of 10 seconds when no timeout is given', async () => {
    vi.useFakeTimers();
    const machine = createEtnaAuthMachine({
      baseUrl: 'https://clock.example/api/',
      appKey: 'key',
      fetch: silentFetch(true),
    });
    const actor = createActor(machine).start();
    actor.send(credentials);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(actor.getSnapshot().hasTag('busy')).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(actor.getSnapshot().context.error?.kind).toBe('timeout');
    actor.stop();
  });
});

describe('cancel, logout and retry over HTTP', () => {
  let server: FakeEtnaServer;
  afterEach(async () => {
    await server.close();
  });

  it('LOGOUT during a request is not offered and changes nothing; CANCEL aborts the connection', async () => {
    server = await startFakeEtnaServer();
    server.inject({ kind: 'hang' });
    const actor = createActor(createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey })).start();
    actor.send(credentials);
    await server.waitForRequests(1);
    expect(actor.getSnapshot().can({ type: 'LOGOUT' })).toBe(false);
    actor.send({ type: 'LOGOUT' });
    expect(actor.getSnapshot().value).toBe('authenticating');
    actor.send({ type: 'CANCEL' });
    expect(actor.getSnapshot().value).toBe('idle');
    expect((await server.waitForEnd(0)).aborted).toBe(true);
    actor.stop();
  });

  it('RETRY after a timed-out PIN request resends the same step with the same interim token', async () => {
    server = await startFakeEtnaServer();
    const actor = createActor(
      createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey, timeout: 1_000 }),
    ).start();
    actor.send(credentials);
    await waitFor(actor, (s) => s.matches({ expecting: 'securityPin' }));
    server.inject({ kind: 'hang' });
    actor.send({ type: 'SUBMIT_PIN', pin: '1234' });
    const failed = await waitFor(actor, (s) => s.matches('error'));
    expect(failed.context.error?.kind).toBe('timeout');
    expect((await server.waitForEnd(1)).aborted).toBe(true);

    actor.send({ type: 'RETRY' });
    const done = await waitFor(actor, (s) => !s.hasTag('busy'));
    expect(done.value).toEqual({ succeeded: 'active' });
    expect(server.sessionOwner(selectToken(done) ?? '')).toBe('bob');
    const [, timedOut, retried] = server.requests;
    for (const name of ['authorization', 'pincode', 'username', 'password', 'et-app-key']) {
      expect(retried?.header(name), name).toBe(timedOut?.header(name));
    }
    expect(retried?.header('authorization')).toMatch(/^Bearer .+/);
    expect(server.requests).toHaveLength(3);
    actor.stop();
  });
});

describe('one thousand concurrent logins against one fake server', () => {
  let server: FakeEtnaServer;
  afterEach(async () => {
    await server.close();
  });

  it('each ends with its own user’s token', async () => {
    const users: FakeEtnaUser[] = Array.from({ length: 1_000 }, (_, index) => ({
      username: `user-${index}`,
      password: `password-${index}`,
      ...(index % 3 === 1 ? { pin: `${1000 + index}` } : {}),
      ...(index % 3 === 2 ? { verificationCode: `${200000 + index}` } : {}),
    }));
    server = await startFakeEtnaServer({ users });
    const machine = createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey, timeout: 30_000 });
    const tokens = await Promise.all(
      users.map(async (user) => {
        const actor = createActor(machine).start();
        actor.send({ type: 'SUBMIT_CREDENTIALS', username: user.username, password: user.password });
        let snapshot = await waitFor(actor, (s) => !s.hasTag('busy'), { timeout: 60_000 });
        if (snapshot.matches({ expecting: 'securityPin' }))
          actor.send({ type: 'SUBMIT_PIN', pin: user.pin ?? '' });
        if (snapshot.matches({ expecting: 'verificationCode' })) {
          actor.send({ type: 'SUBMIT_VERIFICATION_CODE', code: user.verificationCode ?? '' });
        }
        snapshot = await waitFor(actor, (s) => !s.hasTag('busy'), { timeout: 60_000 });
        actor.stop();
        return { user: user.username, state: snapshot.matches('succeeded'), token: selectToken(snapshot) };
      }),
    );
    const owners = tokens.map(({ token }) => server.sessionOwner(token ?? ''));
    expect(tokens.filter(({ state }) => !state)).toEqual([]);
    expect(owners).toEqual(tokens.map(({ user }) => user));
    expect(new Set(tokens.map(({ token }) => token)).size).toBe(1_000);
    const twoStep = users.filter((user) => user.pin ?? user.verificationCode).length;
    expect(twoStep).toBe(666);
    expect(server.requests).toHaveLength(1_000 + twoStep);
  }, 90_000);
});
