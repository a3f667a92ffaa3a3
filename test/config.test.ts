import { describe, expect, it } from 'vitest';
import { type AnyActorRef, createActor, waitFor } from 'xstate';
import { EtnaConfigurationError } from '../src/configuration-error.js';
import { headerValueProblem } from '../src/contract/header-value.js';
import {
  createEtnaAuthMachine,
  type EtnaAuthEvent,
  type EtnaAuthOptions,
  selectToken,
} from '../src/index.js';
import { tokenUrlOf } from '../src/options.js';

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

describe('headerValueProblem', () => {
  const VALUE_CANARY = 'hv-canary';

  it.each([
    ['empty', ''],
    ['undefined', undefined],
    ['a number', 1234],
    ['null', null],
  ])('refuses a value that is %s as required', (_, value) => {
    expect(headerValueProblem('password', value)).toBe('password is required');
  });

  it.each([
    ['CR', `${VALUE_CANARY}\r`],
    ['LF', `${VALUE_CANARY}\n`],
    ['NUL', `${VALUE_CANARY}\0x`],
    ['DEL', `${VALUE_CANARY}\x7fx`],
    ['a vertical tab', `${VALUE_CANARY}\vx`],
  ])('refuses a value with %s, naming the field and not the value', (_, value) => {
    const problem = headerValueProblem('username', value);

    expect(problem).toBe(
      'username contains a line break or control character, which cannot travel in an HTTP header',
    );
    expect(problem).not.toContain(VALUE_CANARY);
  });

  it.each([
    ['€', `${VALUE_CANARY}€`],
    ['an emoji', `${VALUE_CANARY}🔑`],
    ['a CJK character', `${VALUE_CANARY}密`],
  ])('refuses a value with %s, which is outside Latin-1', (_, value) => {
    const problem = headerValueProblem('pin', value);

    expect(problem).toBe('pin contains a character outside Latin-1, which cannot travel in an HTTP header');
    expect(problem).not.toContain(VALUE_CANARY);
  });

  it.each([
    ['a leading space', ` ${VALUE_CANARY}`],
    ['a trailing space', `${VALUE_CANARY} `],
    ['a leading tab', `\t${VALUE_CANARY}`],
    ['a trailing tab', `${VALUE_CANARY}\t`],
    ['only a space', ' '],
  ])('refuses a value with %s, which HTTP drops', (_, value) => {
    const problem = headerValueProblem('code', value);

    expect(problem).toBe('code starts or ends with a space or tab, which HTTP headers drop');
    expect(problem).not.toContain(VALUE_CANARY);
  });

  it.each([
    ['plain ASCII', 'alice'],
    ['a tab inside', 'pass\tword'],
    ['a space inside', 'pass word'],
    ['Latin-1 é', 'motdepassé'],
    ['Latin-1 ÿ and ©', 'ÿ©'],
    ['a single character', 'x'],
    ['the whole printable ASCII range', '!"#$%&\'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~'],
  ])('accepts a value with %s', (_, value) => {
    expect(headerValueProblem('password', value)).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// The machine refuses values before anything is sent, and ignores events a state does not take.

type Answer = { status: number; body: object };

const SUCCEEDED: Answer = { status: 200, body: { State: 'Succeeded', Token: 'session+token/==' } };
const PIN_STEP: Answer = {
  status: 202,
  body: { State: 'Expecting', Step: 'SecutityPin', Reason: 'Expecting pin code', Token: 'pin-interim' },
};
const CODE_STEP: Answer = {
  status: 202,
  body: { State: 'Expecting', Step: 'VerificationCode', Reason: 'Expecting confirmation code', Token: 'T1' },
};

/**
 * A fetch that records every request and answers from `answers` in order (200 Succeeded once they run out).
 * With `hold`, each answer waits until `release()` is called.
 */
function scriptedFetch(answers: Answer[] = [], hold = false) {
  const requests: Request[] = [];
  const releases: (() => void)[] = [];
  let arrived: () => void = () => {};
  const firstRequest = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    requests.push(new Request(input, init));
    arrived();
    if (hold) await new Promise<void>((resolve) => releases.push(resolve));
    const { status, body } = answers.shift() ?? SUCCEEDED;
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return {
    fetch: fetch as typeof globalThis.fetch,
    requests,
    firstRequest,
    release: () => {
      for (const release of releases.splice(0)) release();
    },
  };
}

function startActor(fetch: typeof globalThis.fetch) {
  const machine = createEtnaAuthMachine({ baseUrl: 'http://127.0.0.1:9/api/', appKey: 'app-key', fetch });
  return createActor(machine).start();
}

type Actor = ReturnType<typeof startActor>;

const settled = (actor: AnyActorRef) => waitFor(actor, (snapshot) => !snapshot.hasTag('busy'));

const credentials = { type: 'SUBMIT_CREDENTIALS', username: 'bob', password: 'bob-password' } as const;

async function reachPinPrompt(): Promise<{ actor: Actor; requests: Request[] }> {
  const { fetch, requests } = scriptedFetch([PIN_STEP]);
  const actor = startActor(fetch);
  actor.send(credentials);
  await settled(actor);
  expect(actor.getSnapshot().value).toEqual({ expecting: 'securityPin' });
  return { actor, requests };
}

describe('the machine refuses values that cannot travel in a header, before sending anything', () => {
  it.each([
    ['an empty password', { username: 'bob', password: '' }, 'password', 'password is required'],
    [
      'a username with CR-LF',
      { username: 'bob\r\nX-Evil: 1', password: 'bob-password' },
      'username',
      'username contains a line break or control character, which cannot travel in an HTTP header',
    ],
    [
      'a password outside Latin-1',
      { username: 'bob', password: 'pass€word' },
      'password',
      'password contains a character outside Latin-1, which cannot travel in an HTTP header',
    ],
    ['an empty username', { username: '', password: 'bob-password' }, 'username', 'username is required'],
  ])(
    'stays idle on SUBMIT_CREDENTIALS with %s, sets an input error and sends nothing',
    async (_, values, field, message) => {
      const { fetch, requests } = scriptedFetch();
      const actor = startActor(fetch);

      actor.send({ type: 'SUBMIT_CREDENTIALS', ...values });
      const snapshot = actor.getSnapshot();

      expect(snapshot.value).toBe('idle');
      expect(snapshot.hasTag('busy')).toBe(false);
      expect(snapshot.context.error).toEqual({ kind: 'input', field, message });
      expect(snapshot.context.username).toBeUndefined();
      expect(JSON.stringify(snapshot)).not.toContain('pass€word');
      await Promise.resolve();
      expect(requests).toHaveLength(0);
      actor.stop();
    },
  );

  it('clears the input error when valid credentials follow, and logs in', async () => {
    const { fetch, requests } = scriptedFetch();
    const actor = startActor(fetch);

    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: '' });
    expect(actor.getSnapshot().context.error?.kind).toBe('input');
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'alice', password: 'alice-password' });

    expect(actor.getSnapshot().value).toBe('authenticating');
    expect(actor.getSnapshot().context.error).toBeUndefined();
    await settled(actor);
    expect(actor.getSnapshot().value).toBe('succeeded');
    expect(selectToken(actor.getSnapshot())).toBe('session+token/==');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers.get('Username')).toBe('alice');
    actor.stop();
  });

  it('stays at the PIN prompt on an empty SUBMIT_PIN, sets an input error and sends nothing', async () => {
    const { actor, requests } = await reachPinPrompt();

    actor.send({ type: 'SUBMIT_PIN', pin: '' });
    const snapshot = actor.getSnapshot();

    expect(snapshot.value).toEqual({ expecting: 'securityPin' });
    expect(snapshot.context.error).toEqual({ kind: 'input', field: 'pin', message: 'pin is required' });
    expect(snapshot.context.step).toBe('SecutityPin');
    await Promise.resolve();
    expect(requests).toHaveLength(1);
    actor.stop();
  });

  it('clears the PIN input error when a valid PIN follows, and sends it', async () => {
    const { actor, requests } = await reachPinPrompt();

    actor.send({ type: 'SUBMIT_PIN', pin: '' });
    actor.send({ type: 'SUBMIT_PIN', pin: '1234' });

    expect(actor.getSnapshot().value).toBe('authenticating');
    expect(actor.getSnapshot().context.error).toBeUndefined();
    await settled(actor);
    expect(actor.getSnapshot().value).toBe('succeeded');
    expect(requests).toHaveLength(2);
    expect(requests[1]?.headers.get('PinCode')).toBe('1234');
    expect(requests[1]?.headers.get('Authorization')).toBe('Bearer pin-interim');
    actor.stop();
  });

  it('stays at the code prompt on a SUBMIT_VERIFICATION_CODE with a line break, then clears it on a valid code', async () => {
    const { fetch, requests } = scriptedFetch([CODE_STEP]);
    const actor = startActor(fetch);
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'carol', password: 'carol-password' });
    await settled(actor);
    expect(actor.getSnapshot().value).toEqual({ expecting: 'verificationCode' });

    actor.send({ type: 'SUBMIT_VERIFICATION_CODE', code: '\n' });

    expect(actor.getSnapshot().value).toEqual({ expecting: 'verificationCode' });
    expect(actor.getSnapshot().context.error).toEqual({
      kind: 'input',
      field: 'code',
      message: 'code contains a line break or control character, which cannot travel in an HTTP header',
    });
    await Promise.resolve();
    expect(requests).toHaveLength(1);

    actor.send({ type: 'SUBMIT_VERIFICATION_CODE', code: '123456' });
    expect(actor.getSnapshot().value).toBe('authenticating');
    expect(actor.getSnapshot().context.error).toBeUndefined();
    await settled(actor);
    expect(actor.getSnapshot().value).toBe('succeeded');
    expect(requests).toHaveLength(2);
    expect(requests[1]?.headers.get('VerificationCode')).toBe('123456');
    actor.stop();
  });
});

describe('events a state does not take change nothing and send nothing', () => {
  /** Sends `event`, checks `can` said no, and that the snapshot and the request count stayed as they were. */
  function expectIgnored(actor: Actor, requests: Request[], event: EtnaAuthEvent) {
    const before = actor.getSnapshot();
    const sent = requests.length;

    expect(before.can(event)).toBe(false);
    actor.send(event);

    const after = actor.getSnapshot();
    expect(after.value).toEqual(before.value);
    expect(after.context).toEqual(before.context);
    expect(after.hasTag('busy')).toBe(before.hasTag('busy'));
    expect(requests).toHaveLength(sent);
  }

  it('ignores SUBMIT_PIN, SUBMIT_VERIFICATION_CODE, RETRY, CANCEL and LOGOUT in idle', async () => {
    const { fetch, requests } = scriptedFetch();
    const actor = startActor(fetch);

    expectIgnored(actor, requests, { type: 'SUBMIT_PIN', pin: '1234' });
    expectIgnored(actor, requests, { type: 'SUBMIT_VERIFICATION_CODE', code: '123456' });
    expectIgnored(actor, requests, { type: 'RETRY' });
    expectIgnored(actor, requests, { type: 'CANCEL' });
    // No session to end: the login form offers no "Log out".
    expectIgnored(actor, requests, { type: 'LOGOUT' });
    expect(actor.getSnapshot().value).toBe('idle');
    await Promise.resolve();
    expect(requests).toHaveLength(0);
    actor.stop();
  });

  it('ignores RETRY, CANCEL, SUBMIT_CREDENTIALS and SUBMIT_PIN in succeeded, keeping the token', async () => {
    const { fetch, requests } = scriptedFetch();
    const actor = startActor(fetch);
    actor.send(credentials);
    await settled(actor);
    expect(actor.getSnapshot().value).toBe('succeeded');

    expectIgnored(actor, requests, { type: 'RETRY' });
    expectIgnored(actor, requests, { type: 'CANCEL' });
    expectIgnored(actor, requests, credentials);
    expectIgnored(actor, requests, { type: 'SUBMIT_PIN', pin: '1234' });

    await Promise.resolve();
    expect(requests).toHaveLength(1);
    expect(selectToken(actor.getSnapshot())).toBe('session+token/==');
    actor.stop();
  });

  it('ignores a second SUBMIT_CREDENTIALS, a SUBMIT_PIN and a RETRY while busy: one request, for the first submit', async () => {
    const { fetch, requests, firstRequest, release } = scriptedFetch([], true);
    const actor = startActor(fetch);
    actor.send(credentials);
    expect(actor.getSnapshot().hasTag('busy')).toBe(true);

    expectIgnored(actor, requests, {
      type: 'SUBMIT_CREDENTIALS',
      username: 'mallory',
      password: 'other-password',
    });
    expectIgnored(actor, requests, { type: 'SUBMIT_PIN', pin: '1234' });
    expectIgnored(actor, requests, { type: 'RETRY' });
    expect(actor.getSnapshot().context.username).toBe('bob');

    await firstRequest;
    release();
    await settled(actor);

    expect(actor.getSnapshot().value).toBe('succeeded');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers.get('Username')).toBe('bob');
    expect(requests[0]?.headers.get('Password')).toBe('bob-password');
    actor.stop();
  });

  it('ignores SUBMIT_VERIFICATION_CODE, SUBMIT_CREDENTIALS, RETRY and LOGOUT at the PIN prompt', async () => {
    const { actor, requests } = await reachPinPrompt();

    expectIgnored(actor, requests, { type: 'SUBMIT_VERIFICATION_CODE', code: '123456' });
    expectIgnored(actor, requests, credentials);
    expectIgnored(actor, requests, { type: 'RETRY' });
    expectIgnored(actor, requests, { type: 'LOGOUT' });
    await Promise.resolve();
    expect(requests).toHaveLength(1);
    actor.stop();
  });

  it('ignores SUBMIT_CREDENTIALS, SUBMIT_PIN, CANCEL and LOGOUT in failed', async () => {
    const { fetch, requests } = scriptedFetch([
      { status: 401, body: { State: 'Failed', Step: 'BaseAuthentication', Reason: 'Invalid credentials' } },
    ]);
    const actor = startActor(fetch);
    actor.send(credentials);
    await settled(actor);
    expect(actor.getSnapshot().value).toBe('failed');

    expectIgnored(actor, requests, credentials);
    expectIgnored(actor, requests, { type: 'SUBMIT_PIN', pin: '1234' });
    // RETRY is the one way back to the form: CANCEL and LOGOUT would only repeat it or mean nothing.
    expectIgnored(actor, requests, { type: 'CANCEL' });
    expectIgnored(actor, requests, { type: 'LOGOUT' });
    expect(actor.getSnapshot().context.failure).toEqual({
      step: 'BaseAuthentication',
      reason: 'Invalid credentials',
      code: 'rejected',
    });
    actor.stop();
  });

  it('says can() is true for the events a state does take', async () => {
    const { actor } = await reachPinPrompt();
    const snapshot = actor.getSnapshot();

    expect(snapshot.can({ type: 'SUBMIT_PIN', pin: '1234' })).toBe(true);
    expect(snapshot.can({ type: 'CANCEL' })).toBe(true);
    actor.stop();
  });
});
