import type { Secret } from './secret.js';
import type { EtnaFailureCode } from './session.js';

/** Consecutive Expecting answers accepted in one login before the server is judged to loop. */
export const DEFAULT_MAX_STEPS = 5;

/** The step a continuation request answers, as the machine names it. */
export type ContinuationStep = 'securityPin' | 'verificationCode';

/**
 * Everything one `POST /token` needs. The machine builds it; the service turns it into headers.
 * A continuation carries the interim token of the last 202 and the answer its Step asked for.
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

/** An answer that ends the login: the session token. */
export interface SucceededAnswer {
  readonly state: 'succeeded';
  readonly token: Secret;
}

/** An answer that asks for one more step the machine can prompt for, with the interim token to send back. */
export interface StepAnswer {
  readonly state: 'expecting';
  readonly next: ContinuationStep;
  readonly step: string;
  readonly reason: string;
  readonly interimToken: Secret;
}

/**
 * An answer that ends the attempt, routed once: `code` says why (`rejected`, or the answers an app routes
 * elsewhere: `passwordExpired`, `pinNotInitialized`, and `unsupportedStep` for a Step this library cannot answer).
 */
export interface FailedAnswer {
  readonly state: 'failed';
  readonly code: EtnaFailureCode;
  readonly step: string;
  readonly reason: string;
}

/**
 * A validated answer of `/token`, the output of the request actor, decided once by the parser: a success,
 * a step to prompt for, or a failure with the code to route on.
 */
export type TokenAnswer = SucceededAnswer | StepAnswer | FailedAnswer;

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
