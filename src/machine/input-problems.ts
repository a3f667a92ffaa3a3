import type { EtnaAuthErrorData } from '../contract/auth-error.js';
import {
  headerProblem,
  INPUT_LIMITS,
  imageNameProblem,
  newPasswordProblem,
  newPinProblem,
  otherUserProblem,
  textProblem,
} from '../contract/input-rules.js';
import { Secret } from '../contract/secret.js';
import type { EtnaAuthContext } from './context.js';
import type { EtnaAuthEvent, SecretInput } from './types.js';

/** A submitted secret as the machine keeps it: wrapped, whichever form it came in. */
export function secretOf(value: SecretInput): Secret {
  return Secret.is(value) ? value : new Secret(value);
}

const plain = (value: unknown): unknown => (Secret.is(value) ? value.reveal() : value);

/** The first problem of several checks, in order. */
const first = (...problems: (() => EtnaAuthErrorData | undefined)[]) =>
  problems.reduce<EtnaAuthErrorData | undefined>((found, next) => found ?? next(), undefined);

function check(event: EtnaAuthEvent, context: EtnaAuthContext): EtnaAuthErrorData | undefined {
  switch (event.type) {
    case 'SUBMIT_CREDENTIALS':
      return first(
        () => headerProblem('username', event.username, INPUT_LIMITS.username),
        () => headerProblem('password', plain(event.password), INPUT_LIMITS.password),
        () => (context.sessionToken ? otherUserProblem(context.username, event.username) : undefined),
      );
    case 'SUBMIT_PIN':
      return headerProblem('pin', plain(event.pin), INPUT_LIMITS.pin);
    case 'SUBMIT_VERIFICATION_CODE':
      return headerProblem('code', plain(event.code), INPUT_LIMITS.code);
    case 'FORGOT_PASSWORD':
      return headerProblem('username', event.username, INPUT_LIMITS.username);
    case 'SUBMIT_NEW_PIN':
      return first(
        () => newPinProblem(plain(event.pin)),
        () => imageNameProblem(event.imageName, context.securityImages),
        () => textProblem('personalPhrase', event.personalPhrase, INPUT_LIMITS.personalPhrase),
      );
    case 'SUBMIT_NEW_PASSWORD':
      return newPasswordProblem(plain(event.password), plain(event.confirmation));
    case 'SUBMIT_SECRET_ANSWER':
      return textProblem('answer', plain(event.answer), INPUT_LIMITS.answer);
    case 'SUBMIT_RESET_CODE':
      return textProblem('code', plain(event.code), INPUT_LIMITS.resetCode);
    default:
      return undefined;
  }
}

/**
 * Why a submitted value cannot be sent (empty, not something its header or body can carry, a new PIN the server
 * would misread, a confirmation that differs), or undefined when it can. The message names the field and never
 * repeats the value. The guard asks, and only a refused submission asks again, in its action.
 */
export const inputProblemOf = check;
