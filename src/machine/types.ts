import type { EtnaAuthErrorData } from '../contract/auth-error.js';
import type { Secret } from '../contract/secret.js';

/**
 * A secret an event carries: a plain string, or the same string already wrapped as `new Secret(value)`.
 * Send it wrapped: a development build of XState prints events sent to a stopped actor with
 * `JSON.stringify`, and a `Secret` prints as `[redacted]` there.
 */
export type SecretInput = string | Secret;

import type { EtnaFailureCode } from '../contract/session.js';
import type { TokenRequest } from '../contract/token-request.js';

/**
 * What the UI sends. Secret payloads (`password`, `pin`, `code`) may be plain strings or `Secret`s; wrap them
 * (`new Secret(value)`) so that nothing can print them. The machine wraps plain strings as soon as it keeps them.
 */
export type EtnaAuthEvent =
  | { readonly type: 'SUBMIT_CREDENTIALS'; readonly username: string; readonly password: SecretInput }
  | { readonly type: 'SUBMIT_PIN'; readonly pin: SecretInput }
  | { readonly type: 'SUBMIT_VERIFICATION_CODE'; readonly code: SecretInput }
  | { readonly type: 'CANCEL' }
  | { readonly type: 'RETRY' }
  | { readonly type: 'LOGOUT' }
  /** Sent by `createEtnaClient` when the API answers 401 to the current token: the session was revoked or expired. */
  | { readonly type: 'SESSION_REVOKED' }
  /**
   * The session's end time has passed: sent by the machine's own session timer, or by an application that
   * noticed it first (for example after the computer slept). Ignored while the end time is still ahead.
   */
  | { readonly type: 'SESSION_EXPIRED' };

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
}

export interface EtnaAuthContext {
  /** The machine's settings; they never change while it runs. */
  readonly settings: EtnaAuthSettings;
  /** The login of the current or last attempt (kept after CANCEL so a form can refill it). */
  readonly username: string | undefined;
  /** The server's `Step` in the latest answer, e.g. `SecutityPin`. */
  readonly step: string | undefined;
  /**
   * The server's `Reason` in the latest answer, e.g. `Invalid pin`; in `idle` after a session, why it
   * ended: `expired`, `revoked` or `loggedOut` (an `EtnaSessionEndReason`).
   */
  readonly reason: string | undefined;
  /** Set in `failed`. */
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
}
