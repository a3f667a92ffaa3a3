// One model path, run by the real actor and its ky services against the fake ETNA server over loopback: each step
// performed as the model says (its server answer injected first), and what the UI shows checked after it, with the
// requests the server saw, the token held and what the storage keeps. The model paths and the transition pairs'
// paths both run here.
import { HTTPError } from 'ky';
import { expect } from 'vitest';
import { createActor, SimulatedClock, waitFor } from 'xstate';
import { createEtnaClient } from '../../src/client/index.js';
import { DEFAULT_PERSIST_KEY, selectToken } from '../../src/index.js';
import {
  createModelMachine,
  expectationOf,
  FAKE_ETNA_ROUTES,
  type FakeEtnaServer,
  type FakeFault,
  MODEL_BUSY_ENDPOINTS,
  MODEL_INTERIM_TOKENS,
  MODEL_OTHER_USER,
  MODEL_OUTCOMES,
  MODEL_PASSWORD_CHANGE_TOKEN,
  MODEL_PIN_SETUP_TOKENS,
  MODEL_RESET_TOKEN,
  MODEL_SESSION_TOKEN,
  MODEL_SESSION_WARNING_MS,
  MODEL_USER,
  type ModelPath,
  type ModelUserEvent,
  modelOtherTabWrite,
  type RecordedRequest,
  stateValueName,
} from '../../src/testing/index.js';

/**
 * XState's simulated clock, noting when each pending timer fires: the clock does not move `Date.now()`, so after a
 * step has moved it on, the machine's next timers are found here rather than computed from context times.
 */
function trackedClock() {
  const simulated = new SimulatedClock();
  const pending = new Map<unknown, number>();
  return {
    setTimeout(fn: (...args: unknown[]) => void, timeout: number) {
      const id: unknown = simulated.setTimeout(() => {
        pending.delete(id);
        fn();
      }, timeout);
      pending.set(id, simulated.now() + timeout);
      return id as ReturnType<typeof simulated.setTimeout>;
    },
    clearTimeout(id: unknown) {
      pending.delete(id);
      simulated.clearTimeout(id as ReturnType<typeof simulated.setTimeout>);
    },
    increment: (ms: number) => simulated.increment(ms),
    /** Milliseconds until the last pending timer fires. */
    untilLastTimer(): number {
      if (pending.size === 0) throw new Error('no timer is set');
      return Math.max(...pending.values()) - simulated.now();
    },
  };
}

/** The headers the model says the request started by `event` carries. */
function expectedHeaders(
  event: ModelUserEvent,
  interim: string | undefined,
  previous: Record<string, string>,
  newPassword: string | undefined,
) {
  const base = { username: MODEL_USER.username, password: newPassword ?? MODEL_USER.password };
  switch (event.type) {
    case 'SUBMIT_CREDENTIALS':
    case 'RESEND_CODE':
      return base;
    case 'SUBMIT_PIN':
      return { ...base, authorization: `Bearer ${interim}`, pincode: event.pin };
    case 'SUBMIT_VERIFICATION_CODE':
      return { ...base, authorization: `Bearer ${interim}`, verificationcode: event.code };
    default:
      return previous;
  }
}

const SECRET_HEADERS = ['username', 'password', 'authorization', 'pincode', 'verificationcode'];

/** The route, headers and body the model says a call beside `/token` carries. */
function expectSideCall(
  request: RecordedRequest | undefined,
  event: ModelUserEvent,
  endpoint: keyof typeof FAKE_ETNA_ROUTES,
  appKey: string,
  where: string,
): void {
  const route = FAKE_ETNA_ROUTES[endpoint];
  expect(request?.method, where).toBe(route.method);
  expect(request?.path, where).toBe(`/api/${route.path}`);
  expect(request?.header('et-app-key'), where).toBe(appKey);
  const bearer = request?.header('authorization');
  if (endpoint === 'securityImages' || endpoint === 'pinChange') {
    expect(bearer, where).toBe(`Bearer ${MODEL_PIN_SETUP_TOKENS.token}`);
  } else {
    expect(bearer, `${where}: no token on ${endpoint}`).toBeUndefined();
  }
  const body = request?.json();
  switch (event.type) {
    case 'SUBMIT_NEW_PIN':
      expect(body, where).toEqual({
        Token: MODEL_PIN_SETUP_TOKENS.confirmation,
        Pin: Number(MODEL_USER.newPin),
        ImageName: MODEL_USER.imageName,
        PersonalPhrase: MODEL_USER.personalPhrase,
      });
      break;
    case 'SUBMIT_NEW_PASSWORD':
      expect(body, where).toEqual({
        Token: (body as { Token?: unknown }).Token,
        Password: MODEL_USER.newPassword,
        PasswordConfirmation: MODEL_USER.newPassword,
      });
      expect([MODEL_PASSWORD_CHANGE_TOKEN, MODEL_RESET_TOKEN], where).toContain(
        (body as { Token?: unknown }).Token,
      );
      break;
    case 'SUBMIT_SECRET_ANSWER':
      expect(body, where).toEqual({
        User: MODEL_USER.username,
        SecretQuestionAnswer: MODEL_USER.secretAnswer,
      });
      break;
    case 'SUBMIT_RESET_CODE':
      expect(body, where).toEqual({ Code: MODEL_USER.resetCode });
      break;
    default:
      break;
  }
}

/** The model's answer of that name. */
function outcomeNamed(name: string) {
  const outcome = MODEL_OUTCOMES.find((candidate) => candidate.name === name);
  if (!outcome) throw new Error(`no model outcome named ${name}`);
  return outcome;
}

/**
 * Queues a user step's answers where `injectServerAnswer` does, each held at the server until its own server step
 * releases it (they come in order): what happens in between (another tab's write) meets the request in flight.
 */
function injectHeld(server: FakeEtnaServer, step: ModelPath['steps'][number], releases: (() => void)[]) {
  if (step.kind !== 'user' || !step.serverAnswer) return;
  for (const { endpoint, fault } of [step.serverAnswer, ...step.followingAnswers]) {
    let queued: FakeFault = fault;
    if (fault.kind !== 'hang') {
      const released = new Promise<FakeFault>((resolve) => releases.push(() => resolve(fault)));
      queued = { kind: 'hold', until: () => released };
    }
    if (endpoint === 'logout') server.injectLogout(queued);
    else if (endpoint === 'token') server.inject(queued);
    else server.injectAt(endpoint, queued);
  }
}

/** Runs one model path with the real actor and ky services against `server`, machines with `maxSteps`. */
export async function runModelPath(server: FakeEtnaServer, path: ModelPath, maxSteps: number): Promise<void> {
  const { machine, storage, otherTab, restore } = createModelMachine({
    baseUrl: server.url,
    appKey: server.appKey,
    start: path.start,
    maxSteps: maxSteps,
  });
  const clock = trackedClock();
  const actor = createActor(machine, { clock }).start();
  const client = createEtnaClient(actor);
  const releases: (() => void)[] = [];
  let interim: string | undefined;
  let newPassword: string | undefined;
  let lastHeaders: Record<string, string> = {};
  expect(expectationOf(actor.getSnapshot()), 'the start').toEqual(path.initial);
  try {
    for (const [index, step] of path.steps.entries()) {
      const where = `step ${index + 1} of ${path.description}`;
      if (step.kind === 'user') {
        const sent = server.requests.length;
        const wasBusy = actor.getSnapshot().hasTag('busy');
        injectHeld(server, step, releases);
        actor.send(step.event);
        if (step.event.type === 'SUBMIT_NEW_PASSWORD' && step.serverAnswer) {
          newPassword = step.event.password;
        }
        if (step.event.type === 'SUBMIT_CREDENTIALS' || step.event.type === 'FORGOT_PASSWORD') {
          newPassword = undefined;
        }
        const endpoint = step.serverAnswer?.endpoint;
        if (endpoint && endpoint !== 'token' && endpoint !== 'logout') {
          await server.waitForRequests(sent + 1);
          expectSideCall(server.requests[sent], step.event, endpoint, server.appKey, where);
        } else if (endpoint === 'token') {
          await server.waitForRequests(sent + 1);
          const request = server.requests[sent];
          lastHeaders = expectedHeaders(step.event, interim, lastHeaders, newPassword);
          expect(request?.path, where).toBe('/api/token');
          expect(request?.header('et-app-key'), where).toBe(server.appKey);
          for (const name of SECRET_HEADERS)
            expect(request?.header(name), `${where}: ${name}`).toBe(lastHeaders[name]);
        } else if (step.serverAnswer?.endpoint === 'logout') {
          await server.waitForRequests(sent + 1);
          const request = server.requests[sent];
          expect(request?.path, where).toBe('/api/logout');
          expect(request?.method, where).toBe('POST');
          expect(request?.header('et-app-key'), where).toBe(server.appKey);
          expect(request?.header('authorization'), where).toBe(`Bearer ${MODEL_SESSION_TOKEN}`);
        } else {
          expect(server.requests.length, `${where}: no request`).toBe(sent);
        }
        if (wasBusy && !actor.getSnapshot().hasTag('busy')) {
          const aborted = await server.waitForEnd(sent - 1);
          expect(aborted.aborted, `${where}: the request in flight is aborted`).toBe(true);
        }
      } else if (step.kind === 'server' && outcomeNamed(step.outcome).endpoint === 'storage') {
        // The storage that answers later answers the read it began with: nothing is sent meanwhile.
        expect(expectationOf(actor.getSnapshot()).state, where).toBe('restoring');
        restore(outcomeNamed(step.outcome).answer);
        await waitFor(actor, (snapshot) => !snapshot.hasTag('restoring'), { timeout: 5_000 });
        expect(server.requests, `${where}: restoring sends nothing`).toHaveLength(0);
      } else if (step.kind === 'server') {
        releases.shift()?.();
        const sent = server.requests.length;
        // A step that lands in a busy state started a request by itself: wait for that state, then the request.
        await waitFor(
          actor,
          (snapshot) =>
            stateValueName(snapshot.value) === step.expected.state &&
            snapshot.hasTag('busy') === step.expected.busy,
          { timeout: 5_000 },
        );
        if (step.outcome === 'expecting securityPin') interim = MODEL_INTERIM_TOKENS.securityPin;
        if (step.outcome === 'expecting verificationCode') interim = MODEL_INTERIM_TOKENS.verificationCode;
        // Wait for the request, so that a CANCEL after this step finds it in flight.
        if (step.expected.busy) await server.waitForRequests(sent + 1);
        if (step.expected.busy && MODEL_BUSY_ENDPOINTS[step.expected.state] === 'token') {
          // The login after a journey: the credentials again, the new password when one was chosen.
          const request = server.requests[sent];
          lastHeaders = { username: MODEL_USER.username, password: newPassword ?? MODEL_USER.password };
          expect(request?.path, where).toBe('/api/token');
          for (const name of SECRET_HEADERS)
            expect(request?.header(name), `${where}: ${name}`).toBe(lastHeaders[name]);
        }
      } else if (step.kind === 'wait' && step.until === 'warning') {
        // The warning's timer started with the session's end, MODEL_SESSION_WARNING_MS before it.
        const left = clock.untilLastTimer() - MODEL_SESSION_WARNING_MS;
        expect(left, where).toBeGreaterThan(3_000_000);
        const sent = server.requests.length;
        clock.increment(left - 200);
        expect(actor.getSnapshot().hasTag('endingSoon'), `${where}: not early`).toBe(false);
        clock.increment(400);
        expect(server.requests.length, `${where}: the warning sends nothing`).toBe(sent);
      } else if (step.kind === 'wait') {
        const snapshot = actor.getSnapshot();
        const at =
          step.until === 'retry' ? snapshot.context.retryAvailableAt : snapshot.context.resendAvailableAt;
        if (at === undefined) throw new Error(`${where}: nothing to wait for`);
        const sent = server.requests.length;
        clock.increment(at - Date.now() - 200);
        expect(
          expectationOf(actor.getSnapshot())[step.until === 'retry' ? 'canRetry' : 'canResend'],
          `${where}: not early`,
        ).toBe(false);
        clock.increment(400);
        expect(server.requests.length, `${where}: the wait sends nothing`).toBe(sent);
      } else if (step.kind === 'otherTab') {
        // Another tab's write to the shared storage; the notice arrives as a message does, a moment later.
        const written = modelOtherTabWrite(step.action);
        if (written === null) otherTab.removeItem(DEFAULT_PERSIST_KEY);
        else otherTab.setItem(DEFAULT_PERSIST_KEY, written);
        const sent = server.requests.length;
        // A turn of the event loop: the notice, and the read of a storage that answers later (on the next timer
        // turn, as createAsyncStorage does), come within it.
        await new Promise((resolve) => setTimeout(resolve, 0));
        expect(server.requests.length, `${where}: adopting sends nothing`).toBe(sent);
      } else if (step.kind === 'apiCall') {
        const sent = server.requests.length;
        const before = actor.getSnapshot().context.sessionExpiresAt ?? 0;
        server.injectApi({ kind: 'respond', status: 200, body: { Id: 1 } });
        expect(await client.get('v1.0/users/@me/info').json(), where).toEqual({ Id: 1 });
        expect(server.requests[sent]?.header('authorization'), where).toBe(`Bearer ${MODEL_SESSION_TOKEN}`);
        // The sliding session's end moved on from the call.
        expect(actor.getSnapshot().context.sessionExpiresAt ?? 0, where).toBeGreaterThanOrEqual(before);
      } else if (step.end === 'expired') {
        // The session's end is the last timer that is set: each phase's timer started with it.
        const left = clock.untilLastTimer();
        expect(left, where).toBeGreaterThan(2_000);
        clock.increment(left - 1_000);
        expect(actor.getSnapshot().matches('succeeded'), `${where}: not a second early`).toBe(true);
        clock.increment(2_000);
      } else {
        const sent = server.requests.length;
        const error = await client.get('v1.0/users/@me/info').catch((caught: unknown) => caught);
        expect(error, where).toBeInstanceOf(HTTPError);
        expect((error as HTTPError).response.status, where).toBe(401);
        expect(server.requests[sent]?.header('authorization'), where).toBe(`Bearer ${MODEL_SESSION_TOKEN}`);
      }
      const snapshot = actor.getSnapshot();
      expect(expectationOf(snapshot), where).toEqual(step.expected);
      // The session held is the model user's, or the other user's adopted from idle.
      const heldToken =
        step.expected.username === MODEL_OTHER_USER.username ? MODEL_OTHER_USER.token : MODEL_SESSION_TOKEN;
      expect(selectToken(snapshot), where).toBe(step.expected.hasToken ? heldToken : undefined);
      if (snapshot.context.error) expect(snapshot.context.error.message.length, where).toBeGreaterThan(0);
      const stored = storage.getItem(DEFAULT_PERSIST_KEY);
      const storedToken = stored === null ? undefined : JSON.parse(stored).token;
      // Logged in: the storage holds this tab's session. Not logged in: none, or the other user's, whose
      // login ended this tab's session and waits in the storage for the user.
      if (snapshot.matches('succeeded')) expect(storedToken, where).toBe(heldToken);
      else
        expect([undefined, MODEL_OTHER_USER.token], `${where}: no session of this tab is kept`).toContain(
          storedToken,
        );
    }
  } finally {
    actor.stop();
  }
}
