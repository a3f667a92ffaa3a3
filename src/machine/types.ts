import type { EtnaAuthErrorData } from '../contract/auth-error.js';
import type { Secret } from '../contract/secret.js';

/**
 * A secret an event carries: a plain string, or the same string already wrapped as `new Secret(value)`.
 * Send it wrapped: a development build of XState prints events sent to a stopped actor with
 * `JSON.stringify`, and a `Secret` prints as `[redacted]` there.
 */
export type SecretInput = string | Secret;

import type { JourneyRequests, SecurityImage } from '../contract/journey.js';
import type { EtnaFailureCode } from '../contract/session.js';
import type { TokenRequest } from '../contract/token-request.js';

/**
 * What the UI sends. Secret payloads (`password`, `pin`, `code`, `confirmation`, `answer`) may be plain strings
 * or `Secret`s; wrap them (`new Secret(value)`) so that nothing can print them. The machine wraps plain strings
 * as soon as it keeps them.
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

/** Why the latest login attempt ended in `failed`: the server's Step and Reason, and a code to route on. */
export interface EtnaAuthFailure {
  readonly step: string;
  readonly reason: string;
  readonly code: EtnaFailureCode;
}

/**
 * What the machine is set up with: its limits, and where the API is. `createEtnaAuthMachine` fills it from its
 * options; the bare `etnaAuthMachine` has the defaults and no API. Read it from `context.settings`.
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
 * A call beside `/token` in flight, or the one that failed (`RETRY` sends it again): which one, and its request.
 * `resetPassword` is the password change that ends a reset. Internal.
 */
export type EtnaSideCall =
  | { readonly kind: 'securityImages'; readonly request: JourneyRequests['securityImages'] }
  | { readonly kind: 'pinChange'; readonly request: JourneyRequests['pinChange'] }
  | { readonly kind: 'passwordChange'; readonly request: JourneyRequests['passwordChange'] }
  | { readonly kind: 'secretQuestion'; readonly request: JourneyRequests['secretQuestion'] }
  | { readonly kind: 'resetRequest'; readonly request: JourneyRequests['resetRequest'] }
  | { readonly kind: 'resetCode'; readonly request: JourneyRequests['resetCode'] }
  | { readonly kind: 'resetPassword'; readonly request: JourneyRequests['passwordChange'] };

/** Which request `RETRY` sends again from `error`: `/token`, or one of the calls beside it. */
export type EtnaRetryTarget = 'token' | EtnaSideCall['kind'];

export interface EtnaAuthContext {
  /** The machine's settings; they never change while it runs. */
  readonly settings: EtnaAuthSettings;
  /**
   * The login of the current or last attempt (kept after CANCEL so a form can refill it); in `succeeded`, whose
   * session it is (restored and adopted sessions included; undefined for a session stored before it was kept).
   */
  readonly username: string | undefined;
  /** The server's `Step` in the latest answer, e.g. `SecutityPin`. */
  readonly step: string | undefined;
  /**
   * The server's `Reason` in the latest answer, e.g. `Invalid pin`; in `idle` after a session, why it
   * ended: `expired`, `revoked`, `loggedOut` or `endedElsewhere` (an `EtnaSessionEndReason`).
   */
  readonly reason: string | undefined;
  /** Set in `failed`, and in `succeeded.endingSoon.warning` after a refused re-login (the session stays). */
  readonly failure: EtnaAuthFailure | undefined;
  /** Set in `error`, or with kind `input` when a submitted value was refused before sending. */
  readonly error: EtnaAuthErrorData | undefined;
  /** Consecutive Expecting answers in this attempt, bounded by `maxSteps`. */
  readonly stepCount: number;
  /** The request in flight, or the one that failed (RETRY sends it again). Internal. */
  readonly request: TokenRequest | undefined;
  /** The interim token of the latest 202. Internal. */
  readonly interimToken: Secret | undefined;
  /** The session token; read it with `selectToken`. Internal. */
  readonly sessionToken: Secret | undefined;
  /** When the session ends by itself (epoch milliseconds), set in `succeeded`. */
  readonly sessionExpiresAt: number | undefined;
  /**
   * The anti-phishing phrase of the PIN step's answer, while the PIN is asked for: show it beside the PIN field.
   * Personal: never persisted, redacted by `withRedaction`.
   */
  readonly personalPhrase: string | undefined;
  /** The anti-phishing picture of the PIN step's answer (`<img src={securityImage.dataUrl}>`), while the PIN is asked for. */
  readonly securityImage: SecurityImage | undefined;
  /** In `pinSetup.choosing`: the security images to pick from. */
  readonly securityImages: readonly SecurityImage[] | undefined;
  /** In `passwordReset.question`: the account's secret question. */
  readonly secretQuestion: string | undefined;
  /** The server's `Errors` of the last refused call beside `/token` (a form shows them and stays). */
  readonly serverErrors: readonly string[] | undefined;
  /** True in `expecting.verificationCode` after a resend: the earlier code no longer works. */
  readonly codeResent: boolean;
  /** While set (epoch ms), `RESEND_CODE` is not offered: the cooldown after a code was sent, or a 429's `Retry-After`. */
  readonly resendAvailableAt: number | undefined;
  /** In `error` after a 429: `RETRY` is not offered before this time (epoch ms, from `Retry-After`). */
  readonly retryAvailableAt: number | undefined;
  /** The call beside `/token` in flight or failed; undefined when it was `/token`. Internal. */
  readonly call: EtnaSideCall | undefined;
  /**
   * The token the PIN set-up calls authorize with, the confirmation token of a PIN set-up or password change, or
   * the reset token of a password reset. Internal.
   */
  readonly journeyToken: Secret | undefined;
  readonly confirmationToken: Secret | undefined;
}
