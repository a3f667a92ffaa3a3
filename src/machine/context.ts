// The machine's context, grouped by who owns it. Each group lists its fields once, with the values it has when it
// holds nothing; leaving a region puts its group back to those values in one step, and nothing held at all is
// every group's, composed below. The screens read the fields documented as theirs; the rest is internal.
import type { EtnaAuthErrorData } from '../contract/auth-error.js';
import type { JourneyCall, JourneyRequests } from '../contract/calls.js';
import type { SecurityImage } from '../contract/journey.js';
import type { Secret } from '../contract/secret.js';
import type { TokenRequest } from '../contract/token-request.js';
import type { EtnaAuthFailure, EtnaAuthSettings } from './types.js';

/** What an answer said last: every region's screens read it. */
export interface AnswerContext {
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
  /** The server's `Errors` of the last refused call beside `/token` (a form shows them and stays). */
  readonly serverErrors: readonly string[] | undefined;
}

/** The login region's: the `/token` requests and the steps they lead to. */
export interface LoginContext {
  /** Consecutive Expecting answers in this attempt, bounded by `maxSteps`. */
  readonly stepCount: number;
  /** The `/token` request in flight, or the one that failed (RETRY sends it again). Internal. */
  readonly request: TokenRequest | undefined;
  /** The interim token of the latest 202. Internal. */
  readonly interimToken: Secret | undefined;
  /**
   * The anti-phishing phrase of the PIN step's answer, while the PIN is asked for: show it beside the PIN field.
   * Personal: never persisted, redacted by `withRedaction`.
   */
  readonly personalPhrase: string | undefined;
  /** The anti-phishing picture of the PIN step's answer (`<img src={securityImage.dataUrl}>`), while the PIN is asked for. */
  readonly securityImage: SecurityImage | undefined;
  /** True in `expecting.verificationCode` after a resend: the earlier code no longer works. */
  readonly codeResent: boolean;
  /** While set (epoch ms), `RESEND_CODE` is not offered: the cooldown after a code was sent, or a 429's `Retry-After`. */
  readonly resendAvailableAt: number | undefined;
}

/** The journeys' (PIN set-up, password change and reset): the calls beside `/token` and what they answered. */
export interface JourneyContext {
  /** The request of each call beside `/token` in flight, or failed (RETRY sends it again), by call. Internal. */
  readonly calls: { readonly [K in JourneyCall]?: JourneyRequests[K] };
  /** In `pinSetup`: the tokens of the `PIN code is not init` answer that the set-up calls send. Internal. */
  readonly pinSetupTokens: { readonly token: Secret; readonly confirmationToken: Secret } | undefined;
  /** In `pinSetup.choosing`: the security images to pick from. */
  readonly securityImages: readonly SecurityImage[] | undefined;
  /** The token that changes the password: an expired password's confirmation token, or a reset token. Internal. */
  readonly passwordToken: Secret | undefined;
  /** In `passwordReset.question`: the account's secret question. */
  readonly secretQuestion: string | undefined;
}

/** The session region's. */
export interface SessionContext {
  /** The session token; read it with `selectToken`. Internal. */
  readonly sessionToken: Secret | undefined;
  /** When the session ends by itself (epoch milliseconds), set in `succeeded`. */
  readonly sessionExpiresAt: number | undefined;
  /** True at start while a storage that answers later is read (`restoring`). Internal. */
  readonly restorePending: boolean;
}

/** The outcomes region's: what `error` offers again. */
export interface OutcomeContext {
  /** In `error` after a 429: `RETRY` is not offered before this time (epoch ms, from `Retry-After`). */
  readonly retryAvailableAt: number | undefined;
  /** The id of the request actor whose failure led to `error`: RETRY sends its request again. Internal. */
  readonly failedRequest: string | undefined;
}

/**
 * What the machine holds, read from `snapshot.context`: what the UI shows (the username, the server's Step and
 * Reason, the failure or error, the anti-phishing phrase and picture, the countdowns) and, as `Secret`s, what it
 * must not show.
 * @example const { username, reason, error }: EtnaAuthContext = actor.getSnapshot().context;
 */
export interface EtnaAuthContext
  extends AnswerContext,
    LoginContext,
    JourneyContext,
    SessionContext,
    OutcomeContext {
  /** The machine's settings; they never change while it runs. */
  readonly settings: EtnaAuthSettings;
}

/** A group's values when it holds nothing: every one of its fields, so none can be forgotten. */
type Cleared<TGroup> = { readonly [K in keyof Required<TGroup>]: TGroup[K] };

export const ANSWER_CLEARED = {
  username: undefined,
  step: undefined,
  reason: undefined,
  failure: undefined,
  error: undefined,
  serverErrors: undefined,
} as const satisfies Cleared<AnswerContext>;

export const LOGIN_CLEARED = {
  stepCount: 0,
  request: undefined,
  interimToken: undefined,
  personalPhrase: undefined,
  securityImage: undefined,
  codeResent: false,
  resendAvailableAt: undefined,
} as const satisfies Cleared<LoginContext>;

export const JOURNEY_CLEARED = {
  calls: {},
  pinSetupTokens: undefined,
  securityImages: undefined,
  passwordToken: undefined,
  secretQuestion: undefined,
} as const satisfies Cleared<JourneyContext>;

export const SESSION_CLEARED = {
  sessionToken: undefined,
  sessionExpiresAt: undefined,
  restorePending: false,
} as const satisfies Cleared<SessionContext>;

export const OUTCOME_CLEARED = {
  retryAvailableAt: undefined,
  failedRequest: undefined,
} as const satisfies Cleared<OutcomeContext>;

/** Everything one attempt or session holds, emptied; the settings stay as they are. */
export const NOTHING_HELD = {
  ...ANSWER_CLEARED,
  ...LOGIN_CLEARED,
  ...JOURNEY_CLEARED,
  ...SESSION_CLEARED,
  ...OUTCOME_CLEARED,
} as const;

/** What an attempt held once it has ended (in a session, a failure or a journey's form): its requests and steps. */
export const ATTEMPT_OVER = { ...LOGIN_CLEARED, ...JOURNEY_CLEARED } as const;
