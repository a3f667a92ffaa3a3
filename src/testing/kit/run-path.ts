// One model path through the app's own UI: a fresh fake server behind a gateway, the app opened on it (with the
// stored session of a restored start), and each step done as a person, the server, time or another tab would do
// it; after each, the screen, the requests sent and the stored session must be what the step expects.
import {
  DEFAULT_RATE_LIMIT_WAIT_MS,
  DEFAULT_RESEND_COOLDOWN_MS,
  DEFAULT_SESSION_LIFETIME_MS,
} from '../../defaults.js';
import { type FakeEtnaServer, type RecordedRequest, startFakeEtnaServer } from '../fake/index.js';
import type { ModelEndpoint } from '../model/answers.js';
import { MODEL_BUSY_ENDPOINTS, MODEL_MAX_STEPS, MODEL_OUTCOMES } from '../model/events.js';
import type { ModelExpectation } from '../model/expectation.js';
import { injectServerAnswer } from '../model/paths.js';
import {
  MODEL_OTHER_TAB_EVENTS,
  MODEL_SESSION_WARNING_MS,
  modelOtherTabWrite,
  modelStoredSession,
} from '../model/session.js';
import type { ModelPath, ModelStep } from '../model/steps.js';
import { MODEL_USER, type ModelUserEvent } from '../model/user.js';
import { type Gateway, startGateway } from './gateway.js';
import { offeredAlong } from './offered.js';
import {
  apiCallMismatches,
  later,
  type Span,
  shown,
  sleep,
  span,
  storedMismatches,
  within,
} from './path-checks.js';
import { mismatches, type WantedScreen } from './reading.js';
import { PathRequests, routeOf } from './requests.js';
import type { Flavour, Stage } from './stage.js';
import type { ModelAppSettings, ScreenReading } from './types.js';

/** A restored start's stored session ends an hour after the app opens. */
const STORED_SESSION_MS = 3_600_000;
/** The request timeout of a path where the server never answers, and of every other path (longer than any run of the clock). */
const SHORT_TIMEOUT_MS = 2_000;
const LONG_TIMEOUT_MS = 600_000;
/** The margin around a timer's due time: the clock stops this far before it (nothing yet), then runs this far past it. */
const SESSION_MARGIN_MS = 1_000;
const WAIT_MARGIN_MS = 300;
const OTHER_TAB_EXPIRES_AT = (MODEL_OTHER_TAB_EVENTS.login as unknown as { expiresAt: number }).expiresAt;
/** What the API answers a successful call of the model. */
const API_ANSWER = { kind: 'respond', status: 200, body: { Id: 1, Login: MODEL_USER.username } } as const;

/** What a path run needs besides the path. */
export interface PathOptions {
  readonly maxSteps?: number;
  readonly settleMs?: number;
  readonly forbiddenText?: readonly string[];
  readonly screenOf?: (state: string) => string;
}

/** A path that went wrong at a step (0: before the first). */
export class StepFailure extends Error {
  constructor(
    readonly step: number,
    message: string,
  ) {
    super(message);
  }
}

/** Runs `path` on a stage of `flavour` with its own fake server; rejects with a `StepFailure`. */
export async function runPath(flavour: Flavour, path: ModelPath, options: PathOptions): Promise<void> {
  const server = await startFakeEtnaServer({ cors: true, users: [] });
  const gateway = await startGateway(server);
  let stage: Stage | undefined;
  try {
    stage = await flavour.stage();
    await new PathRun(stage, server, gateway, path, options).run();
  } finally {
    await stage?.close();
    await gateway.close();
    await server.close();
  }
}

class PathRun {
  readonly #offered: string[][];
  readonly #requests = new PathRequests();
  readonly #settings: ModelAppSettings;
  #at = 0;
  /** The fake server's index of the request in flight (released, not yet answered). */
  #inFlight: number | undefined;
  #releasedAt = 0;
  #lastAnswer: Span = { from: 0, to: 0 };
  #sessionEnd: Span | undefined;

  constructor(
    readonly stage: Stage,
    readonly server: FakeEtnaServer,
    readonly gateway: Gateway,
    readonly path: ModelPath,
    readonly options: PathOptions,
  ) {
    const maxSteps = options.maxSteps ?? MODEL_MAX_STEPS;
    this.#offered = offeredAlong(path, maxSteps);
    const neverAnswered = path.steps.some(
      (step) => step.kind === 'server' && step.outcome.endsWith('timeout'),
    );
    this.#settings = {
      baseUrl: gateway.url,
      appKey: server.appKey,
      timeout: neverAnswered ? SHORT_TIMEOUT_MS : LONG_TIMEOUT_MS,
      maxSteps,
      sessionWarning: MODEL_SESSION_WARNING_MS,
      slidingSession: true,
      resendCooldown: DEFAULT_RESEND_COOLDOWN_MS,
    };
  }

  fail(message: string): never {
    throw new StepFailure(this.#at, message);
  }

  async run(): Promise<void> {
    const { stage, path } = this;
    const expiresAt = Date.now() + STORED_SESSION_MS;
    const stored = path.start === 'restored' ? modelStoredSession(expiresAt) : undefined;
    const before = await stage.dueAt(expiresAt);
    await stage.open(this.#settings, stored, path.start === 'restoring');
    if (stored) this.#sessionEnd = span(before, await stage.dueAt(expiresAt));
    await this.settle(path.initial);
    for (const [index, step] of path.steps.entries()) {
      this.#at = index + 1;
      const previous = index === 0 ? path.initial : (path.steps[index - 1] as ModelStep).expected;
      await this.step(step, previous);
      // Every request of the login waits at the gateway until the kit takes it: one left there was not expected.
      if (this.gateway.waiting > 0) this.fail('the app sent a request of the login the step does not send');
    }
    const troubles = stage.troubles();
    if (troubles.length) this.fail(troubles.join('; '));
  }

  async step(step: ModelStep, previous: ModelExpectation): Promise<void> {
    const { stage, server } = this;
    const wasInFlight = this.#inFlight;
    let startsRequest = false;
    switch (step.kind) {
      case 'user':
        // An event the machine takes with no effect (`can()` is false: credentials during a 429's wait): the
        // screen offers nothing to send it with, so nothing is done, and nothing may change.
        if (!this.#offered[this.#at - 1]?.includes(step.event.type)) {
          if (step.serverAnswer || JSON.stringify(step.expected) !== JSON.stringify(previous))
            this.fail(`${step.event.type} is not offered, yet the path expects it to do something`);
          await this.settle(step.expected);
          break;
        }
        injectServerAnswer(server, step);
        if (step.serverAnswer) this.#requests.sent(step.event);
        await stage.submit(step.event);
        if (step.serverAnswer) {
          startsRequest = true;
          await this.release(step.serverAnswer.endpoint, step.expected, step.event);
        } else await this.settle(step.expected);
        break;
      case 'server': {
        const storage = MODEL_OUTCOMES.find((outcome) => outcome.name === step.outcome);
        if (storage?.endpoint === 'storage') {
          // The storage that answers later answers its first read: nothing is sent.
          if (!stage.restore) this.fail('this flavour cannot answer a storage read later');
          await stage.restore(storage.answer);
          await this.settle(step.expected);
          return;
        }
        this.#requests.answered(step.outcome);
        const answeredAfter = this.#releasedAt;
        this.#inFlight = undefined;
        // Landing in a busy state, the machine sent the next request by itself.
        const next = step.expected.busy ? MODEL_BUSY_ENDPOINTS[step.expected.state] : undefined;
        if (next) await this.release(next, step.expected, undefined);
        else await this.settle(step.expected);
        this.#lastAnswer = { from: answeredAfter, to: await stage.now() };
        if (step.outcome === 'succeeded')
          this.#sessionEnd = later(this.#lastAnswer, DEFAULT_SESSION_LIFETIME_MS);
        return;
      }
      case 'wait': {
        const due =
          step.until === 'warning'
            ? later(this.sessionEnd(), -MODEL_SESSION_WARNING_MS)
            : later(this.#lastAnswer, this.waitOf(step.until, previous));
        const margin = step.until === 'warning' ? SESSION_MARGIN_MS : WAIT_MARGIN_MS;
        await this.runClockTo(due, margin, async () =>
          mismatches(await stage.read(), this.wanted(this.#at - 1, previous)),
        );
        await this.settle(step.expected);
        break;
      }
      case 'session':
        // On the way to its end the session may pass its warning: a second before the end, it has not ended.
        if (step.end === 'expired')
          await this.runClockTo(this.sessionEnd(), SESSION_MARGIN_MS, async () => {
            const ended = this.wanted(this.#at, step.expected).screen;
            return (await stage.read()).screen === ended ? [`the screen is already "${ended}"`] : [];
          });
        else await this.callApi(previous, 401);
        await this.settle(step.expected);
        break;
      case 'otherTab': {
        const before = await stage.dueAt(OTHER_TAB_EXPIRES_AT);
        await stage.otherTab(modelOtherTabWrite(step.action));
        await this.settle(step.expected);
        if (step.action !== 'logout' && isLoggedIn(step.expected))
          this.#sessionEnd = span(before, await stage.dueAt(OTHER_TAB_EXPIRES_AT));
        break;
      }
      case 'apiCall': {
        const from = await stage.now();
        await this.callApi(previous, 200);
        await this.settle(step.expected);
        this.#sessionEnd = later({ from, to: await stage.now() }, DEFAULT_SESSION_LIFETIME_MS);
        break;
      }
    }
    // A request in flight that the step left behind (CANCEL, LOGOUT, an end, another request): the app aborts it.
    if (wasInFlight !== undefined && (startsRequest || !step.expected.busy)) {
      const ended = await this.within(this.server.waitForEnd(wasInFlight), 'the request in flight to end');
      if (!ended.aborted) this.fail('the request in flight was not aborted');
      if (!startsRequest) this.#inFlight = undefined;
    }
  }

  /** The request a busy state sends: held at the gateway while its busy screen is read, then sent on and checked. */
  async release(endpoint: ModelEndpoint, expected: ModelExpectation, trigger?: ModelUserEvent) {
    const route = routeOf(endpoint);
    const held = await this.gateway
      .nextHeld(this.settleMs)
      .catch(() => this.fail(`the app sent no ${route} request within ${this.settleMs} ms`));
    if (`${held.method} ${held.route}` !== route)
      this.fail(`the app sent ${held.method} ${held.route}, not ${route}`);
    await this.settle(expected);
    const index = this.server.requests.length;
    this.#releasedAt = await this.stage.now();
    held.release();
    if (held.abandoned) this.fail(`the app gave up its ${route} request while the kit read the busy screen`);
    await this.within(
      this.server.waitForRequests(index + 1),
      `the ${route} request to reach the fake server`,
    );
    const request = this.server.requests[index] as RecordedRequest;
    const wrong = this.#requests.check(
      request,
      endpoint,
      expected.state,
      trigger,
      this.server.appKey,
      held.query,
    );
    if (wrong.length) this.fail(wrong.join('; '));
    this.#inFlight = index;
  }

  /** Calls the API through the app: the fake server answers `status` (401: the model's token was never issued). */
  async callApi(previous: ModelExpectation, status: 200 | 401) {
    const index = this.server.requests.length;
    if (status === 200) this.server.injectApi(API_ANSWER);
    await this.stage.callApi();
    await this.within(this.server.waitForRequests(index + 1), 'the API call to reach the fake server');
    const request = this.server.requests[index] as RecordedRequest;
    const wrong = apiCallMismatches(request, previous, this.server);
    if (wrong.length) this.fail(wrong.join('; '));
    const ended = await this.within(this.server.waitForEnd(index), 'the API call to end');
    if (ended.outcome !== status) this.fail(`the API call ended with ${ended.outcome}, not ${status}`);
  }

  /**
   * Runs the app's clock to just before `due` (when it can: `early` says what is wrong already), then past it.
   * `due` is a span: the timer falls due somewhere in it.
   */
  async runClockTo(due: Span, margin: number, early: () => Promise<string[]>) {
    const { stage } = this;
    const now = await stage.now();
    if (due.from - margin > now) {
      await stage.advance(due.from - margin - now);
      const wrong = await early();
      if (wrong.length) this.fail(`${margin} ms before its time: ${wrong.join('; ')}`);
    }
    await stage.advance(Math.max(due.to - (await stage.now()), 0) + margin);
  }

  /** Waits until the screen and the stored session show `expected` (after step `#at`). */
  async settle(expected: ModelExpectation) {
    const wanted = this.wanted(this.#at, expected);
    const deadline = Date.now() + this.settleMs;
    for (;;) {
      let reading: ScreenReading | undefined;
      let wrong: string[];
      try {
        reading = await this.stage.read();
        wrong = mismatches(reading, wanted);
        if (wrong.length === 0) wrong = storedMismatches(await this.stage.stored(), expected);
      } catch (error) {
        wrong = [`read() failed: ${error instanceof Error ? error.message : String(error)}`];
      }
      if (wrong.length === 0) return;
      if (Date.now() > deadline)
        this.fail(`${wrong.join('; ')}${reading ? ` (read: ${shown(reading)})` : ''}`);
      await sleep(20);
    }
  }

  wanted(at: number, expected: ModelExpectation): WantedScreen {
    return {
      screen: this.options.screenOf?.(expected.state) ?? expected.state,
      expected,
      offered: this.#offered[at] ?? [],
      forbiddenText: this.options.forbiddenText ?? [],
    };
  }

  sessionEnd(): Span {
    return this.#sessionEnd ?? this.fail('the session ends, but the kit saw none begin');
  }

  /** How long a wait lasts: a 429's Retry-After (also one on a resend), else the resend cooldown. */
  waitOf(until: 'retry' | 'resend', previous: ModelExpectation): number {
    if (previous.error?.kind === 'rateLimited' || until === 'retry')
      return previous.error?.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
    return this.#settings.resendCooldown;
  }

  get settleMs(): number {
    return this.options.settleMs ?? 5_000;
  }

  within<T>(promise: Promise<T>, what: string): Promise<T> {
    return within(
      promise,
      this.settleMs,
      () => new StepFailure(this.#at, `waited ${this.settleMs} ms for ${what}`),
    );
  }
}

const isLoggedIn = (expected: ModelExpectation) => expected.state.startsWith('succeeded');
