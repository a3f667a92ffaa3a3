// The statechart in process: the bare machine with stand-in actors, and the composed one with a scripted
// fetch (no server): what each state takes, refuses and ignores, and what it leaves in context.
import { describe, expect, it } from 'vitest';
import { type AnyActorRef, createActor, fromPromise, waitFor } from 'xstate';
import { Secret } from '../../../src/contract/secret.js';
import {
  createEtnaAuthMachine,
  DEFAULT_SESSION_LIFETIME_MS,
  type EtnaAuthEvent,
  selectToken,
  type TokenAnswer,
} from '../../../src/index.js';
import { etnaAuthMachine } from '../../../src/machine/etna-auth-machine.js';

describe('the bare machine', () => {
  it('names the machine etnaAuth, starting in idle: the inspector and the diagram show that name', () => {
    expect(etnaAuthMachine.id).toBe('etnaAuth');
    expect(createActor(etnaAuthMachine).getSnapshot().value).toBe('idle');
  });

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
    const done = await waitFor(actor, (s) => s.matches('succeeded'));
    const expiresAt = done.context.sessionExpiresAt ?? 0;
    expect(expiresAt).toBeGreaterThanOrEqual(before + DEFAULT_SESSION_LIFETIME_MS);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + DEFAULT_SESSION_LIFETIME_MS);
    actor.stop();
  });
});

// ---------------------------------------------------------------------------------------------
// The composed machine, with a fetch that answers from a script: it refuses values before anything is sent,
// ignores events a state does not take, and keeps only the username after CANCEL and RETRY.

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
    ['an empty password', { username: 'bob', password: '' }, 'password', 'password is required', 'required'],
    [
      'a username with CR-LF',
      { username: 'bob\r\nX-Evil: 1', password: 'bob-password' },
      'username',
      'username contains a line break or control character, which cannot travel in an HTTP header',
      'controlCharacter',
    ],
    [
      'a password outside Latin-1',
      { username: 'bob', password: 'pass€word' },
      'password',
      'password contains a character outside Latin-1, which cannot travel in an HTTP header',
      'notLatin1',
    ],
    [
      'an empty username',
      { username: '', password: 'bob-password' },
      'username',
      'username is required',
      'required',
    ],
  ])(
    'stays idle on SUBMIT_CREDENTIALS with %s, sets an input error and sends nothing',
    async (_, values, field, message, problem) => {
      const { fetch, requests } = scriptedFetch();
      const actor = startActor(fetch);

      actor.send({ type: 'SUBMIT_CREDENTIALS', ...values });
      const snapshot = actor.getSnapshot();

      expect(snapshot.value).toBe('idle');
      expect(snapshot.hasTag('busy')).toBe(false);
      expect(snapshot.context.error).toEqual({ kind: 'input', field, message, problem });
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
    expect(actor.getSnapshot().value).toEqual({ succeeded: 'active' });
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
    expect(snapshot.context.error).toEqual({
      kind: 'input',
      field: 'pin',
      message: 'pin is required',
      problem: 'required',
    });
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
    expect(actor.getSnapshot().value).toEqual({ succeeded: 'active' });
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
      problem: 'controlCharacter',
    });
    await Promise.resolve();
    expect(requests).toHaveLength(1);

    actor.send({ type: 'SUBMIT_VERIFICATION_CODE', code: '123456' });
    expect(actor.getSnapshot().value).toBe('authenticating');
    expect(actor.getSnapshot().context.error).toBeUndefined();
    await settled(actor);
    expect(actor.getSnapshot().value).toEqual({ succeeded: 'active' });
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
    expect(actor.getSnapshot().value).toEqual({ succeeded: 'active' });

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

    expect(actor.getSnapshot().value).toEqual({ succeeded: 'active' });
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

describe('what CANCEL and RETRY leave in context', () => {
  const answers: Record<string, () => Response> = {
    pin: () =>
      Response.json(
        { State: 'Expecting', Step: 'SecutityPin', Reason: 'Invalid pin', Token: 'i' },
        { status: 202 },
      ),
    code: () =>
      Response.json(
        { State: 'Expecting', Step: 'VerificationCode', Reason: 'Expecting code', Token: 'i' },
        { status: 202 },
      ),
    failed: () =>
      Response.json(
        { State: 'Failed', Step: 'BaseAuthentication', Reason: 'Invalid credentials' },
        { status: 401 },
      ),
    error: () => new Response('<html>', { status: 500 }),
  };

  it.each([
    ['pin', 'CANCEL'],
    ['code', 'CANCEL'],
    ['failed', 'RETRY'],
    ['error', 'CANCEL'],
  ] as const)('after a %s answer, %s returns to idle keeping only the username', async (answer, event) => {
    const machine = createEtnaAuthMachine({
      baseUrl: 'https://h.example/api/',
      appKey: 'k',
      fetch: async () => answers[answer]?.() ?? new Response(null, { status: 500 }),
    });
    const actor = createActor(machine).start();
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'ada', password: 'pw' });
    const before = await waitFor(actor, (s) => !s.hasTag('busy'));
    expect(before.context.step ?? before.context.error).toBeDefined();
    actor.send({ type: event });
    const { value, context } = actor.getSnapshot();
    expect(value).toBe('idle');
    expect(context).toMatchObject({
      username: 'ada',
      step: undefined,
      reason: undefined,
      failure: undefined,
      error: undefined,
    });
    expect(context.request).toBeUndefined();
    expect(context.interimToken).toBeUndefined();
    actor.stop();
  });
});

describe('CANCEL while a request is in flight', () => {
  it('forgets the request and its secrets, keeping only the username', async () => {
    const machine = createEtnaAuthMachine({
      baseUrl: 'https://h.example/api/',
      appKey: 'k',
      fetch: (input, init) =>
        new Promise((_, reject) => {
          const { signal } = new Request(input, init);
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
    });
    const actor = createActor(machine).start();
    actor.send({ type: 'SUBMIT_CREDENTIALS', username: 'ada', password: 'pw' });
    expect(actor.getSnapshot().context.request).toBeDefined();
    actor.send({ type: 'CANCEL' });
    expect(actor.getSnapshot().value).toBe('idle');
    expect(actor.getSnapshot().context).toMatchObject({ username: 'ada', request: undefined, stepCount: 0 });
    actor.stop();
  });
});
