// The options of createEtnaAuthMachine: what it refuses and why (src/options.ts), and the URLs it derives.
import { describe, expect, it } from 'vitest';
import { EtnaConfigurationError } from '../../src/configuration-error.js';
import { createEtnaAuthMachine, type EtnaAuthOptions } from '../../src/index.js';
import { resolveOptions, tokenUrlOf } from '../../src/options.js';

const APP_KEY_CANARY = 'app-key-canary-5Xq2';
const BASE_URL = 'https://broker.example/api/';

/** The EtnaConfigurationError `createEtnaAuthMachine(options)` throws; fails the test if it does not. */
function configurationError(options: unknown): EtnaConfigurationError {
  try {
    createEtnaAuthMachine(options as EtnaAuthOptions);
  } catch (error) {
    if (error instanceof EtnaConfigurationError) return error;
    throw error;
  }
  throw new Error('expected createEtnaAuthMachine to throw');
}

describe('createEtnaAuthMachine options', () => {
  it.each([
    ['negative', -1, 'must be a whole number from 1 to 2147483647'],
    ['a fraction', 1.5, 'must be a whole number from 1 to 2147483647'],
    ['a string', '60000', 'must be a whole number from 1 to 2147483647'],
    ['as long as the session', 86_400_000, 'must be shorter than sessionLifetime'],
  ])('refuses a sessionWarning that is %s', (_, sessionWarning, message) => {
    const error = configurationError({ baseUrl: BASE_URL, appKey: 'k', sessionWarning });
    expect(error.option).toBe('sessionWarning');
    expect(error.message).toBe(`sessionWarning: ${message}`);
  });

  it('takes a sessionWarning shorter than the session, 0 for none, and slidingSession as a boolean only', () => {
    const settingsOf = (options: Partial<EtnaAuthOptions>) =>
      resolveOptions({ baseUrl: BASE_URL, appKey: 'k', ...options });
    expect(settingsOf({})).toMatchObject({ sessionWarning: 0, slidingSession: false });
    expect(settingsOf({ sessionWarning: 0 }).sessionWarning).toBe(0);
    expect(settingsOf({ sessionLifetime: 120_000, sessionWarning: 60_000 }).sessionWarning).toBe(60_000);
    expect(settingsOf({ slidingSession: true }).slidingSession).toBe(true);
    const error = configurationError({ baseUrl: BASE_URL, appKey: 'k', slidingSession: 'yes' });
    expect(error.message).toBe('slidingSession: must be true or false');
    expect(
      configurationError({ baseUrl: BASE_URL, appKey: 'k', sessionLifetime: 1_000, sessionWarning: 5_000 })
        .option,
    ).toBe('sessionWarning');
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', BASE_URL],
  ])('refuses %s as options, naming "options"', (_, options) => {
    const error = configurationError(options);

    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('EtnaConfigurationError');
    expect(error.kind).toBe('configuration');
    expect(error.option).toBe('options');
    expect(error.message).toBe('options: are required: { baseUrl, appKey }');
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['a number', 42],
    ['null', null],
  ])('refuses an appKey that is %s, naming "appKey"', (_, appKey) => {
    const error = configurationError({ baseUrl: BASE_URL, appKey });

    expect(error.option).toBe('appKey');
    expect(error.message).toBe('appKey: is required');
  });

  it.each([
    ['CR', `${APP_KEY_CANARY}\r`],
    ['LF', `${APP_KEY_CANARY}\nX-Injected: 1`],
    ['CR-LF', `a\r\n${APP_KEY_CANARY}`],
  ])('refuses an appKey with %s without echoing it', (_, appKey) => {
    const error = configurationError({ baseUrl: BASE_URL, appKey });

    expect(error.option).toBe('appKey');
    expect(error.message).toBe(
      'appKey: contains a line break or control character, which cannot travel in an HTTP header',
    );
    expect(error.message).not.toContain(APP_KEY_CANARY);
    expect(String(error)).not.toContain(APP_KEY_CANARY);
    expect(error.stack).not.toContain(APP_KEY_CANARY);
  });

  it('refuses an appKey outside Latin-1 or with surrounding blanks', () => {
    expect(configurationError({ baseUrl: BASE_URL, appKey: 'key€' }).option).toBe('appKey');
    expect(configurationError({ baseUrl: BASE_URL, appKey: ` ${APP_KEY_CANARY}` }).message).toBe(
      'appKey: starts or ends with a space or tab, which HTTP headers drop',
    );
  });

  it.each([
    ['missing', undefined, 'baseUrl: is required, e.g. https://broker.example/api/'],
    ['empty', '', 'baseUrl: is required, e.g. https://broker.example/api/'],
    ['blank', '   ', 'baseUrl: is required, e.g. https://broker.example/api/'],
    ['not a string', 7, 'baseUrl: is required, e.g. https://broker.example/api/'],
    ['malformed', 'broker.example/api', 'baseUrl: is not an absolute URL'],
    ['malformed with a bad port', 'https://broker.example:99999/api', 'baseUrl: is not an absolute URL'],
    ['an ftp: URL', 'ftp://broker.example/api/', 'baseUrl: uses ftp:; only https: is supported'],
    [
      'plain http to a public host',
      'http://broker.example/api/',
      'baseUrl: must use https: (plain http: is allowed only for loopback hosts)',
    ],
    [
      'plain http to a host that only starts like localhost',
      'http://localhost.evil.example/api/',
      'baseUrl: must use https: (plain http: is allowed only for loopback hosts)',
    ],
    [
      'carrying credentials',
      'https://user:secret@broker.example/api/',
      'baseUrl: must not carry credentials',
    ],
    ['carrying a user name only', 'https://user@broker.example/api/', 'baseUrl: must not carry credentials'],
    [
      'carrying a query',
      'https://broker.example/api/?tenant=1',
      'baseUrl: must not carry a query or a fragment',
    ],
    [
      'ending in a bare question mark',
      'https://broker.example/api?',
      'baseUrl: must not carry a query or a fragment',
    ],
    [
      'carrying a fragment',
      'https://broker.example/api/#top',
      'baseUrl: must not carry a query or a fragment',
    ],
  ])('refuses a baseUrl that is %s, naming "baseUrl" and not echoing the appKey', (_, baseUrl, message) => {
    const error = configurationError({ baseUrl, appKey: APP_KEY_CANARY });

    expect(error).toBeInstanceOf(EtnaConfigurationError);
    expect(error.option).toBe('baseUrl');
    expect(error.message).toBe(message);
    expect(`${String(error)} ${error.stack}`).not.toContain(APP_KEY_CANARY);
  });

  it('does not echo the password of a baseUrl that carries credentials', () => {
    const error = configurationError({ baseUrl: 'https://u:pw-canary-81@broker.example/', appKey: 'k' });

    expect(`${String(error)} ${error.stack}`).not.toContain('pw-canary-81');
  });

  it.each([
    ['without //, which parses as the scheme "alice:"', 'alice:pw-canary-81@broker.example/api/'],
    ['under another scheme', 'ftp://alice:pw-canary-81@broker.example/api/'],
    ['that the URL parser refuses', 'https://alice:pw-canary-81@'],
    ['split by a tab the parser drops', 'https://ali\tce:pw-canary-81@broker.example/api/'],
  ])('quotes neither the user nor the password of a baseUrl %s', (_, baseUrl) => {
    const error = configurationError({ baseUrl, appKey: 'k' });

    expect(error.option).toBe('baseUrl');
    for (const part of ['alice', 'ali', 'pw-canary-81']) {
      expect(`${String(error)} ${error.stack}`).not.toContain(part);
    }
  });

  it.each([
    ['http://localhost:8080/api/', 'http://localhost:8080/api/token'],
    ['http://LOCALHOST/api/', 'http://localhost/api/token'],
    ['http://127.0.0.1:3000/api/', 'http://127.0.0.1:3000/api/token'],
    ['http://127.1.2.3/api', 'http://127.1.2.3/api/token'],
    ['http://[::1]:3000/api/', 'http://[::1]:3000/api/token'],
  ])('accepts plain http to the loopback host of %s', (baseUrl, tokenUrl) => {
    expect(tokenUrlOf(baseUrl)).toBe(tokenUrl);
    expect(createEtnaAuthMachine({ baseUrl, appKey: APP_KEY_CANARY }).id).toBe('etnaAuth');
  });

  it.each([
    ['0', 0],
    ['-1', -1],
    ['1.5', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ["'x'", 'x'],
    ["'1000' as a string", '1000'],
    ['2**31', 2 ** 31],
  ])('refuses timeout %s, naming "timeout"', (_, timeout) => {
    const error = configurationError({ baseUrl: BASE_URL, appKey: APP_KEY_CANARY, timeout });

    expect(error.option).toBe('timeout');
    expect(error.message).toBe('timeout: must be a whole number from 1 to 2147483647');
  });

  it('accepts the largest timeout a timer can hold, 2**31 - 1', () => {
    expect(() =>
      createEtnaAuthMachine({ baseUrl: BASE_URL, appKey: APP_KEY_CANARY, timeout: 2 ** 31 - 1 }),
    ).not.toThrow();
  });

  it.each([
    ['0', 0],
    ['-3', -3],
    ['2.5', 2.5],
    ['101', 101],
  ])('refuses maxSteps %s, naming "maxSteps"', (_, maxSteps) => {
    const error = configurationError({ baseUrl: BASE_URL, appKey: APP_KEY_CANARY, maxSteps });

    expect(error.option).toBe('maxSteps');
    expect(error.message).toBe('maxSteps: must be a whole number from 1 to 100');
  });

  it.each([
    ['a string', 'fetch'],
    ['null', null],
    ['an object', { fetch: () => undefined }],
  ])('refuses a fetch that is %s, naming "fetch"', (_, fetch) => {
    const error = configurationError({ baseUrl: BASE_URL, appKey: APP_KEY_CANARY, fetch });

    expect(error.option).toBe('fetch');
    expect(error.message).toBe('fetch: must be a function compatible with globalThis.fetch');
  });
});

describe('tokenUrlOf', () => {
  it.each([
    ['https://h.example/api', 'https://h.example/api/token'],
    ['https://h.example/api/', 'https://h.example/api/token'],
    ['https://h.example/api//', 'https://h.example/api/token'],
    ['https://h.example', 'https://h.example/token'],
    ['https://h.example/', 'https://h.example/token'],
    ['https://h.example/api/token', 'https://h.example/api/token'],
    ['https://h.example/api/token/', 'https://h.example/api/token'],
    ['  https://h.example/api/  ', 'https://h.example/api/token'],
    ['http://127.0.0.1:4000/api/', 'http://127.0.0.1:4000/api/token'],
  ])('resolves %s to %s', (baseUrl, tokenUrl) => {
    expect(tokenUrlOf(baseUrl)).toBe(tokenUrl);
  });
});

describe('configuration edges', () => {
  it.each([
    ['http://notlocalhost/api/', false],
    ['http://localhost.example/api/', false],
    ['http://127.0.0.10:8080/api/', true],
    ['http://127.1.2.3/api/', true],
  ])('treats %s as loopback: %s', (baseUrl, loopback) => {
    if (loopback) expect(tokenUrlOf(baseUrl)).toMatch(/\/api\/token$/);
    else expect(() => tokenUrlOf(baseUrl)).toThrow(/only for loopback/);
  });

  it('trims blanks around the base URL and keeps a path that only starts with "token"', () => {
    expect(tokenUrlOf('  https://h.example/api  ')).toBe('https://h.example/api/token');
    expect(tokenUrlOf('https://h.example/token-service/api')).toBe(
      'https://h.example/token-service/api/token',
    );
  });

  it('accepts a timeout and maxSteps of 1', () => {
    expect(
      resolveOptions({ baseUrl: 'https://h.example', appKey: 'k', timeout: 1, maxSteps: 1 }),
    ).toMatchObject({
      timeout: 1,
      maxSteps: 1,
    });
  });
});
