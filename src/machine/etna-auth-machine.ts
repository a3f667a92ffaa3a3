import { assertEvent, assign, fromPromise, setup } from 'xstate';
import type { EtnaAuthErrorData } from '../contract/auth-error.js';
import { isEtnaAuthErrorData, toErrorData } from '../contract/auth-error.js';
import { headerValueProblem } from '../contract/header-value.js';
import { Secret } from '../contract/secret.js';
import type { EtnaFailureCode, EtnaSessionEndReason } from '../contract/session.js';
import { DEFAULT_SESSION_LIFETIME_MS, routedFailureOf } from '../contract/session.js';
import type { ContinuationStep, TokenAnswer, TokenRequest } from '../contract/token-request.js';
import { DEFAULT_MAX_STEPS } from '../contract/token-request.js';
import { INTERRUPTED_BY_RESTORE, isRestoredInput, restoreSafe } from './restore-safe.js';
import { sessionTimer } from './session-timer.js';
import type { EtnaAuthContext, EtnaAuthEvent, SecretInput } from './types.js';

/** The id of the invoked `/token` actor: its events are `xstate.done.actor.requestToken` and `xstate.error.actor.requestToken`. */
export const REQUEST_TOKEN_ID = 'requestToken';
/** The id of the invoked logout actor (`POST /logout`, or nothing when server logout is off). */
export const LOGOUT_ID = 'logout';

const initialContext: EtnaAuthContext = {
  username: undefined,
  step: undefined,
  reason: undefined,
  failure: undefined,
  error: undefined,
  stepCount: 0,
  request: undefined,
  interimToken: undefined,
  sessionToken: undefined,
  sessionExpiresAt: undefined,
};

function inputError(field: string, message: string): EtnaAuthErrorData {
  return { kind: 'input', field, message };
}

/** A submitted secret as the machine keeps it: wrapped, whichever form it came in. */
function secretOf(value: SecretInput): Secret {
  return Secret.is(value) ? value : new Secret(value);
}

function firstProblem(fields: Readonly<Record<string, unknown>>): EtnaAuthErrorData | undefined {
  for (const [field, value] of Object.entries(fields)) {
    const problem = headerValueProblem(field, Secret.is(value) ? value.reveal() : value);
    if (problem) return inputError(field, problem);
  }
  return undefined;
}

function problemOf(event: EtnaAuthEvent): EtnaAuthErrorData | undefined {
  switch (event.type) {
    case 'SUBMIT_CREDENTIALS':
      return firstProblem({ username: event.username, password: event.password });
    case 'SUBMIT_PIN':
      return firstProblem({ pin: event.pin });
    case 'SUBMIT_VERIFICATION_CODE':
      return firstProblem({ code: event.code });
    default:
      return undefined;
  }
}

function continuation(context: EtnaAuthContext, step: ContinuationStep, answer: SecretInput): TokenRequest {
  const { request, interimToken } = context;
  // Unreachable by the chart: an expecting state is only entered with both set.
  if (!request || !interimToken) throw new Error(`no pending request for ${step}`);
  return {
    username: request.username,
    password: request.password,
    continuation: { step, interimToken, answer: secretOf(answer) },
  };
}

const forgetSecrets = { request: undefined, interimToken: undefined, sessionToken: undefined } as const;

function failureCodeOf(answer: TokenAnswer): EtnaFailureCode {
  if (answer.state === 'succeeded') return 'rejected';
  return routedFailureOf(answer.reason) ?? (answer.state === 'expecting' ? 'unsupportedStep' : 'rejected');
}

/**
 * The login statechart, pure: no I/O. `createEtnaAuthMachine` provides the real `requestToken` actor;
 * this bare machine's actor only rejects, so it is for traversal and for `machine.provide` in tests.
 */
export const etnaAuthMachine = setup({
  types: {
    context: {} as EtnaAuthContext,
    events: {} as EtnaAuthEvent,
  },
  actors: {
    requestToken: restoreSafe(
      fromPromise<TokenAnswer, TokenRequest>(async ({ input }) => {
        if (isRestoredInput(input)) throw INTERRUPTED_BY_RESTORE;
        throw new Error('etnaAuthMachine has no /token service: build it with createEtnaAuthMachine');
      }),
    ),
    // Local logout: nothing to tell the server. createEtnaAuthMachine provides `POST /logout`.
    logout: restoreSafe(fromPromise<void, Secret | undefined>(async () => {})),
    sessionTimer,
  },
  guards: {
    submissionRejected: ({ event }) => problemOf(event) !== undefined,
    answerSucceeded: (_, answer: TokenAnswer) => answer.state === 'succeeded',
    answerFailed: (_, answer: TokenAnswer) => answer.state === 'failed',
    answerUnsupported: (_, answer: TokenAnswer) =>
      answer.state === 'expecting' && answer.next === 'unsupported',
    tooManySteps: ({ context }) => context.stepCount >= DEFAULT_MAX_STEPS,
    holdsSession: ({ context }) => context.sessionToken !== undefined,
    // Retrying cannot fix a wrong application key: it would only send the same key again.
    retryable: ({ context }) => context.error?.kind !== 'appKey',
    answerAsksForPin: (_, answer: TokenAnswer) =>
      answer.state === 'expecting' && answer.next === 'securityPin',
  },
  actions: {
    rejectSubmission: assign({ error: ({ event }) => problemOf(event) }),
    startAttempt: assign(({ event }) => {
      assertEvent(event, 'SUBMIT_CREDENTIALS');
      return {
        ...initialContext,
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
    storeSession: assign((_, answer: TokenAnswer) => ({
      ...forgetSecrets,
      step: undefined,
      reason: undefined,
      sessionToken: answer.state === 'succeeded' ? answer.token : undefined,
    })),
    // Provided by createEtnaAuthMachine with the configured lifetime.
    stampSession: assign({ sessionExpiresAt: () => Date.now() + DEFAULT_SESSION_LIFETIME_MS }),
    // Provided by createEtnaAuthMachine when `persist` is set: keep, forget and restore the session.
    persistSession: () => {},
    forgetStoredSession: () => {},
    restoreSession: () => {},
    recordFailure: assign((_, answer: TokenAnswer) => {
      const step = answer.state === 'succeeded' ? '' : answer.step;
      const reason = answer.state === 'succeeded' ? '' : answer.reason;
      return { ...forgetSecrets, step, reason, failure: { step, reason, code: failureCodeOf(answer) } };
    }),
    recordStep: assign(({ context }, answer: TokenAnswer) =>
      answer.state === 'expecting'
        ? {
            step: answer.step,
            reason: answer.reason,
            interimToken: answer.interimToken,
            stepCount: context.stepCount + 1,
          }
        : {},
    ),
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
    abandonAttempt: assign(({ context }) => ({ ...initialContext, username: context.username })),
    endSession: assign(({ context }, reason: EtnaSessionEndReason) => ({
      ...initialContext,
      username: context.username,
      reason,
    })),
  },
}).createMachine({
  id: 'etnaAuth',
  context: initialContext,
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
        onDone: [
          {
            guard: { type: 'answerSucceeded', params: ({ event }) => event.output },
            target: 'succeeded',
            actions: [
              { type: 'storeSession', params: ({ event }) => event.output },
              'stampSession',
              'persistSession',
            ],
          },
          {
            guard: { type: 'answerFailed', params: ({ event }) => event.output },
            target: 'failed',
            actions: { type: 'recordFailure', params: ({ event }) => event.output },
          },
          {
            guard: { type: 'answerUnsupported', params: ({ event }) => event.output },
            target: 'failed',
            actions: { type: 'recordFailure', params: ({ event }) => event.output },
          },
          { guard: 'tooManySteps', target: 'error', actions: 'recordTooManySteps' },
          {
            guard: { type: 'answerAsksForPin', params: ({ event }) => event.output },
            target: 'expecting.securityPin',
            actions: { type: 'recordStep', params: ({ event }) => event.output },
          },
          {
            target: 'expecting.verificationCode',
            actions: { type: 'recordStep', params: ({ event }) => event.output },
          },
        ],
        onError: {
          target: 'error',
          actions: { type: 'recordError', params: ({ event }: { event: { error: unknown } }) => event.error },
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

export type EtnaAuthMachine = typeof etnaAuthMachine;
