// The calls beside `/token` that finish a login journey (PROTOCOL.md, "The rest of the login journey"): what the
// machine hands each one, and what each one answers. The services in `services/journey/` send them over ky;
// the machine's actors of the same names run them.
import type { Secret } from './secret.js';

/** Milliseconds `RESEND_CODE` waits after a code was sent, unless the `resendCooldown` option says otherwise. */
export const DEFAULT_RESEND_COOLDOWN_MS = 30_000;
/** Milliseconds a 429 without a usable `Retry-After` holds `RETRY` (and `RESEND_CODE`) back. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 5_000;

/** A security image as a UI shows it: the server's file name and the picture as a `data:` URL. */
export interface SecurityImage {
  /** The server's `FileName`, e.g. `apple.png`; `SUBMIT_NEW_PIN` names the chosen image by it. */
  readonly fileName: string;
  /** `data:image/png;base64,…` (or jpeg, gif, webp), ready for an `<img src>`. Never a remote URL. */
  readonly dataUrl: string;
}

/**
 * The answer of a side call whose envelope said it did not succeed: the server's `Errors` (safe to show, cut
 * short) and `ErrorsCode`. The machine stays on the form and shows them.
 */
export interface JourneyRefusal {
  readonly ok: false;
  readonly errors: readonly string[];
  readonly codes: readonly string[];
}

/** A side call's answer: success with its model, or the server's refusal. Transport problems reject instead. */
export type JourneyAnswer<TModel> = { readonly ok: true; readonly model: TModel } | JourneyRefusal;

/** `GET v1.0/assets/security-images` with `Authorization: Bearer <token>`. */
export interface SecurityImagesRequest {
  readonly token: Secret;
}

/** `POST v1.0/users/pincode/change` with `Authorization: Bearer <token>`; the body carries the confirmation token. */
export interface PinChangeRequest {
  readonly token: Secret;
  readonly confirmationToken: Secret;
  /** Digits, no leading zero (sent as a JSON number). */
  readonly pin: Secret;
  readonly imageName: string;
  readonly personalPhrase: string;
}

/** `PUT v1.0/users/passwords/reset/` with only `Et-App-Key`: an expired password's change, or a reset's end. */
export interface PasswordChangeRequest {
  /** The confirmation token of the expired-password answer, or the reset token of `password/reset/code`. */
  readonly token: Secret;
  readonly password: Secret;
  readonly confirmation: Secret;
}

/** `GET v1.0/users/password/secret-question?username=…`. */
export interface SecretQuestionRequest {
  readonly username: string;
}

/** `POST v1.0/users/password/reset` with `{ User, SecretQuestionAnswer }`: the server e-mails a code. */
export interface ResetCodeRequest {
  readonly username: string;
  /** Undefined when the account has no secret question. */
  readonly answer: Secret | undefined;
}

/** `POST v1.0/users/password/reset/code` with `{ Code }`: the reset token for the new password. */
export interface ResetCodeExchange {
  readonly code: Secret;
}

/** What each side call resolves with. */
export interface JourneyModels {
  readonly securityImages: readonly SecurityImage[];
  readonly pinChange: null;
  readonly passwordChange: null;
  /** The question, or `''` when the account has none (the answer step is then skipped). */
  readonly secretQuestion: string;
  readonly resetRequest: null;
  /** The reset token. */
  readonly resetCode: Secret;
}

/** The side calls, by the names of the machine's actors and the fake server's routes. */
export type JourneyCall = keyof JourneyModels;

/** The request each side call takes. */
export interface JourneyRequests {
  readonly securityImages: SecurityImagesRequest;
  readonly pinChange: PinChangeRequest;
  readonly passwordChange: PasswordChangeRequest;
  readonly secretQuestion: SecretQuestionRequest;
  readonly resetRequest: ResetCodeRequest;
  readonly resetCode: ResetCodeExchange;
}

/** One side call as a function: resolves with its answer, rejects with an `EtnaAuthError` for a transport problem. */
export type JourneyService<TCall extends JourneyCall> = (
  request: JourneyRequests[TCall],
  signal?: AbortSignal,
) => Promise<JourneyAnswer<JourneyModels[TCall]>>;

/** The anti-phishing phrase and picture of a PIN-step answer (`PersonalPhrase`, `Image`): personal, never stored. */
export interface AntiPhishing {
  readonly personalPhrase: string | undefined;
  readonly securityImage: SecurityImage | undefined;
}
