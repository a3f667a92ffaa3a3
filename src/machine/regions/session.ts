// The session region: logged in (`succeeded`, with its warning and its login again in place before the end),
// and logging out. The session ends at its end time, on a 401 from the API, on LOGOUT, or in another tab.
import { assertEvent, assign } from 'xstate';
import { sameLogin } from '../../contract/input-rules.js';
import type { EtnaSessionEndReason } from '../../contract/session.js';
import type { FailedAnswer, PasswordChangeAnswer, PinSetupAnswer } from '../../contract/token-request.js';
import {
  answer,
  failedAnswer,
  passwordChangeAnswer,
  pinSetupAnswer,
  stepAnswer,
  succeededAnswer,
} from '../answers.js';
import { credentials } from '../attempt.js';
import { LOGIN_CLEARED, NOTHING_HELD } from '../context.js';
import { secretOf } from '../input-problems.js';
import { held } from '../restore-safe.js';
import {
  errorData,
  LOGOUT_ID,
  machineSetup,
  REQUEST_TOKEN_ID,
  rateLimitEnd,
  regionImplementations,
  submitted,
} from '../setup.js';

/** What a login again in `succeeded.endingSoon` held, forgotten; the session itself stays as it is. */
const reloginForgotten = () =>
  ({
    ...LOGIN_CLEARED,
    step: undefined,
    reason: undefined,
    failure: undefined,
    error: undefined,
  }) as const;

type ErrorEvent = { readonly event: { readonly error: unknown } };
const errorOf = ({ event }: ErrorEvent) => event.error;

export const sessionImplementations = regionImplementations({
  guards: {
    // Another tab's session that this one already holds (the echo of its own write, or a repeat).
    sameSession: ({ context, event }) => {
      assertEvent(event, 'SESSION_ADOPTED');
      return (
        context.sessionToken?.reveal() === event.token.reveal() &&
        context.sessionExpiresAt === event.expiresAt
      );
    },
    slidingSession: ({ context }) => context.settings.slidingSession,
    // Another tab's session of another user: this tab's session ends first (a screen showing one user's data
    // must never act with another's token). The same session (its end moved), or the same login, is this user's.
    anotherUsersSession: ({ context, event }) => {
      assertEvent(event, 'SESSION_ADOPTED');
      if (context.sessionToken?.reveal() === event.token.reveal()) return false;
      return (
        context.username === undefined ||
        event.username === undefined ||
        !sameLogin(context.username, event.username)
      );
    },
  },
  actions: {
    endSession: assign(({ context }, reason: EtnaSessionEndReason) => ({
      ...NOTHING_HELD,
      username: context.username,
      reason,
    })),
    // A login again in `succeeded.endingSoon`: the session stays held until the new one replaces it.
    startRelogin: assign(({ context, event }) => {
      assertEvent(event, 'SUBMIT_CREDENTIALS');
      return {
        ...reloginForgotten(),
        // The session's user (the same login, perhaps typed in another case); for an older stored session, the one typed.
        username: context.username ?? event.username,
        request: credentials(event.username, secretOf(event.password)),
      };
    }),
    abandonRelogin: assign(reloginForgotten),
    // A re-login the server refused or could not finish here: the session is untouched until it ends.
    recordReloginFailure: assign((_, { step, reason, code }: FailedAnswer) => ({
      ...reloginForgotten(),
      step,
      reason,
      failure: { step, reason, code },
    })),
    // PIN set-up and a password change cannot be done inside a running session: log out, or wait for its end.
    recordReloginJourney: assign((_, journey: PinSetupAnswer | PasswordChangeAnswer) => ({
      ...reloginForgotten(),
      step: journey.step,
      reason: journey.reason,
      failure: {
        step: journey.step,
        reason: journey.reason,
        code: journey.state === 'pinSetup' ? ('pinNotInitialized' as const) : ('passwordExpired' as const),
      },
    })),
    // A 429 holds the next login again back for its Retry-After, as on the login form.
    recordReloginError: assign((_, error: unknown) => ({
      ...reloginForgotten(),
      error: errorData(error),
      retryAvailableAt: rateLimitEnd(error),
    })),
    recordReloginTooManySteps: assign(({ context }) => ({
      ...reloginForgotten(),
      error: {
        kind: 'protocol' as const,
        message: `the server asked for more than ${context.stepCount} steps in a row`,
      },
    })),
  },
});

const region = machineSetup.extend(sessionImplementations);

/** Back to the warning, the login again dropped. */
const backToWarning = () => ({ target: 'warning', actions: 'abandonRelogin' }) as const;

export const succeeded = () =>
  region.createStateConfig({
    meta: { region: 'session' },
    initial: 'active',
    // Ends the session at its stamped (or restored) end time, so a restored session keeps its own end, and warns
    // `sessionWarning` ms before it (never, when it is 0); the wall clock is checked too when the page becomes
    // visible or comes back online (timers fire late after a sleep). Re-entered whenever the session is replaced or
    // its end moves, so the clock starts again.
    invoke: {
      src: 'sessionClock',
      input: ({ context }) => {
        const endsAt = context.sessionExpiresAt ?? 0;
        const { sessionWarning } = context.settings;
        return { endsAt, warnAt: sessionWarning > 0 ? endsAt - sessionWarning : undefined };
      },
    },
    on: {
      SESSION_EXPIRED: {
        target: 'idle',
        actions: ['forgetStoredSession', { type: 'endSession', params: 'expired' }],
      },
      // A login again in progress is dropped with its secrets: only the session token goes on to the logout.
      LOGOUT: { target: 'loggingOut', actions: ['forgetStoredSession', 'abandonRelogin'] },
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
        {
          guard: 'anotherUsersSession',
          target: 'idle',
          actions: { type: 'endSession', params: 'endedElsewhere' },
        },
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
            // After a 429, offers the login again once its Retry-After has passed.
            invoke: {
              src: 'countdown',
              input: ({ context }) => ({ at: context.retryAvailableAt, type: 'RETRY_ALLOWED' as const }),
            },
            on: {
              SUBMIT_CREDENTIALS: [
                // Not before a rate limit's wait is over: nothing is sent, and `can()` says so.
                { guard: 'waitingToRetry' },
                ...submitted('authenticating', 'startRelogin'),
              ],
              RETRY_ALLOWED: { guard: 'waitingToRetry', actions: 'allowRetry' },
            },
          },
          authenticating: {
            tags: ['busy'],
            invoke: {
              id: REQUEST_TOKEN_ID,
              src: 'requestToken',
              input: ({ context }) => held(context.request, '/token'),
              onDone: [
                {
                  guard: { type: 'answerSucceeded', params: answer },
                  target: '#etnaAuth.succeeded',
                  reenter: true,
                  actions: [{ type: 'storeSession', params: succeededAnswer }, 'persistSession'],
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
              CANCEL: backToWarning(),
            },
          },
          securityPin: {
            on: {
              SUBMIT_PIN: submitted('authenticating', 'sendPin'),
              CANCEL: backToWarning(),
            },
          },
          verificationCode: {
            on: {
              SUBMIT_VERIFICATION_CODE: submitted('authenticating', 'sendVerificationCode'),
              CANCEL: backToWarning(),
            },
          },
        },
      },
    },
  });

export const loggingOut = () =>
  region.createStateConfig({
    meta: { region: 'session' },
    tags: ['busy'],
    // Best effort: whatever the server says, or if it says nothing, the session is over.
    invoke: {
      id: LOGOUT_ID,
      src: 'logout',
      input: ({ context }) => held(context.sessionToken, 'logout'),
      onDone: { target: 'idle', actions: { type: 'endSession', params: 'loggedOut' } },
      onError: { target: 'idle', actions: { type: 'endSession', params: 'loggedOut' } },
    },
    on: {
      // Logging out again does not wait for the server.
      LOGOUT: { target: 'idle', actions: { type: 'endSession', params: 'loggedOut' } },
    },
  });
