import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, createActor, type SnapshotFrom, waitFor } from 'xstate';
import {
  createEtnaAuthMachine,
  type EtnaAuthEvent,
  type EtnaAuthMachine,
  type EtnaAuthOptions,
  selectToken,
} from '../../src/index.js';
import {
  type FakeEtnaServer,
  type FakeEtnaServerOptions,
  type FakeEtnaUser,
  type FakeFault,
  startFakeEtnaServer,
} from '../../src/testing/index.js';

type AuthActor = Actor<EtnaAuthMachine>;
type AuthSnapshot = SnapshotFrom<EtnaAuthMachine>;

/** Long enough for any loopback answer; tests that need a timeout pass their own. */
const TIMEOUT_MS = 3_000;
/** Time after an outcome in which an automatic retry would have shown up in the request log. */
const QUIET_MS = 150;

let server: FakeEtnaServer;
const extraServers: FakeEtnaServer[] = [];
const actors: AuthActor[] = [];

beforeEach(async () => {
  server = await startFakeEtnaServer();
});

afterEach(async () => {
  for (const actor of actors.splice(0)) actor.stop();
  await Promise.all([server.close(), ...extraServers.splice(0).map((extra) => extra.close())]);
});

/** A server with options of its own, closed after the test. */
async function startExtra(options: FakeEtnaServerOptions): Promise<FakeEtnaServer> {
  const extra = await startFakeEtnaServer(options);
  extraServers.push(extra);
  return extra;
}

/** A started actor running the real ky service against `target`; stopped after the test. */
function startActor(target: FakeEtnaServer = server, options: Partial<EtnaAuthOptions> = {}): AuthActor {
  const actor = createActor(
    createEtnaAuthMachine({ baseUrl: target.url, appKey: target.appKey, timeout: TIMEOUT_MS, ...options }),
  );
  actors.push(actor);
  actor.start();
  return actor;
}

/** Sends one event and waits until no request is in flight. */
function send(actor: AuthActor, event: EtnaAuthEvent): Promise<AuthSnapshot> {
  actor.send(event);
  return waitFor(actor, (snapshot) => !snapshot.hasTag('busy'), { timeout: 10_000 });
}

const login = (username: string, password = `${username}-password`): EtnaAuthEvent => ({
  type: 'SUBMIT_CREDENTIALS',
  username,
  password,
});

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits a while and checks that no further request was sent on its own. */
async function expectRequestCountStays(target: FakeEtnaServer, count: number): Promise<void> {
  await pause(QUIET_MS);
  expect(target.requests).toHaveLength(count);
}

function requestAt(target: FakeEtnaServer, index: number) {
  const request = target.requests[index];
  if (!request) throw new Error(`no request at index ${index}`);
  return request;
}

describe('example 1: single factor', () => {
  it('logs alice in with one POST carrying Et-App-Key, Username, Password, Accept and Content-Length 0', async () => {
    const actor = startActor();
    const snapshot = await send(actor, login('alice'));

    expect(snapshot.value).toEqual({ succeeded: 'active' });
    const token = selectToken(snapshot);
    expect(token).toMatch(/^[A-Za-z0-9+/]+=+$/);
    expect(server.sessionOwner(token ?? '')).toBe('alice');
    expect(snapshot.context).toMatchObject({ username: 'alice', failure: undefined, error: undefined });

    await expectRequestCountStays(server, 1);
    const request = requestAt(server, 0);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/api/token');
    expect(request.header('et-app-key')).toBe(server.appKey);
    expect(request.header('username')).toBe('alice');
    expect(request.header('password')).toBe('alice-password');
    expect(request.header('accept')).toBe('application/json');
    expect(request.header('content-length')).toBe('0');
    expect(request.header('transfer-encoding')).toBeUndefined();
    expect(request.header('authorization')).toBeUndefined();
    expect(request.header('pincode')).toBeUndefined();
    expect(request.header('verificationcode')).toBeUndefined();
  });
});

describe('example 2: two factor', () => {
  it('asks carol for the verification code with the server Step and Reason, then logs her in', async () => {
    const actor = startActor();
    const expecting = await send(actor, login('carol'));

    expect(expecting.value).toEqual({ expecting: 'verificationCode' });
    expect(expecting.context.step).toBe('VerificationCode');
    expect(expecting.context.reason).toBe('Expecting confirmation code');
    expect(selectToken(expecting)).toBeUndefined();
    expect(server.requests).toHaveLength(1);

    const done = await send(actor, { type: 'SUBMIT_VERIFICATION_CODE', code: '123456' });
    expect(done.value).toEqual({ succeeded: 'active' });
    expect(server.sessionOwner(selectToken(done) ?? '')).toBe('carol');

    await expectRequestCountStays(server, 2);
    const second = requestAt(server, 1);
    expect(second.header('authorization')).toMatch(/^Bearer [A-Za-z0-9+/]+=+$/);
    expect(second.header('verificationcode')).toBe('123456');
    expect(second.header('username')).toBe('carol');
    expect(second.header('password')).toBe('carol-password');
    expect(second.header('et-app-key')).toBe(server.appKey);
    expect(second.header('content-length')).toBe('0');
    expect(second.header('pincode')).toBeUndefined();
  });

  it('ends in failed with the server Step and Reason for a wrong verification code', async () => {
    const actor = startActor();
    await send(actor, login('carol'));
    const snapshot = await send(actor, { type: 'SUBMIT_VERIFICATION_CODE', code: '000000' });

    expect(snapshot.value).toBe('failed');
    expect(snapshot.context.failure).toEqual({
      step: 'VerificationCode',
      reason: 'Invalid verification code',
      code: 'rejected',
    });
    expect(selectToken(snapshot)).toBeUndefined();
    await expectRequestCountStays(server, 2);
  });
});

describe('example 3: security PIN', () => {
  it('keeps bob on the PIN prompt with reason Invalid pin after a wrong PIN, then accepts the right one', async () => {
    const actor = startActor();
    const asked = await send(actor, login('bob'));
    expect(asked.value).toEqual({ expecting: 'securityPin' });
    expect(asked.context).toMatchObject({ step: 'SecutityPin', reason: 'Expecting pin code' });

    const wrong = await send(actor, { type: 'SUBMIT_PIN', pin: '0000' });
    expect(wrong.value).toEqual({ expecting: 'securityPin' });
    expect(wrong.context).toMatchObject({ step: 'SecutityPin', reason: 'Invalid pin', failure: undefined });

    const right = await send(actor, { type: 'SUBMIT_PIN', pin: '1234' });
    expect(right.value).toEqual({ succeeded: 'active' });
    expect(server.sessionOwner(selectToken(right) ?? '')).toBe('bob');

    await expectRequestCountStays(server, 3);
    const [, second, third] = [0, 1, 2].map((index) => requestAt(server, index));
    expect(second?.header('pincode')).toBe('0000');
    expect(third?.header('pincode')).toBe('1234');
    // Unknown 3: the PIN step repeats the credentials, which the server tolerates.
    expect(third?.header('username')).toBe('bob');
    expect(third?.header('password')).toBe('bob-password');
    expect(third?.header('verificationcode')).toBeUndefined();
    // Each 202 issues a new interim token, and the next request carries the latest one.
    expect(second?.header('authorization')).toMatch(/^Bearer \S+$/);
    expect(third?.header('authorization')).toMatch(/^Bearer \S+$/);
    expect(third?.header('authorization')).not.toBe(second?.header('authorization'));
  });

  it('ends in failed with SecutityPin / Invalid pin at the last wrong PIN the server allows', async () => {
    const actor = startActor();
    await send(actor, login('bob'));
    for (const attempt of [1, 2]) {
      const wrong = await send(actor, { type: 'SUBMIT_PIN', pin: '0000' });
      expect(wrong.value, `wrong PIN ${attempt}`).toEqual({ expecting: 'securityPin' });
      expect(wrong.context.reason).toBe('Invalid pin');
    }
    const last = await send(actor, { type: 'SUBMIT_PIN', pin: '0000' });

    expect(last.value).toBe('failed');
    expect(last.context.failure).toEqual({ step: 'SecutityPin', reason: 'Invalid pin', code: 'rejected' });
    expect(selectToken(last)).toBeUndefined();
    await expectRequestCountStays(server, 4);
  });

  it('logs bob in when the server spells the PIN step SecurityPin', async () => {
    const custom = await startExtra({ pinStepName: 'SecurityPin' });
    const actor = startActor(custom);
    const asked = await send(actor, login('bob'));
    expect(asked.value).toEqual({ expecting: 'securityPin' });
    expect(asked.context.step).toBe('SecurityPin');

    const done = await send(actor, { type: 'SUBMIT_PIN', pin: '1234' });
    expect(done.value).toEqual({ succeeded: 'active' });
    expect(custom.sessionOwner(selectToken(done) ?? '')).toBe('bob');
  });

  it.each(['SECUTITYPIN', 'securitypin', 'SecurityPin'])(
    'reaches expecting.securityPin for a scripted Step spelled %s',
    async (step) => {
      server.inject({
        kind: 'respond',
        status: 202,
        body: { State: 'Expecting', Step: step, Reason: 'Expecting pin code', Token: 'scripted+interim/T1=' },
      });
      const actor = startActor();
      const snapshot = await send(actor, login('bob'));

      expect(snapshot.value).toEqual({ expecting: 'securityPin' });
      expect(snapshot.context.step).toBe(step);
      await expectRequestCountStays(server, 1);
    },
  );
});

describe('unknown 4: both a verification code and a PIN', () => {
  it('asks dave for the code, then the PIN, in three requests', async () => {
    const actor = startActor();
    const code = await send(actor, login('dave'));
    expect(code.value).toEqual({ expecting: 'verificationCode' });
    const pin = await send(actor, { type: 'SUBMIT_VERIFICATION_CODE', code: '654321' });
    expect(pin.value).toEqual({ expecting: 'securityPin' });
    expect(pin.context.step).toBe('SecutityPin');
    const done = await send(actor, { type: 'SUBMIT_PIN', pin: '4321' });
    expect(done.value).toEqual({ succeeded: 'active' });
    expect(server.sessionOwner(selectToken(done) ?? '')).toBe('dave');

    await expectRequestCountStays(server, 3);
    expect(requestAt(server, 1).header('verificationcode')).toBe('654321');
    expect(requestAt(server, 1).header('pincode')).toBeUndefined();
    expect(requestAt(server, 2).header('pincode')).toBe('4321');
    expect(requestAt(server, 2).header('verificationcode')).toBeUndefined();
  });

  it('follows a server that asks for the PIN before the code', async () => {
    const users: FakeEtnaUser[] = [
      {
        username: 'pat',
        password: 'pat-password',
        pin: '11',
        verificationCode: '22',
        stepOrder: ['securityPin', 'verificationCode'],
      },
    ];
    const custom = await startExtra({ users });
    const actor = startActor(custom);
    const pin = await send(actor, login('pat'));
    expect(pin.value).toEqual({ expecting: 'securityPin' });
    const code = await send(actor, { type: 'SUBMIT_PIN', pin: '11' });
    expect(code.value).toEqual({ expecting: 'verificationCode' });
    const done = await send(actor, { type: 'SUBMIT_VERIFICATION_CODE', code: '22' });
    expect(done.value).toEqual({ succeeded: 'active' });
    expect(custom.sessionOwner(selectToken(done) ?? '')).toBe('pat');
    await expectRequestCountStays(custom, 3);
  });
});

describe('example 4 and unknown 2: wrong application key', () => {
  it('ends in error kind appKey with status 403, never retries, and does not offer RETRY (it would resend the bad key)', async () => {
    const actor = startActor(server, { appKey: 'wrong-app-key' });
    const snapshot = await send(actor, login('alice'));

    expect(snapshot.value).toBe('error');
    expect(snapshot.context.error).toMatchObject({ kind: 'appKey', status: 403 });
    expect(snapshot.context.failure).toBeUndefined();
    await expectRequestCountStays(server, 1);
    expect(requestAt(server, 0).header('et-app-key')).toBe('wrong-app-key');

    expect(snapshot.can({ type: 'RETRY' })).toBe(false);
    expect(snapshot.can({ type: 'CANCEL' })).toBe(true);
    const retried = await send(actor, { type: 'RETRY' });
    expect(retried.value).toBe('error');
    expect(retried.context.error).toMatchObject({ kind: 'appKey', status: 403 });
    await expectRequestCountStays(server, 1);
    expect((await send(actor, { type: 'CANCEL' })).value).toBe('idle');
  });

  it('ends in error kind appKey with status 401 when the server answers a bad key with 401', async () => {
    const custom = await startExtra({ badAppKeyStatus: 401, appKey: 'server-app-key' });
    const actor = startActor(custom, { appKey: 'client-app-key' });
    const snapshot = await send(actor, login('alice'));

    expect(snapshot.value).toBe('error');
    expect(snapshot.context.error).toMatchObject({ kind: 'appKey', status: 401 });
    await expectRequestCountStays(custom, 1);
  });
});

describe('example 5 and other rejections', () => {
  it('ends in failed with BaseAuthentication / Invalid credentials, and RETRY returns to idle keeping the username', async () => {
    const actor = startActor();
    const snapshot = await send(actor, login('alice', 'wrong-password'));

    expect(snapshot.value).toBe('failed');
    expect(snapshot.context.failure).toEqual({
      step: 'BaseAuthentication',
      reason: 'Invalid credentials',
      code: 'rejected',
    });
    expect(snapshot.context).toMatchObject({ step: 'BaseAuthentication', reason: 'Invalid credentials' });
    await expectRequestCountStays(server, 1);

    const idle = await send(actor, { type: 'RETRY' });
    expect(idle.value).toBe('idle');
    expect(idle.context).toMatchObject({ username: 'alice', failure: undefined, error: undefined });
    await expectRequestCountStays(server, 1);

    const again = await send(actor, login('alice'));
    expect(again.value).toEqual({ succeeded: 'active' });
    expect(server.requests).toHaveLength(2);
  });

  it('ends in failed with Corrupted ticket when the interim token was never issued by the server', async () => {
    const forged = 'never+issued/interim==';
    server.inject({
      kind: 'respond',
      status: 202,
      body: { State: 'Expecting', Step: 'SecutityPin', Reason: 'Expecting pin code', Token: forged },
    });
    const actor = startActor();
    const asked = await send(actor, login('bob'));
    expect(asked.value).toEqual({ expecting: 'securityPin' });

    const snapshot = await send(actor, { type: 'SUBMIT_PIN', pin: '1234' });
    expect(snapshot.value).toBe('failed');
    expect(snapshot.context.failure).toEqual({
      step: 'BaseAuthentication',
      reason: 'Corrupted ticket',
      code: 'rejected',
    });
    await expectRequestCountStays(server, 2);
    // The opaque token travels verbatim: not URL-encoded, trimmed or parsed.
    expect(requestAt(server, 1).header('authorization')).toBe(`Bearer ${forged}`);
    expect(requestAt(server, 1).outcome).toBe(401);
  });

  it('asks for a new password when the password has expired (erin), sending nothing more by itself', async () => {
    const actor = startActor();
    const snapshot = await send(actor, login('erin'));

    expect(snapshot.value).toEqual({ passwordChange: 'editing' });
    expect(snapshot.context).toMatchObject({
      step: 'BaseAuthentication',
      reason: 'Your Password has expired and must be changed',
      failure: undefined,
    });
    await expectRequestCountStays(server, 1);
  });

  it('loads the security images for a user without a PIN (frank), then waits for the choice', async () => {
    const actor = startActor();
    const snapshot = await send(actor, login('frank'));

    expect(snapshot.value).toEqual({ pinSetup: 'choosing' });
    expect(snapshot.context.reason).toBe('PIN code is not init');
    expect(snapshot.context.securityImages?.length).toBeGreaterThan(0);
    await expectRequestCountStays(server, 2);
  });

  it.each([
    ['ChangePassword', { ConfirmationToken: 'confirm+token/==' }, { passwordChange: 'editing' }],
    ['BaseAuthentication', { Token: 'change+token/==' }, { passwordChange: 'editing' }],
    ['ChangePassword', {}, 'failed'],
  ] as const)(
    'a 202 password-expired answer with Step %s and %o goes to %o (unknown 5)',
    async (step, tokens, value) => {
      server.inject({
        kind: 'respond',
        status: 202,
        body: {
          State: 'Expecting',
          Step: step,
          Reason: 'Your Password has expired and must be changed',
          ...tokens,
        },
      });
      const actor = startActor();
      const snapshot = await send(actor, login('alice'));

      expect(snapshot.value).toEqual(value);
      expect(snapshot.context.step).toBe(step);
      if (value === 'failed') {
        // Without a token to change it with, the chart cannot finish it: the app sends the user elsewhere.
        expect(snapshot.context.failure).toEqual({
          step,
          reason: 'Your Password has expired and must be changed',
          code: 'passwordExpired',
        });
      }
      expect(selectToken(snapshot)).toBeUndefined();
      await expectRequestCountStays(server, 1);
    },
  );

  it('ends in failed when an Expecting answer comes with HTTP 401', async () => {
    server.inject({
      kind: 'respond',
      status: 401,
      body: { State: 'Expecting', Step: 'SecutityPin', Reason: 'Expecting pin code', Token: 'abc+def/g=' },
    });
    const actor = startActor();
    const snapshot = await send(actor, login('bob'));

    expect(snapshot.value).toBe('failed');
    expect(snapshot.context.failure).toEqual({
      step: 'SecutityPin',
      reason: 'Expecting pin code',
      code: 'rejected',
    });
    await expectRequestCountStays(server, 1);
  });
  it.each([400, 403])(
    'ends in failed for a Failed body sent with HTTP %i (the body decides, not the status)',
    async (status) => {
      server.inject({
        kind: 'respond',
        status,
        body: { State: 'Failed', Step: 'BaseAuthentication', Reason: 'Corrupted ticket' },
      });
      const actor = startActor();
      const snapshot = await send(actor, login('alice'));

      expect(snapshot.value).toBe('failed');
      expect(snapshot.context.failure).toEqual({
        step: 'BaseAuthentication',
        reason: 'Corrupted ticket',
        code: 'rejected',
      });
      await expectRequestCountStays(server, 1);
    },
  );

  it('sends one request only when SUBMIT_CREDENTIALS arrives twice while the first is in flight', async () => {
    server.inject({ kind: 'delay', ms: 100 });
    const actor = startActor();
    actor.send(login('alice'));
    const snapshot = await send(actor, login('alice', 'other-password'));

    expect(snapshot.value).toEqual({ succeeded: 'active' });
    expect(server.sessionOwner(selectToken(snapshot) ?? '')).toBe('alice');
    await expectRequestCountStays(server, 1);
  });
});

describe('tolerated answer variations', () => {
  const extras = { ConfirmationToken: 'confirm+token/==', PersonalPhrase: 'blue horse', Image: { Id: 7 } };

  it('accepts a text/json success with unknown extra fields and keeps the token verbatim', async () => {
    const token = 'scripted+session/token==';
    server.inject({
      kind: 'respond',
      status: 200,
      body: { State: 'Succeeded', Token: token, ...extras },
      headers: { 'Content-Type': 'text/json' },
    });
    const actor = startActor();
    const snapshot = await send(actor, login('alice'));

    expect(snapshot.value).toEqual({ succeeded: 'active' });
    expect(selectToken(snapshot)).toBe(token);
    await expectRequestCountStays(server, 1);
  });

  it('accepts a text/json failure with unknown extra fields', async () => {
    server.inject({
      kind: 'respond',
      status: 401,
      body: { State: 'Failed', Step: 'BaseAuthentication', Reason: 'Invalid credentials', ...extras },
      headers: { 'Content-Type': 'text/json; charset=utf-8' },
    });
    const actor = startActor();
    const snapshot = await send(actor, login('alice'));

    expect(snapshot.value).toBe('failed');
    expect(snapshot.context.failure).toEqual({
      step: 'BaseAuthentication',
      reason: 'Invalid credentials',
      code: 'rejected',
    });
  });

  it('accepts an Expecting answer with unknown extra fields', async () => {
    server.inject({
      kind: 'respond',
      status: 202,
      body: {
        State: 'Expecting',
        Step: 'VerificationCode',
        Reason: 'Expecting confirmation code',
        Token: 'a+b/c=',
        ...extras,
      },
      headers: { 'Content-Type': 'text/json' },
    });
    const actor = startActor();
    const snapshot = await send(actor, login('carol'));

    expect(snapshot.value).toEqual({ expecting: 'verificationCode' });
    expect(snapshot.context.reason).toBe('Expecting confirmation code');
  });
});

describe('no usable answer: the error state', () => {
  interface ErrorCase {
    readonly name: string;
    readonly fault: FakeFault;
    readonly timeout?: number;
    readonly error: Record<string, unknown>;
  }

  const cases: ErrorCase[] = [
    {
      name: '429 with Retry-After 1 as rateLimited after 1000 ms',
      fault: { kind: 'rateLimited', retryAfter: '1' },
      error: { kind: 'rateLimited', status: 429, retryAfterMs: 1000 },
    },
    {
      name: '500 with an HTML body as http 500',
      fault: { kind: 'serverError' },
      error: { kind: 'http', status: 500 },
    },
    {
      name: 'malformed JSON as protocol',
      fault: { kind: 'malformedJson' },
      error: { kind: 'protocol', status: 200 },
    },
    {
      name: 'a Succeeded answer without Token as protocol',
      fault: { kind: 'respond', status: 200, body: { State: 'Succeeded' } },
      error: { kind: 'protocol', status: 200 },
    },
    {
      name: 'a dropped connection as network',
      fault: { kind: 'drop' },
      error: { kind: 'network' },
    },
    {
      name: 'a hanging server as timeout',
      fault: { kind: 'hang' },
      timeout: 1_000,
      error: { kind: 'timeout' },
    },
  ];

  it.each(cases)('reports $name, sends no request by itself, and resends once on RETRY', async (testCase) => {
    server.inject(testCase.fault);
    const actor = startActor(server, testCase.timeout ? { timeout: testCase.timeout } : {});
    const snapshot = await send(actor, login('alice'));

    expect(snapshot.value).toBe('error');
    expect(snapshot.context.error).toMatchObject(testCase.error);
    expect(snapshot.context.error?.message).toEqual(expect.any(String));
    expect(selectToken(snapshot)).toBeUndefined();
    await expectRequestCountStays(server, 1);
    if (testCase.error.kind === 'rateLimited') {
      // Not offered before Retry-After has passed; then offered by the machine's own timer, with nothing sent.
      expect(snapshot.can({ type: 'RETRY' })).toBe(false);
      await waitFor(actor, (current) => current.can({ type: 'RETRY' }), { timeout: 10_000 });
      await expectRequestCountStays(server, 1);
    }

    const retried = await send(actor, { type: 'RETRY' });
    expect(retried.value).toEqual({ succeeded: 'active' });
    expect(retried.context.error).toBeUndefined();
    expect(server.sessionOwner(selectToken(retried) ?? '')).toBe('alice');
    await expectRequestCountStays(server, 2);
  });

  it('aborts the hanging request at the timeout so the server sees the client go away', async () => {
    server.inject({ kind: 'hang' });
    const actor = startActor(server, { timeout: 300 });
    const started = performance.now();
    const snapshot = await send(actor, login('alice'));

    expect(snapshot.context.error?.kind).toBe('timeout');
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    const ended = await server.waitForEnd(0);
    expect(ended.outcome).toBe('hang');
    expect(ended.aborted).toBe(true);
  });

  it('stops after maxSteps Expecting answers in a row with a protocol error, after maxSteps + 1 requests', async () => {
    const endless: FakeFault = {
      kind: 'respond',
      status: 202,
      body: { State: 'Expecting', Step: 'SecutityPin', Reason: 'Invalid pin', Token: 'loop+token/==' },
    };
    server.inject(...Array.from({ length: 20 }, () => endless));
    const actor = startActor(server, { maxSteps: 3 });

    let snapshot = await send(actor, login('bob'));
    const states: unknown[] = [snapshot.value];
    while (snapshot.matches({ expecting: 'securityPin' }) && states.length < 10) {
      snapshot = await send(actor, { type: 'SUBMIT_PIN', pin: '1234' });
      states.push(snapshot.value);
    }

    expect(states).toEqual([
      { expecting: 'securityPin' },
      { expecting: 'securityPin' },
      { expecting: 'securityPin' },
      'error',
    ]);
    expect(snapshot.context.error?.kind).toBe('protocol');
    await expectRequestCountStays(server, 4);
  });
});

describe('cancel and logout', () => {
  it('returns to idle on CANCEL at once, aborts the request, and no late answer changes the state', async () => {
    server.inject({ kind: 'delay', ms: 200 });
    const actor = startActor();
    actor.send(login('alice'));
    await server.waitForRequests(1);
    expect(actor.getSnapshot().value).toBe('authenticating');

    actor.send({ type: 'CANCEL' });
    expect(actor.getSnapshot().value).toBe('idle');
    const ended = await server.waitForEnd(0);
    expect(ended.aborted).toBe(true);

    await pause(400);
    const snapshot = actor.getSnapshot();
    expect(snapshot.value).toBe('idle');
    expect(selectToken(snapshot)).toBeUndefined();
    expect(snapshot.context).toMatchObject({ username: 'alice', error: undefined, failure: undefined });
    expect(server.requests).toHaveLength(1);
  });

  it.each(['CANCEL'] as const)(
    'ignores an answer that arrives after %s even when fetch does not honour the abort',
    async (type) => {
      server.inject({ kind: 'delay', ms: 200 });
      // A fetch that drops the abort signal (the request's and the init's), so the real answer does reach the service late.
      const deafFetch: typeof fetch = (input, init) =>
        globalThis.fetch(new Request(input as Request, { signal: null }), { ...init, signal: null });
      const actor = startActor(server, { fetch: deafFetch });
      actor.send(login('alice'));
      await server.waitForRequests(1);

      actor.send({ type });
      expect(actor.getSnapshot().value).toBe('idle');
      const ended = await server.waitForEnd(0);
      expect(ended.outcome).toBe(200);
      expect(ended.aborted).toBe(false);

      await pause(200);
      const snapshot = actor.getSnapshot();
      expect(snapshot.value).toBe('idle');
      expect(selectToken(snapshot)).toBeUndefined();
      expect(snapshot.context.sessionToken).toBeUndefined();
    },
  );

  it('on LOGOUT in succeeded, tells the server with POST /logout and forgets the session', async () => {
    const actor = startActor();
    const done = await send(actor, login('alice'));
    const token = selectToken(done) ?? '';
    expect(server.isSessionActive(token)).toBe(true);

    actor.send({ type: 'LOGOUT' });
    expect(actor.getSnapshot().value).toBe('loggingOut');
    expect(actor.getSnapshot().hasTag('busy')).toBe(true);
    expect(selectToken(actor.getSnapshot())).toBeUndefined();
    const snapshot = await waitFor(actor, (state) => !state.hasTag('busy'), { timeout: 10_000 });
    expect(snapshot.value).toBe('idle');
    expect(snapshot.context).toMatchObject({
      username: 'alice',
      reason: 'loggedOut',
      sessionToken: undefined,
    });
    expect(server.requests.map((request) => request.path)).toEqual(['/api/token', '/api/logout']);
    expect(server.requests[1]?.header('authorization')).toBe(`Bearer ${token}`);
    expect(server.requests[1]?.header('et-app-key')).toBe(server.appKey);
    expect(server.isSessionActive(token)).toBe(false);
  });

  it('with serverLogout false, forgets the session on LOGOUT without sending a request', async () => {
    const actor = startActor(server, { serverLogout: false });
    const done = await send(actor, login('alice'));
    const token = selectToken(done) ?? '';
    const snapshot = await send(actor, { type: 'LOGOUT' });
    expect(snapshot.value).toBe('idle');
    expect(snapshot.context).toMatchObject({ reason: 'loggedOut', sessionToken: undefined });
    await expectRequestCountStays(server, 1);
    expect(server.isSessionActive(token)).toBe(true);
  });
});

describe('base URL forms', () => {
  it.each([
    ['with a trailing slash', (url: string) => url],
    ['without a trailing slash', (url: string) => url.replace(/\/$/, '')],
    ['ending in /token', (url: string) => `${url}token`],
  ])('posts to /api/token for a base URL %s', async (_form, baseUrlOf) => {
    const actor = startActor(server, { baseUrl: baseUrlOf(server.url) });
    const snapshot = await send(actor, login('alice'));

    expect(snapshot.value).toEqual({ succeeded: 'active' });
    expect(server.sessionOwner(selectToken(snapshot) ?? '')).toBe('alice');
    expect(server.requests.map((request) => request.path)).toEqual(['/api/token']);
  });
});
