import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Actor, createActor, SimulatedClock, waitFor } from 'xstate';
import { createEtnaAuthMachine, type EtnaAuthEvent, selectToken } from '../../src/index.js';
import { stateValueName } from '../../src/testing/index.js';

const MAX_STEPS = 3;
const RUNS = 1_000;
const LIFETIME_MS = 60_000;
type StateName =
  | 'idle'
  | 'authenticating'
  | 'expecting.securityPin'
  | 'expecting.verificationCode'
  | 'succeeded'
  | 'loggingOut'
  | 'failed'
  | 'error';

type SessionEnd = 'expired' | 'revoked' | 'loggedOut';

/** The statechart contract of DESIGN.md, written independently of the machine. */
interface Model {
  state: StateName;
  stepCount: number;
  requests: number;
  lastHeaders: Record<string, string> | undefined;
  interim: string | undefined;
  token: string | undefined;
  inputError: boolean;
  /** `POST /logout` requests sent. */
  logouts: number;
  /** Why the last session ended, while `idle` shows it. */
  sessionEnd: SessionEnd | undefined;
  /** In `error`: the server refused the app key, which a RETRY cannot fix. */
  appKeyRefused: boolean;
}

/** One request the machine sent, waiting for the test to answer it. */
interface Pending {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly signal: AbortSignal;
  readonly resolve: (response: Response) => void;
  readonly reject: (error: unknown) => void;
}

interface Real {
  readonly actor: Actor<ReturnType<typeof createEtnaAuthMachine>>;
  readonly pending: Pending[];
  readonly sent: Pending[];
  readonly clock: SimulatedClock;
}

/** Commands actually run (a server answer with no request in flight is skipped). */
let commandsRun = 0;

const HEADER_NAMES = ['username', 'password', 'authorization', 'pincode', 'verificationcode'];

function controlledFetch(pending: Pending[], sent: Pending[]): typeof fetch {
  return (input, init) => {
    // As fetch does: the init's signal, when given, replaces the request's.
    const request = new Request(input, init);
    return new Promise<Response>((resolve, reject) => {
      const headers: Record<string, string> = {};
      for (const name of HEADER_NAMES) {
        const value = request.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      const entry = { path: new URL(request.url).pathname, headers, signal: request.signal, resolve, reject };
      request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
      pending.push(entry);
      sent.push(entry);
    });
  };
}

const stateOf = (actor: Real['actor']): StateName => {
  const { value } = actor.getSnapshot();
  const name = stateValueName(value);
  // Without a sessionWarning, a session stays in succeeded.active until it ends.
  return (name === 'succeeded.active' ? 'succeeded' : name) as StateName;
};

/** After every command: the real actor agrees with the model on everything a UI or the server can see. */
const busy = (state: StateName) => state === 'authenticating' || state === 'loggingOut';

function checkAgainstModel(model: Model, real: Real) {
  const snapshot = real.actor.getSnapshot();
  expect(stateOf(real.actor)).toBe(model.state);
  expect(snapshot.hasTag('busy')).toBe(busy(model.state));
  const tokenRequests = real.sent.filter((request) => request.path === '/api/token');
  expect(tokenRequests.length).toBe(model.requests);
  expect(real.sent.filter((request) => request.path === '/api/logout').length).toBe(model.logouts);
  expect(real.sent.length).toBe(model.requests + model.logouts);
  expect(real.pending.length).toBe(busy(model.state) ? 1 : 0);
  expect(selectToken(snapshot)).toBe(model.state === 'succeeded' ? model.token : undefined);
  expect(snapshot.context.error?.kind === 'input').toBe(model.inputError);
  if (model.state === 'idle') expect(snapshot.context.reason).toBe(model.sessionEnd);
  if (model.lastHeaders) expect(tokenRequests.at(-1)?.headers).toEqual(model.lastHeaders);
  if (model.state === 'loggingOut')
    expect(real.sent.at(-1)?.headers).toEqual({ authorization: `Bearer ${model.token}` });
  // The chart offers logging out only where there is a session, and no RETRY for a refused app key.
  expect(snapshot.can({ type: 'LOGOUT' })).toBe(model.state === 'succeeded' || model.state === 'loggingOut');
  expect(snapshot.can({ type: 'RETRY' })).toBe(
    model.state === 'failed' || (model.state === 'error' && !model.appKeyRefused),
  );
}

/** ky calls fetch a few ticks after the event: wait for it, a bounded number of turns. */
async function requestsArrived(real: Real, count: number) {
  for (let turn = 0; turn < 1_000 && real.sent.length < count; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Sends a user event; the model says what must follow. */
class UserCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly event: EtnaAuthEvent,
    readonly valid: boolean,
  ) {}

  check() {
    return true;
  }

  async run(model: Model, real: Real) {
    commandsRun += 1;
    const before = model.state;
    const inFlight = real.pending[0];
    real.actor.send(this.event);
    const startsRequest = (headers: Record<string, string>) => {
      model.state = 'authenticating';
      model.requests += 1;
      model.lastHeaders = headers;
      model.inputError = false;
      model.sessionEnd = undefined;
    };
    const base = { username: 'ada', password: 'ada-password' };
    switch (this.event.type) {
      case 'SUBMIT_CREDENTIALS':
        if (before !== 'idle') break;
        if (this.valid) {
          startsRequest(base);
          model.stepCount = 0;
        } else model.inputError = true;
        break;
      case 'SUBMIT_PIN':
        if (before !== 'expecting.securityPin') break;
        if (this.valid) startsRequest({ ...base, authorization: `Bearer ${model.interim}`, pincode: '1234' });
        else model.inputError = true;
        break;
      case 'SUBMIT_VERIFICATION_CODE':
        if (before !== 'expecting.verificationCode') break;
        if (this.valid)
          startsRequest({ ...base, authorization: `Bearer ${model.interim}`, verificationcode: '777' });
        else model.inputError = true;
        break;
      case 'CANCEL':
        if (
          ['authenticating', 'expecting.securityPin', 'expecting.verificationCode', 'error'].includes(before)
        ) {
          model.state = 'idle';
          model.inputError = false;
          model.sessionEnd = undefined;
        }
        break;
      case 'LOGOUT':
        // Only where there is a session to end.
        if (before === 'succeeded') {
          // Best effort: POST /logout first, then idle whatever it answers.
          model.state = 'loggingOut';
          model.logouts += 1;
        } else if (before === 'loggingOut') {
          model.state = 'idle';
          model.token = undefined;
          model.sessionEnd = 'loggedOut';
        }
        break;
      case 'SESSION_REVOKED':
        if (before === 'succeeded') {
          model.state = 'idle';
          model.token = undefined;
          model.sessionEnd = 'revoked';
        }
        break;
      case 'RETRY':
        if (before === 'failed') {
          model.state = 'idle';
          model.inputError = false;
          model.sessionEnd = undefined;
        }
        // The same request again: same headers, same interim token.
        if (before === 'error' && model.lastHeaders && !model.appKeyRefused) startsRequest(model.lastHeaders);
        break;
    }
    await requestsArrived(real, model.requests + model.logouts);
    if (busy(before) && model.state !== before) {
      // CANCEL while busy, or LOGOUT while logging out, aborts the request in flight.
      expect(inFlight?.signal.aborted).toBe(true);
      real.pending.length = 0;
    }
    checkAgainstModel(model, real);
  }

  toString() {
    return `${this.event.type}${this.valid ? '' : '(refused)'}`;
  }
}

type AnswerKind = 'succeeded' | 'pin' | 'code' | 'unsupported' | 'failed' | 'http' | 'drop' | 'appKey';

/** The server answers the request in flight. */
class AnswerCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly kind: AnswerKind) {}

  check(model: Readonly<Model>) {
    return busy(model.state);
  }

  async run(model: Model, real: Real) {
    commandsRun += 1;
    const request = real.pending.shift();
    if (!request) throw new Error('the model expects a request in flight');
    if (model.state === 'loggingOut') {
      // Whatever /logout answers, or if it fails, the session is over.
      if (this.kind === 'drop') request.reject(new TypeError('fetch failed'));
      else request.resolve(new Response('{}', { status: this.kind === 'http' ? 502 : 200 }));
      model.state = 'idle';
      model.token = undefined;
      model.sessionEnd = 'loggedOut';
      await waitFor(real.actor, (snapshot) => !snapshot.hasTag('busy'), { timeout: 2_000 });
      checkAgainstModel(model, real);
      return;
    }
    const token = `tok+${model.requests}/${this.kind}=`;
    model.appKeyRefused = this.kind === 'appKey';
    const json = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    const expecting = (step: string) =>
      json(202, { State: 'Expecting', Step: step, Reason: 'r', Token: token });
    switch (this.kind) {
      case 'succeeded':
        request.resolve(json(200, { State: 'Succeeded', Token: token }));
        model.state = 'succeeded';
        model.token = token;
        break;
      case 'pin':
      case 'code':
        request.resolve(expecting(this.kind === 'pin' ? 'SecutityPin' : 'VerificationCode'));
        if (model.stepCount >= MAX_STEPS) model.state = 'error';
        else {
          model.stepCount += 1;
          model.interim = token;
          model.state = this.kind === 'pin' ? 'expecting.securityPin' : 'expecting.verificationCode';
        }
        break;
      case 'unsupported':
        request.resolve(expecting('ChangePassword'));
        model.state = 'failed';
        break;
      case 'failed':
        request.resolve(
          json(401, { State: 'Failed', Step: 'BaseAuthentication', Reason: 'Invalid credentials' }),
        );
        model.state = 'failed';
        break;
      case 'http':
        request.resolve(new Response('<html></html>', { status: 502 }));
        model.state = 'error';
        break;
      case 'appKey':
        request.resolve(json(403, { error: 'Application key is not defined or does not exist' }));
        model.state = 'error';
        break;
      case 'drop':
        request.reject(new TypeError('fetch failed'));
        model.state = 'error';
        break;
    }
    await waitFor(real.actor, (snapshot) => !snapshot.hasTag('busy'), { timeout: 2_000 });
    checkAgainstModel(model, real);
  }

  toString() {
    return `server:${this.kind}`;
  }
}

/** The session's lifetime passes. */
class ExpiryCommand implements fc.AsyncCommand<Model, Real> {
  check() {
    return true;
  }

  async run(model: Model, real: Real) {
    commandsRun += 1;
    real.clock.increment(LIFETIME_MS);
    if (model.state === 'succeeded') {
      model.state = 'idle';
      model.token = undefined;
      model.sessionEnd = 'expired';
    }
    checkAgainstModel(model, real);
  }

  toString() {
    return 'clock:lifetime';
  }
}

const commands = [
  fc
    .boolean()
    .map(
      (valid) =>
        new UserCommand(
          { type: 'SUBMIT_CREDENTIALS', username: 'ada', password: valid ? 'ada-password' : '' },
          valid,
        ),
    ),
  fc.boolean().map((valid) => new UserCommand({ type: 'SUBMIT_PIN', pin: valid ? '1234' : 'a\r\nb' }, valid)),
  fc
    .boolean()
    .map((valid) => new UserCommand({ type: 'SUBMIT_VERIFICATION_CODE', code: valid ? '777' : '' }, valid)),
  fc
    .constantFrom<EtnaAuthEvent>(
      { type: 'CANCEL' },
      { type: 'RETRY' },
      { type: 'LOGOUT' },
      { type: 'SESSION_REVOKED' },
    )
    .map((event) => new UserCommand(event, true)),
  fc.constant(new ExpiryCommand()),
  fc
    .constantFrom<AnswerKind>('succeeded', 'pin', 'code', 'unsupported', 'failed', 'http', 'drop', 'appKey')
    .map((kind) => new AnswerCommand(kind)),
];

describe('random user behaviour against the statechart contract', () => {
  it('keeps the actor in step with the contract after every command (fc.commands)', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 60, size: '+1' }), async (sequence) => {
        const pending: Pending[] = [];
        const sent: Pending[] = [];
        const machine = createEtnaAuthMachine({
          baseUrl: 'https://commands.example/api/',
          appKey: 'key',
          maxSteps: MAX_STEPS,
          sessionLifetime: LIFETIME_MS,
          fetch: controlledFetch(pending, sent),
        });
        const clock = new SimulatedClock();
        const actor = createActor(machine, { clock }).start();
        const model: Model = {
          state: 'idle',
          stepCount: 0,
          requests: 0,
          lastHeaders: undefined,
          interim: undefined,
          token: undefined,
          inputError: false,
          logouts: 0,
          sessionEnd: undefined,
          appKeyRefused: false,
        };
        try {
          await fc.asyncModelRun(() => ({ model, real: { actor, pending, sent, clock } }), sequence);
          runs += 1;
        } finally {
          actor.stop();
        }
      }),
      { numRuns: RUNS },
    );
    console.log(`user commands: ${runs} sequences, ${commandsRun} commands checked against the contract`);
    expect(runs).toBe(RUNS);
  }, 120_000);
});
