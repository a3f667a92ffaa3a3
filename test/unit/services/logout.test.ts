// createLogout, the POST /logout service, against the fake ETNA server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/contract/secret.js';
import { createLogout } from '../../../src/services/logout.js';
import { type FakeEtnaServer, startFakeEtnaServer } from '../../../src/testing/index.js';

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
