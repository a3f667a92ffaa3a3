// A model path and its steps: what to do, what the fake server must answer, and what the UI shows after it.

import type { FakeFault } from '../fake/index.js';
import type { ModelEndpoint } from './answers.js';
import type { ModelExpectation } from './expectation.js';
import type { ModelOtherTab, ModelSessionEnd } from './session.js';
import type { ModelUserEvent } from './user.js';

/**
 * A wait the machine's own timers end: `retry` (a 429's Retry-After has passed, `RETRY` is offered again),
 * `resend` (the resend cooldown is over, `RESEND_CODE` is offered again) or `warning` (the session is
 * `MODEL_SESSION_WARNING_MS` from its end: `succeeded.endingSoon` begins).
 * @example if (step.kind === 'wait' && step.until === 'retry') clock.setSystemTime(snapshot.context.retryAvailableAt!);
 */
export type ModelWait = 'retry' | 'resend' | 'warning';

/**
 * Where a path starts: a fresh actor, one created with `persist` holding a valid stored session (`restored`), or
 * one whose storage answers later (`restoring`: its first step is the storage's answer, a `server` step at the
 * `storage` endpoint).
 * @example const start: ModelStart = path.start; // 'restored': seed the storage with modelStoredSession(…)
 */
export type ModelStart = 'fresh' | 'restored' | 'restoring';

/**
 * What the fake server must answer the request a user step starts; `injectServerAnswer` queues it.
 * @example if (step.kind === 'user' && step.serverAnswer) injectServerAnswer(server, step);
 */
export interface ModelServerAnswer {
  readonly endpoint: ModelEndpoint;
  readonly fault: FakeFault;
}

/**
 * One step of a model path: a user event to perform (with the server's answer to inject first), a server answer
 * to wait for, a wait, a session end, another tab's write or an API call; each says what the UI shows after it.
 * @example for (const step of path.steps) if (step.kind === 'user') await perform(step.event);
 */
export type ModelStep =
  | {
      readonly kind: 'user';
      readonly event: ModelUserEvent;
      /**
       * When the event starts a request (`/token`, `/logout` on LOGOUT, or a call beside them): its answer.
       * Inject it before sending (`injectServerAnswer` does, with `followingAnswers`).
       */
      readonly serverAnswer: ModelServerAnswer | undefined;
      /**
       * The answers of the requests that the server steps right after this one start by themselves (the login
       * after a PIN set-up or a password change), in order; inject them with `serverAnswer`.
       */
      readonly followingAnswers: readonly ModelServerAnswer[];
      readonly expected: ModelExpectation;
    }
  | { readonly kind: 'server'; readonly outcome: string; readonly expected: ModelExpectation }
  /**
   * A wait ends by the machine's own timer: advance the clock to `context.retryAvailableAt` (`retry`),
   * `context.resendAvailableAt` (`resend`) or `MODEL_SESSION_WARNING_MS` before `context.sessionExpiresAt`
   * (`warning`).
   */
  | { readonly kind: 'wait'; readonly until: ModelWait; readonly expected: ModelExpectation }
  /**
   * The session ends without the user: for `expired`, advance the clock by the session lifetime; for
   * `revoked`, call the API through `createEtnaClient` and let the 401 end it.
   */
  | { readonly kind: 'session'; readonly end: ModelSessionEnd; readonly expected: ModelExpectation }
  /**
   * Another tab sharing the storage acts: for `login`, it stores a session (the model's token, ending a second
   * before the one this tab holds, if any); for `logout`, it removes the stored session. Write it through a
   * second view of the same storage (`createModelMachine`'s `otherTab`; in a browser, `localStorage` and a
   * message on `SESSION_CHANNEL`).
   */
  | { readonly kind: 'otherTab'; readonly action: ModelOtherTab; readonly expected: ModelExpectation }
  /** Call the API through `createEtnaClient` and let the server answer 200 (`injectApi`): the end moves on. */
  | { readonly kind: 'apiCall'; readonly expected: ModelExpectation };

/**
 * One generated path through the chart: where it starts, what the UI shows first, and its steps.
 * @example for (const path of getEtnaAuthPaths()) it(path.description, () => runPath(path));
 */
export interface ModelPath {
  /** One line: the events in order. */
  readonly description: string;
  readonly start: ModelStart;
  /** What the UI shows before the first step (for `restored`: already logged in). */
  readonly initial: ModelExpectation;
  readonly steps: readonly ModelStep[];
}

/**
 * The options of `getEtnaAuthPaths` and `measureCoverage`.
 * @example getEtnaAuthPaths({ maxSteps: 3 })
 */
export interface ModelPathsOptions {
  /**
   * The `maxSteps` of the machine the paths are run against.
   * @default 2 (`MODEL_MAX_STEPS`)
   */
  readonly maxSteps?: number;
}
