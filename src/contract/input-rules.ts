// The rules a typed value must meet before it is sent, one home each: the machine checks its events with them
// (and refuses in place, kind `input`), the services check their requests with them (and send nothing), and the
// forms take their `maxlength` from `INPUT_LIMITS`.
import type { EtnaAuthErrorData, InputProblemCode } from './auth-error.js';
import { headerValueCode, headerValueProblem } from './header-value.js';

/** A value refused before sending: which field, why (a code, and a message for developers), never the value. */
export type InputProblem = EtnaAuthErrorData & {
  readonly kind: 'input';
  readonly field: string;
  readonly problem: InputProblemCode;
};

/**
 * The longest value each field takes, in characters (digits for a new PIN). Longer values are refused before
 * anything is sent (`problem: 'tooLong'`); a form sets them as `maxlength`.
 * @example <input name="password" maxLength={INPUT_LIMITS.password} />
 */
export const INPUT_LIMITS = {
  /** A login or an e-mail address (RFC 5321 paths are at most 254 characters). */
  username: 254,
  password: 128,
  /** The security PIN typed at the PIN step. */
  pin: 32,
  /** The verification code of the e-mail or SMS step. */
  code: 32,
  /** A new PIN: a JSON number must hold it exactly. */
  newPin: 15,
  personalPhrase: 100,
  answer: 200,
  resetCode: 64,
} as const;

/**
 * The shortest new PIN.
 * @example <input name="newPin" inputMode="numeric" minLength={MIN_NEW_PIN_DIGITS} />
 */
export const MIN_NEW_PIN_DIGITS = 4;
/** The longest new PIN: a JSON number must hold it exactly. */
export const MAX_NEW_PIN_DIGITS = INPUT_LIMITS.newPin;

const refuse = (field: string, problem: InputProblemCode, message: string, limit?: number): InputProblem => ({
  kind: 'input',
  field,
  problem,
  message,
  ...(limit === undefined ? {} : { limit }),
});

/** A value that travels in an HTTP header (username, password, PIN, codes), at most `max` characters. */
export function headerProblem(field: string, value: unknown, max: number): InputProblem | undefined {
  const code = headerValueCode(value);
  if (code !== undefined) return refuse(field, code, headerValueProblem(field, value) ?? '');
  if ((value as string).length > max)
    return refuse(field, 'tooLong', `${field} is longer than ${max} characters`, max);
  return undefined;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A value that travels in a JSON body (phrase, answer, reset code): any text, but not empty, short, no controls. */
export function textProblem(field: string, value: unknown, max: number): InputProblem | undefined {
  if (typeof value !== 'string' || value.trim() === '')
    return refuse(field, 'required', `${field} is required`);
  if (value.length > max) return refuse(field, 'tooLong', `${field} is longer than ${max} characters`, max);
  if (CONTROL.test(value)) {
    return refuse(field, 'controlCharacter', `${field} contains a line break or control character`);
  }
  return undefined;
}

/** A new PIN: digits, no leading zero (the server takes it as a number), 4 to 15 of them. */
export function newPinProblem(pin: unknown): InputProblem | undefined {
  if (typeof pin !== 'string' || pin === '') return refuse('pin', 'required', 'pin is required');
  if (!/^[0-9]+$/.test(pin)) return refuse('pin', 'notDigits', 'pin must be digits 0-9 only');
  if (pin.startsWith('0')) {
    // The server takes the PIN as a number, which would drop a leading zero.
    return refuse('pin', 'leadingZero', 'pin must not start with 0 (the server reads it as a number)');
  }
  const range = `pin must have ${MIN_NEW_PIN_DIGITS} to ${MAX_NEW_PIN_DIGITS} digits`;
  if (pin.length < MIN_NEW_PIN_DIGITS) return refuse('pin', 'tooShort', range, MIN_NEW_PIN_DIGITS);
  if (pin.length > MAX_NEW_PIN_DIGITS) return refuse('pin', 'tooLong', range, MAX_NEW_PIN_DIGITS);
  return undefined;
}

/** A new password, typed twice: it travels later as the `Password` header of the next login. */
export function newPasswordProblem(password: unknown, confirmation: unknown): InputProblem | undefined {
  const problem = headerProblem('password', password, INPUT_LIMITS.password);
  if (problem) return problem;
  if (confirmation !== password) {
    return refuse('confirmation', 'mismatch', 'confirmation does not match the new password');
  }
  return undefined;
}

/** The PIN set-up's picture: the file name of one of the images offered. */
export function imageNameProblem(
  imageName: unknown,
  offered: readonly { readonly fileName: string }[] | undefined,
): InputProblem | undefined {
  if (offered?.some((image) => image.fileName === imageName)) return undefined;
  return refuse('imageName', 'notOffered', 'imageName must be the fileName of an offered security image');
}

/** Logins compare without case, as the platform's do. */
export const sameLogin = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** A login again while a session runs replaces it: only by the same user. */
export function otherUserProblem(
  sessionUser: string | undefined,
  username: string,
): InputProblem | undefined {
  if (sessionUser === undefined || sameLogin(sessionUser, username)) return undefined;
  return refuse('username', 'otherUser', 'username must be the logged-in user (log out first)');
}
