import type { Secret } from '../contract/secret.js';

/**
 * A secret an event carries: a plain string, or the same string already wrapped as `new Secret(value)`.
 * Send it wrapped: a development build of XState prints events sent to a stopped actor with
 * `JSON.stringify`, and a `Secret` prints as `[redacted]` there.
 * @example const pin: SecretInput = new Secret('1234');
 */
export type SecretInput = string | Secret;

import type { JourneyCall } from '../contract/calls.js';
import type { EtnaFailureCode } from '../contract/session.js';

/**
 * What the UI sends. Secret payloads (`password`, `pin`, `code`, `confirmation`, `answer`) may be plain strings
 * or `Secret`s; wrap them (`new Secret(value)`) so that nothing can print them. The machine wraps plain strings
 * as soon as it keeps them.
 * @example const event: EtnaAuthEvent = { type: 'SUBMIT_CREDENTIALS', username: 'bob', password: new Secret(password) };
 */
export type EtnaAuthEvent =
  | { readonly type: 'SUBMIT_CREDENTIALS'; readonly username: string; readonly password: SecretInput }
  | { readonly type: 'SUBMIT_PIN'; readonly pin: SecretInput }
  | { readonly type: 'SUBMIT_VERIFICATION_CODE'; readonly code: SecretInput }
  /** In `expecting.verificationCode` once the cooldown is over: post the credentials again for a new code. */
  | { readonly type: 'RESEND_CODE' }
  /** In `pinSetup.choosing`: the new PIN (digits, no leading zero), a security image by `fileName`, and a phrase. */
  | {
      readonly type: 'SUBMIT_NEW_PIN';
      readonly pin: SecretInput;
      readonly imageName: string;
      readonly personalPhrase: string;
    }
  /** In `passwordChange.editing` or `passwordReset.newPassword`: the new password, typed twice. */
  | {
      readonly type: 'SUBMIT_NEW_PASSWORD';
      readonly password: SecretInput;
      readonly confirmation: SecretInput;
    }
  /** In `idle`: start a password reset for this login (or e-mail). */
  | { readonly type: 'FORGOT_PASSWORD'; readonly username: string }
  /** In `passwordReset.question`: the answer to `context.secretQuestion`. */
  | { readonly type: 'SUBMIT_SECRET_ANSWER'; readonly answer: SecretInput }
  /** In `passwordReset.code`: the code the server e-mailed. */
  | { readonly type: 'SUBMIT_RESET_CODE'; readonly code: SecretInput }
  | { readonly type: 'CANCEL' }
  | { readonly type: 'RETRY' }
  | { readonly type: 'LOGOUT' }
  /** Sent by the machine's own timer when a rate limit's `Retry-After` has passed: `RETRY` is offered again. */
  | { readonly type: 'RETRY_ALLOWED' }
  /** Sent by the machine's own timer when the resend cooldown is over: `RESEND_CODE` is offered again. */
  | { readonly type: 'RESEND_ALLOWED' }
  /** Sent by `createEtnaClient` when the API answers 401 to the current token: the session was revoked or expired. */
  | { readonly type: 'SESSION_REVOKED' }
  /**
   * The session's end time has passed: sent by the machine's own session timer, by its wall-clock check when the
   * page becomes visible or comes back online, by `createEtnaClient` before a request, or by an application that
   * noticed it first. It ends the session: send it only once `sessionExpiresAt` has passed.
   */
  | { readonly type: 'SESSION_EXPIRED' }
  /** Sent by the machine's own timer `sessionWarning` ms before the end: `succeeded.endingSoon` begins. */
  | { readonly type: 'SESSION_ENDING_SOON' }
  /**
   * Sent by `createEtnaClient` after a successful API call when the machine has `slidingSession`: it moves the
   * session's end to `sessionLifetime` from now. Without `slidingSession` the machine ignores it.
   */
  | { readonly type: 'SESSION_ACTIVITY' }
  /**
   * Sent when another tab sharing the storage logged in, logged in again or moved the end: the session it stored,
   * read from the storage (never from the tab's message). Taken in `idle`, `failed`, `error`, the forms and their
   * requests, and `succeeded`; ignored in `loggingOut`.
   */
  | {
      readonly type: 'SESSION_ADOPTED';
      readonly token: Secret;
      readonly expiresAt: number;
      readonly username: string | undefined;
    }
  /** Sent when another tab sharing the storage ended the session (logout, revocation, expiry). */
  | { readonly type: 'SESSION_ENDED_ELSEWHERE' };

/**
 * Why the latest login attempt ended in `failed`: the server's Step and Reason, and a code to route on.
 * @example const { step, reason, code }: EtnaAuthFailure = snapshot.context.failure!;
 */
export interface EtnaAuthFailure {
  readonly step: string;
  readonly reason: string;
  readonly code: EtnaFailureCode;
}

/**
 * What the machine is set up with: its limits, and where the API is. `createEtnaAuthMachine` fills it from its
 * options; the bare `etnaAuthMachine` has the defaults and no API. Read it from `context.settings`.
 * @example const { sessionLifetime, apiRoot }: EtnaAuthSettings = snapshot.context.settings;
 */
export interface EtnaAuthSettings {
  /** Consecutive Expecting answers allowed in one login before it ends in `error` (kind `protocol`). */
  readonly maxSteps: number;
  /** Milliseconds a session lasts after login. */
  readonly sessionLifetime: number;
  /** The API root the session token belongs to (`createEtnaClient` sends it only there), when known. */
  readonly apiRoot: string | undefined;
  /** The application key every API call carries as `Et-App-Key`, when known. Not a user secret. */
  readonly appKey: string | undefined;
  /** Milliseconds after a verification code was sent before `RESEND_CODE` is offered. */
  readonly resendCooldown: number;
  /** Milliseconds before the session's end at which `succeeded.endingSoon` begins; 0: no warning. */
  readonly sessionWarning: number;
  /** Whether each successful `createEtnaClient` call (`SESSION_ACTIVITY`) moves the end to `sessionLifetime` from now. */
  readonly slidingSession: boolean;
}

/**
 * The id of a request actor whose failure leads to `error`, from where `RETRY` sends its request again:
 * `requestToken` (the `/token` request of a login), a call beside it (`securityImages`, `pinChange`,
 * `passwordChange`, `secretQuestion`, `resetRequest`, `resetCode`) or `resetPassword` (the password change that
 * ends a reset). Read it from `context.failedRequest`.
 * @example const retrying: EtnaRetryTarget | undefined = snapshot.context.failedRequest;
 */
export type EtnaRetryTarget = 'requestToken' | JourneyCall | 'resetPassword';

export type { EtnaAuthContext } from './context.js';
