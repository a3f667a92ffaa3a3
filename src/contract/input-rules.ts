// The rules a typed value must meet before it is sent, one home each: the machine checks its events with them
// (and refuses in place, kind `input`), the services check their requests with them (and send nothing).
import type { EtnaAuthErrorData } from './auth-error.js';
import { headerValueProblem } from './header-value.js';

/** A value refused before sending: which field, and why (the message names the field, never the value). */
export type InputProblem = EtnaAuthErrorData & { readonly kind: 'input'; readonly field: string };

const refuse = (field: string, message: string): InputProblem => ({ kind: 'input', field, message });

/** A value that travels in an HTTP header (username, password, PIN, codes). */
export function headerProblem(field: string, value: unknown): InputProblem | undefined {
  const problem = headerValueProblem(field, value);
  return problem === undefined ? undefined : refuse(field, problem);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A value that travels in a JSON body (phrase, answer, reset code): any text, but not empty, short, no controls. */
export function textProblem(field: string, value: unknown, max: number): InputProblem | undefined {
  if (typeof value !== 'string' || value.trim() === '') return refuse(field, `${field} is required`);
  if (value.length > max) return refuse(field, `${field} is longer than ${max} characters`);
  if (CONTROL.test(value)) return refuse(field, `${field} contains a line break or control character`);
  return undefined;
}

/** The longest new PIN: a JSON number must hold it exactly. */
export const MAX_NEW_PIN_DIGITS = 15;
/** The shortest new PIN. */
export const MIN_NEW_PIN_DIGITS = 4;

/** A new PIN: digits, no leading zero (the server takes it as a number), 4 to 15 of them. */
export function newPinProblem(pin: unknown): InputProblem | undefined {
  if (typeof pin !== 'string' || pin === '') return refuse('pin', 'pin is required');
  if (!/^[0-9]+$/.test(pin)) return refuse('pin', 'pin must be digits 0-9 only');
  if (pin.startsWith('0')) {
    return refuse(
      'pin',
      'pin must not start with 0: the server takes the PIN as a number, which drops a leading zero',
    );
  }
  if (pin.length < MIN_NEW_PIN_DIGITS || pin.length > MAX_NEW_PIN_DIGITS) {
    return refuse('pin', `pin must have ${MIN_NEW_PIN_DIGITS} to ${MAX_NEW_PIN_DIGITS} digits`);
  }
  return undefined;
}

/** A new password, typed twice: it travels later as the `Password` header of the next login. */
export function newPasswordProblem(password: unknown, confirmation: unknown): InputProblem | undefined {
  const problem = headerProblem('password', password);
  if (problem) return problem;
  if (confirmation !== password)
    return refuse('confirmation', 'confirmation does not match the new password');
  return undefined;
}

/** The PIN set-up's picture: the file name of one of the images offered. */
export function imageNameProblem(
  imageName: unknown,
  offered: readonly { readonly fileName: string }[] | undefined,
): InputProblem | undefined {
  if (offered?.some((image) => image.fileName === imageName)) return undefined;
  return refuse('imageName', 'imageName must be the fileName of one of the security images offered');
}

/** Logins compare without case, as the platform's do. */
export const sameLogin = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** A login again while a session runs replaces it: only by the same user. */
export function otherUserProblem(
  sessionUser: string | undefined,
  username: string,
): InputProblem | undefined {
  if (sessionUser === undefined || sameLogin(sessionUser, username)) return undefined;
  return refuse('username', 'username must be the logged-in user: log out to log in as someone else');
}
