import { and, assertEvent, assign, fromCallback, setup } from 'xstate';
import type { EtnaAuthErrorData } from '../contract/auth-error.js';
import { isEtnaAuthErrorData, toErrorData } from '../contract/auth-error.js';
import type {
  JourneyAnswer,
  JourneyModels,
  JourneyRefusal,
  JourneyRequests,
  SecurityImage,
} from '../contract/journey.js';
import { DEFAULT_RATE_LIMIT_WAIT_MS, DEFAULT_RESEND_COOLDOWN_MS } from '../contract/journey.js';
import type { Secret } from '../contract/secret.js';
import type { EtnaSessionEndReason } from '../contract/session.js';
import { DEFAULT_SESSION_LIFETIME_MS } from '../contract/session.js';
import type {
  FailedAnswer,
  PasswordChangeAnswer,
  PinSetupAnswer,
  StepAnswer,
  SucceededAnswer,
  TokenAnswer,
  TokenRequest,
} from '../contract/token-request.js';
import { DEFAULT_MAX_STEPS } from '../contract/token-request.js';
import {
  answer,
  callAnswer,
  failedAnswer,
  imagesOf,
  passwordChangeAnswer,
  pinSetupAnswer,
  questionOf,
  refusal,
  resetTokenOf,
  stepAnswer,
  succeededAnswer,
} from './answers.js';
import { continuation, credentials, FORGET_SECRETS, NOTHING_HELD, RELOGIN_FORGOTTEN } from './attempt.js';
import { inputProblemOf, secretOf } from './input-problems.js';
import { fromRequest, INTERRUPTED_BY_RESTORE } from './restore-safe.js';
import { countdown, wallClockCheck } from './session-timer.js';
import type {
  EtnaAuthContext,
  EtnaAuthEvent,
  EtnaAuthSettings,
  EtnaRetryTarget,
  EtnaSideCall,
} from './types.js';

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
  resendCooldown: DEFAULT_RESEND_COOLDOWN_MS,
  sessionWarning: 0,
  slidingSession: false,
};

/** A call beside `/token` of the bare machine: there is none; createEtnaAuthMachine provides them. */
function noService<TCall extends keyof JourneyModels>(call: TCall) {
  return fromRequest<JourneyAnswer<JourneyModels[TCall]>, JourneyRequests[TCall]>(
    async () => {
      throw new Error(`no ${call} service: use createEtnaAuthMachine`);
    },
    () => Promise.reject(INTERRUPTED_BY_RESTORE),
  );
}

type ErrorEvent = { readonly event: { readonly error: unknown } };
const errorOf = ({ event }: ErrorEvent) => event.error;

/** The request of the side call in flight: the input of its actor. */
const callRequest = ({ context }: { context: EtnaAuthContext }) =>
  (context.call as unknown as { readonly request: never }).request;

/** When a wait that a 429 asks for is over, from its error. */
function rateLimitEnd(error: unknown): number | undefined {
  if (!isEtnaAuthErrorData(error) || error.kind !== 'rateLimited') return undefined;
  return Date.now() + (error.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS);
}

const tooManyStepsError = (stepCount: number): EtnaAuthErrorData => ({
  kind: 'protocol',
  message: `the server asked for more than ${stepCount} steps in a row`,
});

function errorData(error: unknown): EtnaAuthErrorData {
  return isEtnaAuthErrorData(error)
    ? toErrorData(error)
    : { kind: 'network', message: 'the request failed for an unknown reason' };
}

/**
 * The login statechart with its settings, pure: no I/O. `createEtnaAuthMachine` calls it with the settings
 * from its options and provides the real request actors; the bare `etnaAuthMachine` has the defaults, and its
 * request actors only reject (it is for traversal and for `.provide()` in tests).
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
      securityImages: noService('securityImages'),
      pinChange: noService('pinChange'),
      passwordChange: noService('passwordChange'),
      secretQuestion: noService('secretQuestion'),
      resetRequest: noService('resetRequest'),
      resetCode: noService('resetCode'),
      countdown,
      wallClockCheck,
      // Provided by createEtnaAuthMachine when `persist` is shared by tabs: what the other tabs do to the session.
      sessionSync: fromCallback(() => undefined),
    },
    guards: {
      submissionRejected: ({ context, event }) => inputProblemOf(event, context) !== undefined,
      answerSucceeded: (_, answer: TokenAnswer) => answer.state === 'succeeded',
      answerFailed: (_, answer: TokenAnswer) => answer.state === 'failed',
      answerAsksForPinSetup: (_, answer: TokenAnswer) => answer.state === 'pinSetup',
      answerAsksForPasswordChange: (_, answer: TokenAnswer) => answer.state === 'passwordChange',
      tooManySteps: ({ context }) => context.stepCount >= context.settings.maxSteps,
      answerAsksForPin: (_, answer: TokenAnswer) =>
        answer.state === 'expecting' && answer.next === 'securityPin',
      callRefused: (_, answer: JourneyAnswer<unknown>) => !answer.ok,
      noSecretQuestion: (_, question: string) => question === '',
      // A wrong answer to the secret question is asked again; without a question, nothing on the form can fix it.
      answerToQuestionRefused: ({ context }, answer: JourneyAnswer<unknown>) =>
        !answer.ok && Boolean(context.secretQuestion),
      holdsSession: ({ context }) => context.sessionToken !== undefined,
      // Another tab's session that this one already holds (the echo of its own write, or a repeat).
      sameSession: ({ context, event }) => {
        assertEvent(event, 'SESSION_ADOPTED');
        return (
          context.sessionToken?.reveal() === event.token.reveal() &&
          context.sessionExpiresAt === event.expiresAt
        );
      },
      slidingSession: ({ context }) => context.settings.slidingSession,
      // Retrying cannot fix a wrong application key: it would only send the same key again. After a 429,
      // not before its Retry-After has passed.
      retryable: ({ context }) => context.error?.kind !== 'appKey' && context.retryAvailableAt === undefined,
      failedCallWas: ({ context }, target: EtnaRetryTarget) => (context.call?.kind ?? 'token') === target,
      waitingToRetry: ({ context }) => context.retryAvailableAt !== undefined,
      resendAllowed: ({ context }) => context.resendAvailableAt === undefined,
      coolingDown: ({ context }) => context.resendAvailableAt !== undefined,
      rateLimited: (_, error: unknown) => rateLimitEnd(error) !== undefined,
    },
    actions: {
      rejectSubmission: assign({ error: ({ context, event }) => inputProblemOf(event, context) }),
      startAttempt: assign(({ event }) => {
        assertEvent(event, 'SUBMIT_CREDENTIALS');
        return {
          ...NOTHING_HELD,
          username: event.username,
          request: credentials(event.username, secretOf(event.password)),
        };
      }),
      sendPin: assign(({ context, event }) => {
        assertEvent(event, 'SUBMIT_PIN');
        return {
          error: undefined,
          personalPhrase: undefined,
          securityImage: undefined,
          request: continuation(context, 'securityPin', event.pin),
        };
      }),
      sendVerificationCode: assign(({ context, event }) => {
        assertEvent(event, 'SUBMIT_VERIFICATION_CODE');
        return { error: undefined, request: continuation(context, 'verificationCode', event.code) };
      }),
      // A resend is the first step again: the server answers with a new interim token and sends a new code.
      startResend: assign(({ context }) => {
        const { request } = context as { request: TokenRequest };
        return { error: undefined, stepCount: 0, request: credentials(request.username, request.password) };
      }),
      markCodeResent: assign({ codeResent: true }),
      startResendCooldown: assign({
        resendAvailableAt: ({ context }) => Date.now() + context.settings.resendCooldown,
      }),
      // A 429 to a resend holds the next one back for its Retry-After, and never shortens a running cooldown.
      extendResendCooldown: assign({
        resendAvailableAt: ({ context }, error: unknown) =>
          Math.max(context.resendAvailableAt ?? 0, rateLimitEnd(error) ?? 0),
      }),
      allowResend: assign({ resendAvailableAt: undefined }),
      clearError: assign({ error: undefined, retryAvailableAt: undefined }),
      allowRetry: assign({ retryAvailableAt: undefined }),
      storeSession: assign((_, answer: SucceededAnswer) => ({
        ...FORGET_SECRETS,
        step: undefined,
        reason: undefined,
        failure: undefined,
        error: undefined,
        stepCount: 0,
        sessionToken: answer.token,
      })),
      // Another tab's session, read from the shared storage: this tab holds it from now on.
      adoptSession: assign(({ context, event }) => {
        assertEvent(event, 'SESSION_ADOPTED');
        return {
          ...NOTHING_HELD,
          username: event.username ?? context.username,
          sessionToken: event.token,
          sessionExpiresAt: event.expiresAt,
        };
      }),
      // A login again in `succeeded.endingSoon`: the session stays held until the new one replaces it.
      startRelogin: assign(({ context, event }) => {
        assertEvent(event, 'SUBMIT_CREDENTIALS');
        return {
          ...RELOGIN_FORGOTTEN,
          // The session's user (the same login, perhaps typed in another case); for an older stored session, the one typed.
          username: context.username ?? event.username,
          request: credentials(event.username, secretOf(event.password)),
        };
      }),
      abandonRelogin: assign(RELOGIN_FORGOTTEN),
      // A re-login the server refused or could not finish here: the session is untouched until it ends.
      recordReloginFailure: assign((_, { step, reason, code }: FailedAnswer) => ({
        ...RELOGIN_FORGOTTEN,
        step,
        reason,
        failure: { step, reason, code },
      })),
      // PIN set-up and a password change cannot be done inside a running session: log out, or wait for its end.
      recordReloginJourney: assign((_, answer: PinSetupAnswer | PasswordChangeAnswer) => ({
        ...RELOGIN_FORGOTTEN,
        step: answer.step,
        reason: answer.reason,
        failure: {
          step: answer.step,
          reason: answer.reason,
          code: answer.state === 'pinSetup' ? ('pinNotInitialized' as const) : ('passwordExpired' as const),
        },
      })),
      recordReloginError: assign((_, error: unknown) => ({ ...RELOGIN_FORGOTTEN, error: errorData(error) })),
      recordReloginTooManySteps: assign(({ context }) => ({
        ...RELOGIN_FORGOTTEN,
        error: tooManyStepsError(context.stepCount),
      })),
      stampSession: assign({
        sessionExpiresAt: ({ context }) => Date.now() + context.settings.sessionLifetime,
      }),
      // Provided by createEtnaAuthMachine when `persist` is set: keep, forget and restore the session.
      persistSession: () => {},
      forgetStoredSession: () => {},
      restoreSession: () => {},
      adoptStoredSession: () => {},
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
        personalPhrase: answer.personalPhrase,
        securityImage: answer.securityImage,
        codeResent: false,
      })),
      recordTooManySteps: assign(({ context }) => ({ error: tooManyStepsError(context.stepCount) })),
      recordError: assign((_, error: unknown) => ({
        error: errorData(error),
        retryAvailableAt: rateLimitEnd(error),
      })),
      // The code prompt stays: its code still works, since no new one was sent.
      recordResendError: assign((_, error: unknown) => ({ error: errorData(error) })),
      abandonAttempt: assign(({ context }) => ({ ...NOTHING_HELD, username: context.username })),
      endSession: assign(({ context }, reason: EtnaSessionEndReason) => ({
        ...NOTHING_HELD,
        username: context.username,
        reason,
      })),
      // PIN set-up: the images first, with the token of the answer; the credentials are kept for the login after it.
      startPinSetup: assign(({ context }, answer: PinSetupAnswer) => {
        const { request } = context as { request: TokenRequest };
        return {
          ...FORGET_SECRETS,
          step: answer.step,
          reason: answer.reason,
          stepCount: 0,
          request: credentials(request.username, request.password),
          journeyToken: answer.token,
          confirmationToken: answer.confirmationToken,
          call: { kind: 'securityImages', request: { token: answer.token } } satisfies EtnaSideCall,
        };
      }),
      offerImages: assign((_, images: readonly SecurityImage[]) => ({
        securityImages: images,
        serverErrors: undefined,
      })),
      recordImagesRefused: assign(({ context }, { errors }: JourneyRefusal) => ({
        ...FORGET_SECRETS,
        serverErrors: errors,
        failure: {
          step: context.step ?? '',
          reason: errors[0] ?? 'the server refused the security images',
          code: 'pinNotInitialized' as const,
        },
      })),
      sendNewPin: assign(({ context, event }) => {
        assertEvent(event, 'SUBMIT_NEW_PIN');
        return {
          error: undefined,
          serverErrors: undefined,
          call: {
            kind: 'pinChange',
            request: {
              token: context.journeyToken as Secret,
              confirmationToken: context.confirmationToken as Secret,
              pin: secretOf(event.pin),
              imageName: event.imageName,
              personalPhrase: event.personalPhrase.trim(),
            },
          } satisfies EtnaSideCall,
        };
      }),
      recordRefusal: assign((_, { errors }: JourneyRefusal) => ({ serverErrors: errors })),
      // After a PIN set-up: the same credentials again, and the server asks for the new PIN.
      loginAgain: assign(({ context }) => {
        const { request } = context as { request: TokenRequest };
        return {
          ...FORGET_SECRETS,
          step: undefined,
          reason: undefined,
          serverErrors: undefined,
          stepCount: 0,
          request: credentials(request.username, request.password),
        };
      }),
      // After a password change or reset: the login with the new password.
      loginWithNewPassword: assign(({ context }) => {
        const { request } = context.call as { request: JourneyRequests['passwordChange'] };
        return {
          ...FORGET_SECRETS,
          step: undefined,
          reason: undefined,
          serverErrors: undefined,
          secretQuestion: undefined,
          stepCount: 0,
          request: credentials(context.username ?? '', request.password),
        };
      }),
      startPasswordChange: assign((_, answer: PasswordChangeAnswer) => ({
        ...FORGET_SECRETS,
        step: answer.step,
        reason: answer.reason,
        stepCount: 0,
        confirmationToken: answer.confirmationToken,
      })),
      sendNewPassword: assign(({ context, event }, kind: 'passwordChange' | 'resetPassword') => {
        assertEvent(event, 'SUBMIT_NEW_PASSWORD');
        return {
          error: undefined,
          serverErrors: undefined,
          call: {
            kind,
            request: {
              token: context.confirmationToken as Secret,
              password: secretOf(event.password),
              confirmation: secretOf(event.confirmation),
            },
          } satisfies EtnaSideCall,
        };
      }),
      startReset: assign(({ event }) => {
        assertEvent(event, 'FORGOT_PASSWORD');
        return {
          ...NOTHING_HELD,
          username: event.username,
          call: { kind: 'secretQuestion', request: { username: event.username } } satisfies EtnaSideCall,
        };
      }),
      askSecretQuestion: assign((_, question: string) => ({ secretQuestion: question })),
      requestResetCode: assign(({ context }) => ({
        call: {
          kind: 'resetRequest',
          request: { username: context.username ?? '', answer: undefined },
        } satisfies EtnaSideCall,
      })),
      sendSecretAnswer: assign(({ context, event }) => {
        assertEvent(event, 'SUBMIT_SECRET_ANSWER');
        return {
          error: undefined,
          serverErrors: undefined,
          call: {
            kind: 'resetRequest',
            request: { username: context.username ?? '', answer: secretOf(event.answer) },
          } satisfies EtnaSideCall,
        };
      }),
      recordResetRefused: assign((_, { errors }: JourneyRefusal) => ({
        ...FORGET_SECRETS,
        serverErrors: errors,
        step: 'PasswordReset',
        reason: errors[0] ?? 'the server refused the password reset',
        failure: {
          step: 'PasswordReset',
          reason: errors[0] ?? 'the server refused the password reset',
          code: 'resetRefused' as const,
        },
      })),
      awaitResetCode: assign({ serverErrors: undefined }),
      sendResetCode: assign(({ event }) => {
        assertEvent(event, 'SUBMIT_RESET_CODE');
        return {
          error: undefined,
          serverErrors: undefined,
          call: { kind: 'resetCode', request: { code: secretOf(event.code) } } satisfies EtnaSideCall,
        };
      }),
      acceptResetToken: assign((_, token: Secret) => ({ confirmationToken: token, serverErrors: undefined })),
    },
  }).createMachine({
    id: 'etnaAuth',
    context: { ...NOTHING_HELD, settings },
    initial: 'idle',
    entry: 'restoreSession',
    // What the other tabs sharing the storage do to the session (nothing, without such a storage).
    invoke: { id: 'sessionSync', src: 'sessionSync' },
    states: {
      idle: {
        meta: { region: 'login' },
        // With a storage shared by tabs, a session another tab stored while this one was busy with its own login.
        entry: 'adoptStoredSession',
        // Taken at start, when `persist` restored a session that is still valid, or one adopted on entry.
        always: { guard: 'holdsSession', target: 'succeeded' },
        on: {
          SESSION_ADOPTED: { target: 'succeeded', actions: 'adoptSession' },
          SUBMIT_CREDENTIALS: submitted('authenticating', 'startAttempt'),
          FORGOT_PASSWORD: submitted('passwordReset.loadingQuestion', 'startReset'),
        },
      },
      authenticating: {
        meta: { region: 'login' },
        tags: ['busy'],
        invoke: {
          id: REQUEST_TOKEN_ID,
          src: 'requestToken',
          input: ({ context }) => context.request as TokenRequest,
          // The answer, as the parser routed it: succeeded, failed (with its code), a journey, or one more step.
          onDone: [
            ...ANSWERS_THAT_END_THE_STEPS,
            // Only an answer that asks for one more step counts against maxSteps: the others end the chain.
            { guard: 'tooManySteps', target: 'error', actions: 'recordTooManySteps' },
            {
              guard: { type: 'answerAsksForPin', params: answer },
              target: 'expecting.securityPin',
              actions: { type: 'recordStep', params: stepAnswer },
            },
            {
              target: 'expecting.verificationCode',
              actions: [{ type: 'recordStep', params: stepAnswer }, 'startResendCooldown'],
            },
          ],
          onError: { target: 'error', actions: { type: 'recordError', params: errorOf } },
        },
        on: {
          CANCEL: { target: 'idle', actions: 'abandonAttempt' },
        },
      },
      expecting: {
        meta: { region: 'login' },
        // Required by XState for a compound state; every transition targets a child explicitly.
        initial: 'securityPin',
        on: {
          CANCEL: { target: 'idle', actions: 'abandonAttempt' },
        },
        states: {
          securityPin: {
            on: {
              SUBMIT_PIN: submitted('#etnaAuth.authenticating', 'sendPin'),
            },
          },
          verificationCode: {
            // Offers RESEND_CODE again when the cooldown is over.
            invoke: {
              src: 'countdown',
              input: ({ context }) => ({ at: context.resendAvailableAt, type: 'RESEND_ALLOWED' as const }),
            },
            on: {
              SUBMIT_VERIFICATION_CODE: submitted('#etnaAuth.authenticating', 'sendVerificationCode'),
              RESEND_CODE: { guard: 'resendAllowed', target: 'resendingCode', actions: 'startResend' },
              RESEND_ALLOWED: { guard: 'coolingDown', actions: 'allowResend' },
            },
          },
          // The first step posted again, so that the server sends a new code; the prompt stays on screen.
          resendingCode: {
            tags: ['busy'],
            invoke: {
              id: REQUEST_TOKEN_ID,
              src: 'requestToken',
              input: ({ context }) => context.request as TokenRequest,
              onDone: [
                ...ANSWERS_THAT_END_THE_STEPS,
                {
                  guard: { type: 'answerAsksForPin', params: answer },
                  target: 'securityPin',
                  actions: { type: 'recordStep', params: stepAnswer },
                },
                {
                  target: 'verificationCode',
                  actions: [
                    { type: 'recordStep', params: stepAnswer },
                    'markCodeResent',
                    'startResendCooldown',
                  ],
                },
              ],
              // No new code was sent: the prompt and its code stay; a 429 holds the next resend back.
              onError: [
                {
                  guard: { type: 'rateLimited', params: errorOf },
                  target: 'verificationCode',
                  actions: [
                    { type: 'recordResendError', params: errorOf },
                    { type: 'extendResendCooldown', params: errorOf },
                  ],
                },
                { target: 'verificationCode', actions: { type: 'recordResendError', params: errorOf } },
              ],
            },
          },
        },
      },
      pinSetup: {
        meta: { region: 'pinSetup' },
        initial: 'loadingImages',
        on: {
          CANCEL: { target: 'idle', actions: 'abandonAttempt' },
        },
        states: {
          loadingImages: {
            tags: ['busy'],
            invoke: {
              id: 'securityImages',
              src: 'securityImages',
              input: callRequest,
              onDone: [
                {
                  guard: { type: 'callRefused', params: callAnswer },
                  target: '#etnaAuth.failed',
                  actions: { type: 'recordImagesRefused', params: refusal },
                },
                { target: 'choosing', actions: { type: 'offerImages', params: imagesOf } },
              ],
              onError: { target: '#etnaAuth.error', actions: { type: 'recordError', params: errorOf } },
            },
          },
          choosing: {
            on: {
              SUBMIT_NEW_PIN: submitted('saving', 'sendNewPin'),
            },
          },
          saving: {
            tags: ['busy'],
            invoke: sideCall('pinChange', 'choosing', {
              target: '#etnaAuth.authenticating',
              actions: 'loginAgain',
            }),
          },
        },
      },
      passwordChange: {
        meta: { region: 'passwordChange' },
        initial: 'editing',
        on: {
          CANCEL: { target: 'idle', actions: 'abandonAttempt' },
        },
        states: {
          editing: {
            on: {
              SUBMIT_NEW_PASSWORD: submitted('saving', { type: 'sendNewPassword', params: 'passwordChange' }),
            },
          },
          saving: {
            tags: ['busy'],
            invoke: sideCall('passwordChange', 'editing', {
              target: '#etnaAuth.authenticating',
              actions: 'loginWithNewPassword',
            }),
          },
        },
      },
      passwordReset: {
        meta: { region: 'passwordReset' },
        initial: 'loadingQuestion',
        on: {
          CANCEL: { target: 'idle', actions: 'abandonAttempt' },
        },
        states: {
          loadingQuestion: {
            tags: ['busy'],
            invoke: {
              id: 'secretQuestion',
              src: 'secretQuestion',
              input: callRequest,
              onDone: [
                {
                  guard: { type: 'callRefused', params: callAnswer },
                  target: '#etnaAuth.failed',
                  actions: { type: 'recordResetRefused', params: refusal },
                },
                // No question on the account: the code is requested at once.
                {
                  guard: { type: 'noSecretQuestion', params: questionOf },
                  target: 'requestingCode',
                  actions: 'requestResetCode',
                },
                { target: 'question', actions: { type: 'askSecretQuestion', params: questionOf } },
              ],
              onError: { target: '#etnaAuth.error', actions: { type: 'recordError', params: errorOf } },
            },
          },
          question: {
            on: {
              SUBMIT_SECRET_ANSWER: submitted('requestingCode', 'sendSecretAnswer'),
            },
          },
          requestingCode: {
            tags: ['busy'],
            invoke: {
              id: 'resetRequest',
              src: 'resetRequest',
              input: callRequest,
              onDone: [
                // "Answer is incorrect": asked again.
                {
                  guard: { type: 'answerToQuestionRefused', params: callAnswer },
                  target: 'question',
                  actions: { type: 'recordRefusal', params: refusal },
                },
                {
                  guard: { type: 'callRefused', params: callAnswer },
                  target: '#etnaAuth.failed',
                  actions: { type: 'recordResetRefused', params: refusal },
                },
                { target: 'code', actions: 'awaitResetCode' },
              ],
              onError: { target: '#etnaAuth.error', actions: { type: 'recordError', params: errorOf } },
            },
          },
          code: {
            on: {
              SUBMIT_RESET_CODE: submitted('verifyingCode', 'sendResetCode'),
            },
          },
          verifyingCode: {
            tags: ['busy'],
            invoke: sideCall('resetCode', 'code', {
              target: 'newPassword',
              actions: { type: 'acceptResetToken', params: resetTokenOf },
            }),
          },
          newPassword: {
            on: {
              SUBMIT_NEW_PASSWORD: submitted('saving', { type: 'sendNewPassword', params: 'resetPassword' }),
            },
          },
          saving: {
            tags: ['busy'],
            invoke: sideCall('passwordChange', 'newPassword', {
              target: '#etnaAuth.authenticating',
              actions: 'loginWithNewPassword',
            }),
          },
        },
      },
      succeeded: {
        meta: { region: 'session' },
        initial: 'active',
        // Ends the session at its stamped (or restored) end time, so a restored session keeps its own end; the
        // wall clock is checked too when the page becomes visible or comes back online (timers fire late after a
        // sleep). Re-entered whenever the session is replaced or its end moves, so both start again.
        invoke: [
          {
            src: 'countdown',
            input: ({ context }) => ({ at: context.sessionExpiresAt ?? 0, type: 'SESSION_EXPIRED' as const }),
          },
          { src: 'wallClockCheck', input: ({ context }) => ({ at: context.sessionExpiresAt ?? 0 }) },
        ],
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
          SESSION_ENDED_ELSEWHERE: {
            target: 'idle',
            actions: { type: 'endSession', params: 'endedElsewhere' },
          },
          // Another tab logged in again or moved the end: the same session here, from now on.
          SESSION_ADOPTED: [
            { guard: 'sameSession' },
            { target: '#etnaAuth.succeeded', reenter: true, actions: 'adoptSession' },
          ],
          SESSION_ACTIVITY: {
            guard: 'slidingSession',
            target: '#etnaAuth.succeeded',
            reenter: true,
            // A re-login in progress is dropped: the session no longer ends soon.
            actions: ['abandonRelogin', 'stampSession', 'persistSession'],
          },
        },
        states: {
          active: {
            // `sessionWarning` ms before the end (never, when it is 0).
            invoke: {
              src: 'countdown',
              input: ({ context }) => ({
                at:
                  context.settings.sessionWarning > 0
                    ? (context.sessionExpiresAt ?? 0) - context.settings.sessionWarning
                    : undefined,
                type: 'SESSION_ENDING_SOON' as const,
              }),
            },
            on: {
              SESSION_ENDING_SOON: 'endingSoon',
            },
          },
          // The session still works; credentials sent here log in again in place, and a failure keeps it.
          endingSoon: {
            tags: ['endingSoon'],
            initial: 'warning',
            states: {
              warning: {
                on: {
                  SUBMIT_CREDENTIALS: submitted('authenticating', 'startRelogin'),
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
                      guard: { type: 'answerSucceeded', params: answer },
                      target: '#etnaAuth.succeeded',
                      reenter: true,
                      actions: [
                        { type: 'storeSession', params: succeededAnswer },
                        'stampSession',
                        'persistSession',
                      ],
                    },
                    {
                      guard: { type: 'answerFailed', params: answer },
                      target: 'warning',
                      actions: { type: 'recordReloginFailure', params: failedAnswer },
                    },
                    {
                      guard: { type: 'answerAsksForPinSetup', params: answer },
                      target: 'warning',
                      actions: { type: 'recordReloginJourney', params: pinSetupAnswer },
                    },
                    {
                      guard: { type: 'answerAsksForPasswordChange', params: answer },
                      target: 'warning',
                      actions: { type: 'recordReloginJourney', params: passwordChangeAnswer },
                    },
                    { guard: 'tooManySteps', target: 'warning', actions: 'recordReloginTooManySteps' },
                    {
                      guard: { type: 'answerAsksForPin', params: answer },
                      target: 'securityPin',
                      actions: { type: 'recordStep', params: stepAnswer },
                    },
                    { target: 'verificationCode', actions: { type: 'recordStep', params: stepAnswer } },
                  ],
                  onError: { target: 'warning', actions: { type: 'recordReloginError', params: errorOf } },
                },
                on: {
                  CANCEL: { target: 'warning', actions: 'abandonRelogin' },
                },
              },
              securityPin: {
                on: {
                  SUBMIT_PIN: submitted('authenticating', 'sendPin'),
                  CANCEL: { target: 'warning', actions: 'abandonRelogin' },
                },
              },
              verificationCode: {
                on: {
                  SUBMIT_VERIFICATION_CODE: submitted('authenticating', 'sendVerificationCode'),
                  CANCEL: { target: 'warning', actions: 'abandonRelogin' },
                },
              },
            },
          },
        },
      },
      loggingOut: {
        meta: { region: 'session' },
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
        meta: { region: 'outcomes' },
        // Start again from the form, the username kept; one way out, so RETRY and CANCEL cannot differ by accident.
        on: {
          RETRY: { target: 'idle', actions: 'abandonAttempt' },
          SESSION_ADOPTED: { target: 'succeeded', actions: 'adoptSession' },
        },
      },
      error: {
        meta: { region: 'outcomes' },
        // After a 429, offers RETRY again once its Retry-After has passed.
        invoke: {
          src: 'countdown',
          input: ({ context }) => ({ at: context.retryAvailableAt, type: 'RETRY_ALLOWED' as const }),
        },
        on: {
          // The same request again, whichever failed: /token, or the call beside it.
          RETRY: [
            retry('token', 'authenticating'),
            retry('securityImages', 'pinSetup.loadingImages'),
            retry('pinChange', 'pinSetup.saving'),
            retry('passwordChange', 'passwordChange.saving'),
            retry('secretQuestion', 'passwordReset.loadingQuestion'),
            retry('resetRequest', 'passwordReset.requestingCode'),
            retry('resetCode', 'passwordReset.verifyingCode'),
            retry('resetPassword', 'passwordReset.saving'),
          ],
          RETRY_ALLOWED: { guard: 'waitingToRetry', actions: 'allowRetry' },
          CANCEL: { target: 'idle', actions: 'abandonAttempt' },
          // Another tab logged in: no need to send this tab's request again.
          SESSION_ADOPTED: { target: 'succeeded', actions: 'adoptSession' },
        },
      },
    },
  });
}

/** The `/token` answers that end a chain of steps, alike from `authenticating` and from a resend. */
const ANSWERS_THAT_END_THE_STEPS = [
  {
    guard: { type: 'answerSucceeded', params: answer },
    target: '#etnaAuth.succeeded',
    actions: [{ type: 'storeSession', params: succeededAnswer }, 'stampSession', 'persistSession'],
  },
  {
    guard: { type: 'answerFailed', params: answer },
    target: '#etnaAuth.failed',
    actions: { type: 'recordFailure', params: failedAnswer },
  },
  {
    guard: { type: 'answerAsksForPinSetup', params: answer },
    target: '#etnaAuth.pinSetup',
    actions: { type: 'startPinSetup', params: pinSetupAnswer },
  },
  {
    guard: { type: 'answerAsksForPasswordChange', params: answer },
    target: '#etnaAuth.passwordChange',
    actions: { type: 'startPasswordChange', params: passwordChangeAnswer },
  },
] as const;

/**
 * A call beside `/token` whose refusal goes back to its form with the server's Errors, whose success goes on
 * (`done`), and whose transport problem goes to `error`, from where RETRY sends it again.
 */
function sideCall<const TCall extends string, const TForm extends string, const TDone>(
  call: TCall,
  form: TForm,
  done: TDone,
) {
  return {
    id: call,
    src: call,
    input: callRequest,
    onDone: [
      {
        guard: { type: 'callRefused', params: callAnswer },
        target: form,
        actions: { type: 'recordRefusal', params: refusal },
      },
      done,
    ],
    onError: { target: '#etnaAuth.error', actions: { type: 'recordError', params: errorOf } },
  } as const;
}

/**
 * A form's submission: refused in place (`context.error`, kind `input`) when a value cannot be sent, else on to
 * `target` with `action`, which keeps what the request needs.
 */
function submitted<const TTarget extends string, const TAction>(target: TTarget, action: TAction) {
  return [
    { guard: 'submissionRejected', actions: 'rejectSubmission' },
    { target, actions: action },
  ] as const;
}

/** `RETRY` from `error` to the busy state of the request that failed, once it may be sent again. */
function retry<const TTarget extends string>(call: EtnaRetryTarget, target: TTarget) {
  return {
    guard: and(['retryable', { type: 'failedCallWas', params: call }]),
    target,
    actions: 'clearError',
  } as const;
}

/** The login statechart with the default settings. */
export const etnaAuthMachine = etnaAuthMachineWith(DEFAULT_SETTINGS);

export type EtnaAuthMachine = typeof etnaAuthMachine;
