import type { Secret } from './secret.js';

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

/**
 * A validated answer of `/token`, the output of the request actor.
 * `next` says which prompt an Expecting answer leads to; `unsupported` is a Step this library cannot satisfy.
 */
export type TokenAnswer =
  | { readonly state: 'succeeded'; readonly token: Secret }
  | {
      readonly state: 'expecting';
      readonly next: ContinuationStep | 'unsupported';
      readonly step: string;
      readonly reason: string;
      readonly interimToken: Secret | undefined;
    }
  | { readonly state: 'failed'; readonly step: string; readonly reason: string };

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
