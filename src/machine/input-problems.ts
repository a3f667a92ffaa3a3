import type { EtnaAuthErrorData } from '../contract/auth-error.js';
import { headerValueProblem } from '../contract/header-value.js';
import { Secret } from '../contract/secret.js';
import type { EtnaAuthContext, EtnaAuthEvent, SecretInput } from './types.js';

/** A submitted secret as the machine keeps it: wrapped, whichever form it came in. */
export function secretOf(value: SecretInput): Secret {
  return Secret.is(value) ? value : new Secret(value);
}

const plain = (value: unknown): unknown => (Secret.is(value) ? value.reveal() : value);

function firstProblem(fields: Readonly<Record<string, unknown>>): EtnaAuthErrorData | undefined {
  for (const [field, value] of Object.entries(fields)) {
    const problem = headerValueProblem(field, plain(value));
    if (problem) return { kind: 'input', field, message: problem };
  }
  return undefined;
}

const refuse = (field: string, message: string): EtnaAuthErrorData => ({ kind: 'input', field, message });

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A value that travels in a JSON body (phrase, answer, reset code): any text, but not empty, short, no controls. */
function textProblem(field: string, value: unknown, max: number): EtnaAuthErrorData | undefined {
  const text = plain(value);
  if (typeof text !== 'string' || text.trim() === '') return refuse(field, `${field} is required`);
  if (text.length > max) return refuse(field, `${field} is longer than ${max} characters`);
  if (CONTROL.test(text)) return refuse(field, `${field} contains a line break or control character`);
  return undefined;
}

/** The longest new PIN: a JSON number must hold it exactly. */
const MAX_PIN_DIGITS = 15;
const MIN_PIN_DIGITS = 4;

function newPinProblem(pin: unknown): EtnaAuthErrorData | undefined {
  const value = plain(pin);
  if (typeof value !== 'string' || value === '') return refuse('pin', 'pin is required');
  if (!/^[0-9]+$/.test(value)) return refuse('pin', 'pin must be digits 0-9 only');
  if (value.startsWith('0')) {
    return refuse(
      'pin',
      'pin must not start with 0: the server takes the PIN as a number, which drops a leading zero',
    );
  }
  if (value.length < MIN_PIN_DIGITS || value.length > MAX_PIN_DIGITS) {
    return refuse('pin', `pin must have ${MIN_PIN_DIGITS} to ${MAX_PIN_DIGITS} digits`);
  }
  return undefined;
}

function newPasswordProblem(password: unknown, confirmation: unknown): EtnaAuthErrorData | undefined {
  // The new password travels later as the `Password` header of the next login: it must be a header value.
  const problem = firstProblem({ password });
  if (problem) return problem;
  if (plain(confirmation) !== plain(password)) {
    return refuse('confirmation', 'confirmation does not match the new password');
  }
  return undefined;
}

/** Logins compare without case, as the platform's do. */
const sameLogin = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function check(event: EtnaAuthEvent, context: EtnaAuthContext): EtnaAuthErrorData | undefined {
  switch (event.type) {
    case 'SUBMIT_CREDENTIALS': {
      const problem = firstProblem({ username: event.username, password: event.password });
      if (problem) return problem;
      // A login again while a session runs replaces it: only by the same user.
      if (
        context.sessionToken &&
        context.username !== undefined &&
        !sameLogin(context.username, event.username)
      ) {
        return refuse('username', 'username must be the logged-in user: log out to log in as someone else');
      }
      return undefined;
    }
    case 'SUBMIT_PIN':
      return firstProblem({ pin: event.pin });
    case 'SUBMIT_VERIFICATION_CODE':
      return firstProblem({ code: event.code });
    case 'FORGOT_PASSWORD':
      return firstProblem({ username: event.username });
    case 'SUBMIT_NEW_PIN': {
      const problem = newPinProblem(event.pin);
      if (problem) return problem;
      if (!context.securityImages?.some((image) => image.fileName === event.imageName)) {
        return refuse('imageName', 'imageName must be the fileName of one of the security images offered');
      }
      return textProblem('personalPhrase', event.personalPhrase, 100);
    }
    case 'SUBMIT_NEW_PASSWORD':
      return newPasswordProblem(event.password, event.confirmation);
    case 'SUBMIT_SECRET_ANSWER':
      return textProblem('answer', event.answer, 200);
    case 'SUBMIT_RESET_CODE':
      return textProblem('code', event.code, 64);
    default:
      return undefined;
  }
}

// The guard asks, then the action records: one check per event (in one context), not two.
const checked = new WeakMap<object, WeakMap<object, EtnaAuthErrorData | null>>();

/**
 * Why a submitted value cannot be sent (empty, not something its header or body can carry, a new PIN the server
 * would misread, a confirmation that differs), or undefined when it can. The message names the field and never
 * repeats the value.
 */
export function inputProblemOf(
  event: EtnaAuthEvent,
  context: EtnaAuthContext,
): EtnaAuthErrorData | undefined {
  let byContext = checked.get(event);
  if (!byContext) {
    byContext = new WeakMap();
    checked.set(event, byContext);
  }
  let problem = byContext.get(context);
  if (problem === undefined) {
    problem = check(event, context) ?? null;
    byContext.set(context, problem);
  }
  return problem ?? undefined;
}
