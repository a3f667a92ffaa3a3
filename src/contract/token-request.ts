import type { SecurityImage } from './journey.js';
import type { Secret } from './secret.js';
import type { EtnaFailureCode } from './session.js';

/**
 * The step a continuation request answers, as the machine names it.
 * @example const step: ContinuationStep = snapshot.matches({ expecting: 'securityPin' }) ? 'securityPin' : 'verificationCode';
 */
export type ContinuationStep = 'securityPin' | 'verificationCode';

/**
 * Everything one `POST /token` needs. The machine builds it; the service turns it into headers.
 * A continuation carries the interim token of the last 202 and the answer its Step asked for.
 * @example const request: TokenRequest = { username: 'bob', password: new Secret('bob-password') };
 */
export type TokenRequest =
  | { readonly username: string; readonly password: Secret; readonly continuation?: undefined }
  | {
      readonly username: string;
      readonly password: Secret;
      readonly continuation: {
        readonly step: ContinuationStep;
        readonly interimToken: Secret;
        readonly answer: Secret;
      };
    };

/**
 * An answer that ends the login: the session token.
 * @example const answer: SucceededAnswer = { state: 'succeeded', token: new Secret('session-token') };
 */
export interface SucceededAnswer {
  readonly state: 'succeeded';
  readonly token: Secret;
}

/**
 * An answer that asks for one more step the machine can prompt for, with the interim token to send back.
 * @example const answer: StepAnswer = { state: 'expecting', next: 'securityPin', step: 'SecutityPin', reason: 'Enter your PIN', interimToken: new Secret('interim') };
 */
export interface StepAnswer {
  readonly state: 'expecting';
  readonly next: ContinuationStep;
  readonly step: string;
  readonly reason: string;
  readonly interimToken: Secret;
  /** The anti-phishing phrase the PIN step's answer carries (`PersonalPhrase`), shown beside the PIN field. */
  readonly personalPhrase?: string | undefined;
  /** The anti-phishing picture of the PIN step's answer (`Image`), as a `data:` URL. */
  readonly securityImage?: SecurityImage | undefined;
}

/**
 * `PIN code is not init` with a token to set one up with: the PIN set-up calls authorize with `token` (the
 * answer's `Token`, else its `ConfirmationToken`) and send `confirmationToken` (the `ConfirmationToken`, else the
 * `Token`) in the body.
 * @example const answer: PinSetupAnswer = { state: 'pinSetup', step: 'SecutityPin', reason: 'PIN code is not init', token: new Secret('t'), confirmationToken: new Secret('c') };
 */
export interface PinSetupAnswer {
  readonly state: 'pinSetup';
  readonly step: string;
  readonly reason: string;
  readonly token: Secret;
  readonly confirmationToken: Secret;
}

/**
 * `Your Password has expired…` with the token (`ConfirmationToken`, else `Token`) that changes it.
 * @example const answer: PasswordChangeAnswer = { state: 'passwordChange', step: 'BaseAuthentication', reason: 'Your Password has expired and must be changed', confirmationToken: new Secret('c') };
 */
export interface PasswordChangeAnswer {
  readonly state: 'passwordChange';
  readonly step: string;
  readonly reason: string;
  readonly confirmationToken: Secret;
}

/**
 * An answer that ends the attempt, routed once: `code` says why (`rejected`, or the answers an app routes
 * elsewhere: `passwordExpired` and `pinNotInitialized` when the answer carries no token to finish them with, and
 * `unsupportedStep` for a Step this library cannot answer).
 * @example const answer: FailedAnswer = { state: 'failed', code: 'rejected', step: 'BaseAuthentication', reason: 'Invalid credentials' };
 */
export interface FailedAnswer {
  readonly state: 'failed';
  readonly code: EtnaFailureCode;
  readonly step: string;
  readonly reason: string;
}

/**
 * A validated answer of `/token`, the output of the request actor, decided once by the parser: a success,
 * a step to prompt for, a PIN to set up or a password to change, or a failure with the code to route on.
 * @example machine.provide({ actors: { requestToken: fromPromise<TokenAnswer, TokenRequest>(async () => answer) } })
 */
export type TokenAnswer = SucceededAnswer | StepAnswer | PinSetupAnswer | PasswordChangeAnswer | FailedAnswer;

/** Maps a server `Step` to a prompt, accepting `SecutityPin` (the platform's spelling) and `SecurityPin` in any case. */
export function continuationStepOf(step: string): ContinuationStep | undefined {
  switch (step.toLowerCase()) {
    case 'secutitypin':
    case 'securitypin':
      return 'securityPin';
    case 'verificationcode':
      return 'verificationCode';
    default:
      return undefined;
  }
}
