import { assertEvent, assign, setup } from 'xstate';
import type { EtnaAuthErrorData } from '../contract/auth-error.js';
import { isEtnaAuthErrorData, toErrorData } from '../contract/auth-error.js';
import type { Secret } from '../contract/secret.js';
import type { EtnaSessionEndReason } from '../contract/session.js';
import { DEFAULT_SESSION_LIFETIME_MS } from '../contract/session.js';
import type {
  FailedAnswer,
  StepAnswer,
  SucceededAnswer,
  TokenAnswer,
  TokenRequest,
} from '../contract/token-request.js';
import { DEFAULT_MAX_STEPS } from '../contract/token-request.js';
import { answer, failedAnswer, stepAnswer, succeededAnswer } from './answers.js';
import { continuation, FORGET_SECRETS, NOTHING_HELD } from './attempt.js';
import { inputProblemOf, secretOf } from './input-problems.js';
import { fromRequest, INTERRUPTED_BY_RESTORE } from './restore-safe.js';
import { sessionTimer } from './session-timer.js';
import type { EtnaAuthContext, EtnaAuthEvent, EtnaAuthSettings } from './types.js';

/** The id of the invoked `/token` actor: its events are `xstate.done.actor.requestToken` and `xstate.error.actor.requestToken`. */
export const REQUEST_TOKEN_ID = 'requestToken';
/** The id of the invoked logout actor (`POST /logout`, or nothing when server logout is off). */
export const LOGOUT_ID = 'logout';

/** The settings of the bare machine: the protocol's defaults, and no API to call. */
export const DEFAULT_SETTINGS: EtnaAuthSettings = {
  maxSteps: DEFAULT_MAX_STEPS,
  sessionLifetime: DEFAULT_SESSION_LIFETIME_MS,
  apiRoot: undefined,
  appKey: undefined,
};

/**
 * The login statechart with its settings, pure: no I/O. `createEtnaAuthMachine` calls it with the settings
 * from its options and provides the real `requestToken` and `logout` actors; the bare `etnaAuthMachine` has
 * the defaults, and its `/token` actor only rejects (it is for traversal and for `.provide()` in tests).
 */
export function etnaAuthMachineWith(settings: EtnaAuthSettings) {
  return setup({
    types: {
      context: {} as EtnaAuthContext,
      events: {} as EtnaAuthEvent,
    },
    actors: {
      requestToken: fromRequest<TokenAnswer, TokenRequest>(
        async () => {
          throw new Error('no /token service: use createEtnaAuthMachine');
        },
        () => Promise.reject(INTERRUPTED_BY_RESTORE),
      ),
      // Local logout: nothing to tell the server. createEtnaAuthMachine provides `POST /logout`.
      logout: fromRequest<void, Secret | undefined>(
        async () => {},
        () => Promise.resolve(),
      ),
      sessionTimer,
    },
    guards: {
      submissionRejected: ({ event }) => inputProblemOf(event) !== undefined,
      answerSucceeded: (_, answer: TokenAnswer) => answer.state === 'succeeded',
      answerFailed: (_, answer: TokenAnswer) => answer.state === 'failed',
      tooManySteps: ({ context }) => context.stepCount >= context.settings.maxSteps,
      answerAsksForPin: (_, answer: TokenAnswer) =>
        answer.state === 'expecting' && answer.next === 'securityPin',
      holdsSession: ({ context }) => context.sessionToken !== undefined,
      // Retrying cannot fix a wrong application key: it would only send the same key again.
      retryable: ({ context }) => context.error?.kind !== 'appKey',
    },
    actions: {
      rejectSubmission: assign({ error: ({ event }) => inputProblemOf(event) }),
      startAttempt: assign(({ event }) => {
        assertEvent(event, 'SUBMIT_CREDENTIALS');
        return {
          ...NOTHING_HELD,
          username: event.username,
          request: { username: event.username, password: secretOf(event.password) },
        };
      }),
      sendPin: assign(({ context, event }) => {
        assertEvent(event, 'SUBMIT_PIN');
        return { error: undefined, request: continuation(context, 'securityPin', event.pin) };
      }),
      sendVerificationCode: assign(({ context, event }) => {
        assertEvent(event, 'SUBMIT_VERIFICATION_CODE');
        return { error: undefined, request: continuation(context, 'verificationCode', event.code) };
      }),
      clearError: assign({ error: undefined }),
      storeSession: assign((_, answer: SucceededAnswer) => ({
        ...FORGET_SECRETS,
        step: undefined,
        reason: undefined,
        sessionToken: answer.token,
      })),
      stampSession: assign({
        sessionExpiresAt: ({ context }) => Date.now() + context.settings.sessionLifetime,
      }),
      // Provided by createEtnaAuthMachine when `persist` is set: keep, forget and restore the session.
      persistSession: () => {},
      forgetStoredSession: () => {},
      restoreSession: () => {},
      recordFailure: assign((_, { step, reason, code }: FailedAnswer) => ({
        ...FORGET_SECRETS,
        step,
        reason,
        failure: { step, reason, code },
      })),
      recordStep: assign(({ context }, answer: StepAnswer) => ({
        step: answer.step,
        reason: answer.reason,
        interimToken: answer.interimToken,
        stepCount: context.stepCount + 1,
      })),
      recordTooManySteps: assign(({ context }) => ({
        error: {
          kind: 'protocol',
          message: `the server asked for more than ${context.stepCount} steps in a row`,
        } satisfies EtnaAuthErrorData,
      })),
      recordError: assign((_, error: unknown) => ({
        error: isEtnaAuthErrorData(error)
          ? toErrorData(error)
          : ({
              kind: 'network',
              message: 'the request failed for an unknown reason',
            } satisfies EtnaAuthErrorData),
      })),
      abandonAttempt: assign(({ context }) => ({ ...NOTHING_HELD, username: context.username })),
      endSession: assign(({ context }, reason: EtnaSessionEndReason) => ({
        ...NOTHING_HELD,
        username: context.username,
        reason,
      })),
    },
  }).createMachine({
    id: 'etnaAuth',
    context: { ...NOTHING_HELD, settings },
    initial: 'idle',
    entry: 'restoreSession',
    states: {
      idle: {
        // Taken only at start, when `persist` restored a session that is still valid.
        always: { guard: 'holdsSession', target: 'succeeded' },
        on: {
          SUBMIT_CREDENTIALS: [
            { guard: 'submissionRejected', actions: 'rejectSubmission' },
            { target: 'authenticating', actions: 'startAttempt' },
          ],
        },
      },
      authenticating: {
        tags: ['busy'],
        invoke: {
          id: REQUEST_TOKEN_ID,
          src: 'requestToken',
          input: ({ context }) => context.request as TokenRequest,
          // The answer, as the parser routed it: succeeded, failed (with its code), or one more step.
          onDone: [
            {
              guard: { type: 'answerSucceeded', params: answer },
              target: 'succeeded',
              actions: [{ type: 'storeSession', params: succeededAnswer }, 'stampSession', 'persistSession'],
            },
            {
              guard: { type: 'answerFailed', params: answer },
              target: 'failed',
              actions: { type: 'recordFailure', params: failedAnswer },
            },
            // Only an answer that asks for one more step counts against maxSteps: success and failure end it.
            { guard: 'tooManySteps', target: 'error', actions: 'recordTooManySteps' },
            {
              guard: { type: 'answerAsksForPin', params: answer },
              target: 'expecting.securityPin',
              actions: { type: 'recordStep', params: stepAnswer },
            },
            {
              target: 'expecting.verificationCode',
              actions: { type: 'recordStep', params: stepAnswer },
            },
          ],
          onError: {
            target: 'error',
            actions: {
              type: 'recordError',
              params: ({ event }: { event: { error: unknown } }) => event.error,
            },
          },
        },
        on: {
          CANCEL: { target: 'idle', actions: 'abandonAttempt' },
        },
      },
      expecting: {
        // Required by XState for a compound state; every transition targets a child explicitly.
        initial: 'securityPin',
        on: {
          CANCEL: { target: 'idle', actions: 'abandonAttempt' },
        },
        states: {
          securityPin: {
            on: {
              SUBMIT_PIN: [
                { guard: 'submissionRejected', actions: 'rejectSubmission' },
                { target: '#etnaAuth.authenticating', actions: 'sendPin' },
              ],
            },
          },
          verificationCode: {
            on: {
              SUBMIT_VERIFICATION_CODE: [
                { guard: 'submissionRejected', actions: 'rejectSubmission' },
                { target: '#etnaAuth.authenticating', actions: 'sendVerificationCode' },
              ],
            },
          },
        },
      },
      succeeded: {
        // Ends the session at its stamped (or restored) end time, so a restored session keeps its own end.
        invoke: { src: 'sessionTimer', input: ({ context }) => context.sessionExpiresAt ?? 0 },
        on: {
          SESSION_EXPIRED: {
            target: 'idle',
            actions: ['forgetStoredSession', { type: 'endSession', params: 'expired' }],
          },
          LOGOUT: { target: 'loggingOut', actions: 'forgetStoredSession' },
          SESSION_REVOKED: {
            target: 'idle',
            actions: ['forgetStoredSession', { type: 'endSession', params: 'revoked' }],
          },
        },
      },
      loggingOut: {
        tags: ['busy'],
        // Best effort: whatever the server says, or if it says nothing, the session is over.
        invoke: {
          id: LOGOUT_ID,
          src: 'logout',
          input: ({ context }) => context.sessionToken,
          onDone: { target: 'idle', actions: { type: 'endSession', params: 'loggedOut' } },
          onError: { target: 'idle', actions: { type: 'endSession', params: 'loggedOut' } },
        },
        on: {
          // Logging out again does not wait for the server.
          LOGOUT: { target: 'idle', actions: { type: 'endSession', params: 'loggedOut' } },
        },
      },
      failed: {
        // Start again from the form, the username kept; one way out, so RETRY and CANCEL cannot differ by accident.
        on: {
          RETRY: { target: 'idle', actions: 'abandonAttempt' },
        },
      },
      error: {
        on: {
          RETRY: { guard: 'retryable', target: 'authenticating', actions: 'clearError' },
          CANCEL: { target: 'idle', actions: 'abandonAttempt' },
        },
      },
    },
  });
}

/** The login statechart with the default settings. */
export const etnaAuthMachine = etnaAuthMachineWith(DEFAULT_SETTINGS);

export type EtnaAuthMachine = typeof etnaAuthMachine;
