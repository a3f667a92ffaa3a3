// The login region: the stored session read at start from a storage that answers later (`restoring`), the
// credentials form (`idle`), the `/token` request (`authenticating`), and the steps the server asks for after it
// (`expecting.securityPin`, `expecting.verificationCode`, a resend of the code).
import { assertEvent, assign } from 'xstate';
import type { StoredSession } from '../../contract/session.js';
import type { FailedAnswer, StepAnswer } from '../../contract/token-request.js';
import {
  answer,
  failedAnswer,
  passwordChangeAnswer,
  pinSetupAnswer,
  stepAnswer,
  succeededAnswer,
} from '../answers.js';
import { credentials } from '../attempt.js';
import { ATTEMPT_OVER, NOTHING_HELD } from '../context.js';
import { secretOf } from '../input-problems.js';
import { held } from '../restore-safe.js';
import {
  errorData,
  failsToError,
  machineSetup,
  REQUEST_TOKEN_ID,
  rateLimitEnd,
  regionImplementations,
  stepRecord,
  submitted,
} from '../setup.js';

type ErrorEvent = { readonly event: { readonly error: unknown } };
const errorOf = ({ event }: ErrorEvent) => event.error;

export const loginImplementations = regionImplementations({
  guards: {
    // Taken at start, when `persist` restored a session that is still valid, or one adopted on entry.
    holdsSession: ({ context }) => context.sessionToken !== undefined,
    // A storage that answers at once was read on entry (or there is none): nothing to wait for.
    restoreSettled: ({ context }) => !context.restorePending,
    resendAllowed: ({ context }) => context.resendAvailableAt === undefined,
    coolingDown: ({ context }) => context.resendAvailableAt !== undefined,
    rateLimited: (_, error: unknown) => rateLimitEnd(error) !== undefined,
  },
  actions: {
    startAttempt: assign(({ event }) => {
      assertEvent(event, 'SUBMIT_CREDENTIALS');
      return {
        ...NOTHING_HELD,
        username: event.username,
        request: credentials(event.username, secretOf(event.password)),
      };
    }),
    // The forgotten password's first call, from the login form: no session, nothing else held.
    startReset: assign(({ event }) => {
      assertEvent(event, 'FORGOT_PASSWORD');
      return {
        ...NOTHING_HELD,
        username: event.username,
        calls: { secretQuestion: { username: event.username } },
      };
    }),
    recordFailure: assign((_, { step, reason, code }: FailedAnswer) => ({
      ...ATTEMPT_OVER,
      step,
      reason,
      failure: { step, reason, code },
    })),
    recordTooManySteps: assign(({ context }) => ({
      error: {
        kind: 'protocol' as const,
        message: `the server asked for more than ${context.stepCount} steps in a row`,
      },
      failedRequest: REQUEST_TOKEN_ID,
    })),
    // A resend is the first step again: the server answers with a new interim token and sends a new code.
    startResend: assign(({ context }) => ({
      error: undefined,
      stepCount: 0,
      request: context.request && credentials(context.request.username, context.request.password),
    })),
    markCodeResent: assign({ codeResent: true }),
    // The code step: the cooldown before a resend starts with it.
    recordCodeStep: assign(({ context }, answer: StepAnswer) => ({
      ...stepRecord(context, answer),
      resendAvailableAt: Date.now() + context.settings.resendCooldown,
    })),
    // A 429 to a resend holds the next one back for its Retry-After, and never shortens a running cooldown.
    extendResendCooldown: assign({
      resendAvailableAt: ({ context }, error: unknown) =>
        Math.max(context.resendAvailableAt ?? 0, rateLimitEnd(error) ?? 0),
    }),
    allowResend: assign({ resendAvailableAt: undefined }),
    // The code prompt stays: its code still works, since no new one was sent.
    recordResendError: assign((_, error: unknown) => ({ error: errorData(error) })),
    // What a storage that answers later held: the session (already checked by the storage's keeper), or none.
    holdRestoredSession: assign((_, session: StoredSession | undefined) => ({
      restorePending: false,
      ...(session && {
        sessionToken: session.token,
        sessionExpiresAt: session.expiresAt,
        username: session.username,
      }),
    })),
    forgetRestore: assign({ restorePending: false }),
  },
});

const login = machineSetup.extend(loginImplementations);

/** The `/token` answers that end a chain of steps, alike from `authenticating` and from a resend. */
const answersThatEndTheSteps = () =>
  [
    {
      guard: { type: 'answerSucceeded', params: answer },
      target: '#etnaAuth.succeeded',
      actions: [{ type: 'storeSession', params: succeededAnswer }, 'persistSession'],
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

type RestoredEvent = { readonly event: { readonly output: StoredSession | undefined } };

/**
 * Where the chart starts. While a storage that answers later (React Native's AsyncStorage, an IndexedDB wrapper) is read: no
 * request is sent and nothing is offered. Then the stored session (`succeeded`) or the login form (`idle`); a
 * storage that fails or never answers in time holds nothing.
 */
export const restoring = () =>
  login.createStateConfig({
    meta: { region: 'login' },
    // Left at once when the storage answers at once (or there is none): `idle`, or `succeeded` from there.
    always: { guard: 'restoreSettled', target: 'idle' },
    tags: ['restoring'],
    invoke: {
      id: 'readStoredSession',
      src: 'readStoredSession',
      onDone: {
        target: 'idle',
        actions: { type: 'holdRestoredSession', params: ({ event }: RestoredEvent) => event.output },
      },
      onError: { target: 'idle', actions: 'forgetRestore' },
    },
  });

export const idle = () =>
  login.createStateConfig({
    meta: { region: 'login' },
    // With a storage shared by tabs, a session another tab stored while this one was busy with its own login.
    entry: 'adoptStoredSession',
    always: { guard: 'holdsSession', target: 'succeeded' },
    on: {
      SESSION_ADOPTED: { target: 'succeeded', actions: 'adoptSession' },
      SUBMIT_CREDENTIALS: submitted('authenticating', 'startAttempt'),
      FORGOT_PASSWORD: submitted('passwordReset.loadingQuestion', 'startReset'),
    },
  });

export const authenticating = () =>
  login.createStateConfig({
    meta: { region: 'login' },
    tags: ['busy'],
    invoke: {
      id: REQUEST_TOKEN_ID,
      src: 'requestToken',
      input: ({ context }) => held(context.request, '/token'),
      // The answer, as the parser routed it: succeeded, failed (with its code), a journey, or one more step.
      onDone: [
        ...answersThatEndTheSteps(),
        // Only an answer that asks for one more step counts against maxSteps: the others end the chain.
        { guard: 'tooManySteps', target: 'error', actions: 'recordTooManySteps' },
        {
          guard: { type: 'answerAsksForPin', params: answer },
          target: 'expecting.securityPin',
          actions: { type: 'recordStep', params: stepAnswer },
        },
        { target: 'expecting.verificationCode', actions: { type: 'recordCodeStep', params: stepAnswer } },
      ],
      onError: failsToError(REQUEST_TOKEN_ID),
    },
    on: {
      CANCEL: { target: 'idle', actions: 'abandonAttempt' },
    },
  });

export const expecting = () =>
  login.createStateConfig({
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
          input: ({ context }) => held(context.request, '/token'),
          onDone: [
            ...answersThatEndTheSteps(),
            {
              guard: { type: 'answerAsksForPin', params: answer },
              target: 'securityPin',
              actions: { type: 'recordStep', params: stepAnswer },
            },
            {
              target: 'verificationCode',
              actions: [{ type: 'recordCodeStep', params: stepAnswer }, 'markCodeResent'],
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
  });
