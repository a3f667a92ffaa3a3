// The fake server's routes beside /token are read off the one list of calls (src/contract/calls.ts): each call
// has its route, with its method and path, and a handler that answers it; the fake's alias plays its call's faults.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNEY_CALL_NAMES, JOURNEY_CALLS } from '../../../../src/contract/calls.js';
import { type FakeEtnaServer, startFakeEtnaServer } from '../../../../src/testing/fake/index.js';
import {
  callOf,
  FAKE_ETNA_ROUTES,
  isFakeEtnaRoute,
  journeyRouteOf,
} from '../../../../src/testing/fake/routes.js';

let server: FakeEtnaServer;
beforeAll(async () => {
  server = await startFakeEtnaServer();
});
afterAll(() => server.close());

describe('the route list', () => {
  it('has one route per call of JOURNEY_CALLS, its method (upper case) and path as declared there', () => {
    for (const name of JOURNEY_CALL_NAMES) {
      const { method, path } = JOURNEY_CALLS[name];
      expect(FAKE_ETNA_ROUTES[name], name).toEqual({ method: method.toUpperCase(), path });
      expect(isFakeEtnaRoute(method.toUpperCase(), path), name).toBe(true);
      expect(isFakeEtnaRoute(method, path), `${name}, lower case`).toBe(false);
      expect(journeyRouteOf(path), name).toBe(name);
      expect(callOf(name), name).toBe(name);
    }
  });

  it('lists token, logout and userInfo first, then the calls in their order, then the alias', () => {
    expect(Object.keys(FAKE_ETNA_ROUTES)).toEqual([
      'token',
      'logout',
      'userInfo',
      ...JOURNEY_CALL_NAMES,
      'identifierResetCode',
    ]);
  });

  it('routes the re-branded identifiers/reset/code to resetCode, whose faults it plays', () => {
    expect(journeyRouteOf('v1.0/users/identifiers/reset/code')).toBe('identifierResetCode');
    expect(callOf('identifierResetCode')).toBe('resetCode');
    expect(journeyRouteOf('token')).toBeUndefined();
    expect(journeyRouteOf('v1.0/users/@me/info')).toBeUndefined();
  });

  it('types no call path again: no module of the fake quotes one', () => {
    const dir = new URL('../../../../src/testing/fake/', import.meta.url);
    const files = readdirSync(dir);
    for (const file of files) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      for (const name of JOURNEY_CALL_NAMES) {
        const { path } = JOURNEY_CALLS[name];
        expect(text, `${file} quotes ${path}`).not.toMatch(
          new RegExp(`['"]${path.replace(/[./]/g, '\\$&')}['"]`),
        );
      }
    }
  });
});

describe('every call has a handler on the server', () => {
  it.for(JOURNEY_CALL_NAMES)(
    '%s: answers its route by its rules, 405 with Allow to another method',
    async (name) => {
      const { method, path } = FAKE_ETNA_ROUTES[name];
      const url = `${server.url}${path}`;
      const headers = { 'et-app-key': server.appKey };
      // No bearer and no body: each route refuses by its own rules (401, 400 or a refusal), never 404.
      const answered = await fetch(url, { method, headers });
      expect(answered.status, await answered.clone().text()).not.toBe(404);
      expect(answered.status).not.toBe(405);
      expect(await answered.json()).toHaveProperty(answered.status === 401 ? 'Message' : 'IsSucceed');
      const other = method === 'GET' ? 'POST' : 'GET';
      const refused = await fetch(url, { method: other, headers });
      expect(refused.status).toBe(405);
      expect(refused.headers.get('allow')).toBe(method);
    },
  );

  it.for(JOURNEY_CALL_NAMES)('%s: takes faults by injectAt, consumed by its next request', async (name) => {
    const { method, path } = FAKE_ETNA_ROUTES[name];
    server.injectAt(name, { kind: 'respond', status: 418, body: { scripted: name } });
    const faulted = await fetch(`${server.url}${path}`, { method });
    expect(faulted.status).toBe(418);
    expect(await faulted.json()).toEqual({ scripted: name });
    const next = await fetch(`${server.url}${path}`, { method });
    expect(next.status).toBe(403);
  });
});
