import { describe, expect, it } from 'vitest';
import { EtnaConfigurationError } from '../../../src/index.js';
import { createEtnaBff, type EtnaBffOptions, memorySessionStore } from '../../../src/server/index.js';
import { BrowserRecords, isBrowserId, keysOf, newBrowserId } from '../../../src/server/session-records.js';

const etna = { baseUrl: 'https://broker.example/api/', appKey: 'key' };
const base: EtnaBffOptions = { etna, allowedOrigins: ['https://app.example'] };

describe('createEtnaBff refuses options that cannot work, naming the option', () => {
  it.each([
    ['allowedOrigins', { ...base, allowedOrigins: [] }],
    ['allowedOrigins', { ...base, allowedOrigins: ['https://app.example/'] }],
    ['allowedOrigins', { ...base, allowedOrigins: ['*'] }],
    ['basePath', { ...base, basePath: 'etna' }],
    ['cookieName', { ...base, cookieName: 'bad name' }],
    ['idleTimeout', { ...base, idleTimeout: 0 }],
    ['absoluteTimeout', { ...base, absoluteTimeout: 1.5 }],
    ['api.routes', { ...base, api: { routes: [{ method: 'TRACE', path: 'x' }] } }],
    ['api.routes', { ...base, api: { routes: [{ method: 'GET', path: '/v1.0/x' }] } }],
    ['baseUrl', { ...base, etna: { ...etna, baseUrl: 'http://broker.example/api/' } }],
    ['etna', { ...base, etna: undefined }],
  ] as [string, EtnaBffOptions][])('%s', (option, options) => {
    const error = (() => {
      try {
        createEtnaBff(options);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(EtnaConfigurationError);
    expect((error as EtnaConfigurationError).option).toBe(option);
  });

  it('takes the defaults: a memory store, /etna-auth/, and it closes', async () => {
    const bff = createEtnaBff(base);
    expect(bff.loginsInFlight()).toBe(0);
    await bff.close();
  });
});

describe('browser records', () => {
  it('are sealed under the id: another id reads nothing, a changed byte reads nothing', async () => {
    const store = memorySessionStore();
    const records = new BrowserRecords(store);
    const id = newBrowserId();
    expect(isBrowserId(id)).toBe(true);
    expect(isBrowserId(`${id}=`)).toBe(false);
    const record = {
      t: 'session',
      token: 'canary+token/=',
      expiresAt: 1,
      username: 'u',
      loggedInAt: 1,
    } as const;
    await records.write(keysOf(id), record, 60_000);
    expect(await records.read(keysOf(id))).toEqual(record);
    const sealed = (await store.get(`b:${keysOf(id).hash}`)) as string;
    expect(sealed).not.toContain('canary');
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('canary');
    await store.set(`b:${keysOf(id).hash}`, `${sealed.slice(0, 20)}A${sealed.slice(21)}`, 60_000);
    expect(await records.read(keysOf(id))).toBeUndefined();
    const other = newBrowserId();
    await store.set(`b:${keysOf(other).hash}`, sealed, 60_000);
    expect(await records.read(keysOf(other))).toBeUndefined();
    await store.close();
  });

  it('expire in the memory store after their time', async () => {
    const store = memorySessionStore();
    await store.set('k', 'v', 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await store.get('k')).toBeUndefined();
    expect(await store.expire('k', 1_000)).toBe(false);
    await store.close();
  });
});
