// createEtnaClient's own checks: the options it needs for a machine it does not know, what it refuses and
// why, when a failed call ends the session, and its retry option.
import { inspect } from 'node:util';
import type { HTTPError } from 'ky';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { createEtnaClient, EtnaClientError } from '../../../src/client/index.js';
import { createEtnaAuthMachine, EtnaConfigurationError } from '../../../src/index.js';
import { etnaAuthMachine } from '../../../src/machine/etna-auth-machine.js';
import { type FakeEtnaServer, startFakeEtnaServer } from '../../../src/testing/index.js';

let server: FakeEtnaServer;
beforeEach(async () => {
  server = await startFakeEtnaServer();
});
afterEach(async () => {
  await server.close();
});

/** An actor logged in as alice at the fake server. */
async function loggedIn() {
  const actor = createActor(createEtnaAuthMachine({ baseUrl: server.url, appKey: server.appKey })).start();
  actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });
  await waitFor(actor, (s) => s.matches('succeeded'));
  return actor;
}

describe('createEtnaClient options and refusals', () => {
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
    expect(actor.getSnapshot().value).toEqual({ succeeded: 'active' });
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

describe('createEtnaClient and a hostile Location', () => {
  it.each([
    ['that is not a URL', 'http://mallory:SECRETPW@[::1'],
    ['on another host', 'https://mallory:SECRETPW@elsewhere.example/api/'],
    ['on the API host', () => `http://mallory:SECRETPW@${new URL(server.url).host}/api/v1.0/x`],
    ['without a scheme', '//mallory:SECRETPW@elsewhere.example/x'],
  ])('rejects a redirect to a Location with a user and password %s, quoting neither', async (_, location) => {
    const actor = await loggedIn();
    const target = typeof location === 'function' ? location() : location;
    server.injectApi({ kind: 'respond', status: 302, body: '', headers: { location: target } });
    const error = await createEtnaClient(actor, { retry: 0 })
      .get('v1.0/users/@me/info')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EtnaClientError);
    // What logging the error prints: its message, stack and every own field.
    const printed = `${inspect(error, { depth: 5 })} ${JSON.stringify(error)}`;
    expect(printed).not.toContain('SECRETPW');
    expect(printed).not.toContain('mallory');
    expect(server.requests.map((request) => request.path)).toEqual([
      '/api/token',
      '/api/v1.0/users/@me/info',
    ]);
    actor.stop();
  });
});
