// The sentence for each thing the machine tells: an error, a refused login, a server Reason or Step, a wait, the
// end of a session, a busy state. Each takes a catalog, English by default; none parses a message.
import type { EtnaAuthErrorData } from '../contract/auth-error.js';
import type { EtnaFailureCode } from '../contract/session.js';
import type { EtnaBusyState, EtnaInputField, EtnaMessages, EtnaWait } from './catalog.js';
import { englishMessages } from './english.js';
import { knownReasonOf, knownStepOf } from './server-text.js';

/**
 * What `describeError` reads of `context.error`: everything but the message, which is for developers and logs.
 * @example const facts: EtnaErrorFacts = { kind: 'rateLimited', retryAfterMs: 5_000 }; describeError(facts);
 */
export type EtnaErrorFacts = Pick<EtnaAuthErrorData, 'kind'> &
  Partial<Pick<EtnaAuthErrorData, 'status' | 'field' | 'problem' | 'limit'>>;

/**
 * What `describeFailure` reads of `context.failure`.
 * @example const facts: EtnaFailureFacts = snapshot.context.failure; describeFailure(facts);
 */
export interface EtnaFailureFacts {
  readonly step: string;
  readonly reason: string;
  readonly code: EtnaFailureCode;
}

/**
 * A refused login, for people: what the server said, at which step (when known), and what to do.
 * @example const { reason, advice }: EtnaFailureWords = describeFailure(failure); show(reason, advice);
 */
export interface EtnaFailureWords {
  /** The Reason in the catalog's words, or as the server sent it when it is not a known one. */
  readonly reason: string;
  /** The Step's name for people; undefined for a Step the catalog does not know (never its internal name). */
  readonly step: string | undefined;
  /** What the person can do, by the failure's code. */
  readonly advice: string;
}

const isField = (field: string | undefined, catalog: EtnaMessages): field is EtnaInputField =>
  field !== undefined && Object.hasOwn(catalog.fields, field);

/**
 * What to tell a person about `context.error`: a refused value (kind `input`: the field and the problem), or
 * a request without a usable answer. The seconds of a rate limit's wait are the countdown's (`describeWait`).
 *
 * @example
 * ```ts
 * describeError({ kind: 'input', field: 'pin', problem: 'required' }); // 'Enter your PIN.'
 * describeError({ kind: 'http', status: 500 }); // 'The server could not answer (HTTP 500). Try again later.'
 * ```
 */
export function describeError(error: EtnaErrorFacts, catalog: EtnaMessages = englishMessages): string {
  const { errors } = catalog;
  switch (error.kind) {
    case 'input': {
      const { problem } = error;
      if (problem === undefined || !Object.hasOwn(catalog.inputProblems, problem)) return errors.input;
      const field = isField(error.field, catalog) ? error.field : undefined;
      const name = field === undefined ? catalog.someField : catalog.fields[field];
      return catalog.inputProblems[problem]({ field, name, limit: error.limit });
    }
    case 'http':
      return errors.http(error.status);
    default:
      return Object.hasOwn(errors, error.kind) ? (errors[error.kind] as string) : errors.protocol;
  }
}

/**
 * A server Reason for people: a known one (`Invalid pin`) in the catalog's words, any other as the server sent it
 * (the library has already made it safe to show).
 *
 * @example
 * ```ts
 * describeReason('Invalid credentials'); // 'The username or password is not right.'
 * describeReason('Account locked'); // 'Account locked'
 * ```
 */
export function describeReason(reason: string, catalog?: EtnaMessages): string;
export function describeReason(reason: string | undefined, catalog?: EtnaMessages): string | undefined;
export function describeReason(
  reason: string | undefined,
  catalog: EtnaMessages = englishMessages,
): string | undefined {
  if (reason === undefined) return undefined;
  const known = knownReasonOf(reason);
  return known === undefined ? reason : catalog.reasons[known];
}

/**
 * A server Step's name for people (`SecutityPin` → `Security PIN`), or undefined for one the catalog does not
 * know: a screen leaves it out rather than show an internal name.
 *
 * @example
 * ```ts
 * describeStep('BaseAuthentication'); // 'Username and password'
 * ```
 */
export function describeStep(
  step: string | undefined,
  catalog: EtnaMessages = englishMessages,
): string | undefined {
  const known = step === undefined ? undefined : knownStepOf(step);
  return known === undefined ? undefined : catalog.steps[known];
}

/**
 * A refused login (`context.failure` in `failed`, or after a login again that failed), for people.
 *
 * @example
 * ```ts
 * const { reason, advice } = describeFailure(snapshot.context.failure);
 * // 'The username or password is not right.', 'Check what you typed, then try again.'
 * ```
 */
export function describeFailure(
  failure: EtnaFailureFacts,
  catalog: EtnaMessages = englishMessages,
): EtnaFailureWords {
  return {
    reason: describeReason(failure.reason, catalog),
    step: describeStep(failure.step, catalog),
    advice: catalog.failureAdvice[failure.code],
  };
}

/**
 * How long a wait has left, in whole seconds (a screen counts them down once a second).
 *
 * @example
 * ```ts
 * describeWait('retry', 5); // 'You can try again in 5 s.'
 * describeWait('sessionEnd', 59); // 'Your session ends in 0:59.'
 * ```
 */
export function describeWait(
  wait: EtnaWait,
  seconds: number,
  catalog: EtnaMessages = englishMessages,
): string {
  return catalog.waits[wait](seconds);
}

/**
 * Why the last session ended (`context.reason` in `idle`), or undefined when that reason is not a session's end
 * (no session ended, or it holds a server Reason).
 *
 * @example
 * ```ts
 * describeSessionEnd('endedElsewhere'); // 'Your session ended in another tab. Log in again to continue.'
 * ```
 */
export function describeSessionEnd(
  reason: string | undefined,
  catalog: EtnaMessages = englishMessages,
): string | undefined {
  return reason !== undefined && Object.hasOwn(catalog.sessionEnds, reason)
    ? catalog.sessionEnds[reason as keyof EtnaMessages['sessionEnds']]
    : undefined;
}

/** `{ expecting: 'resendingCode' }` → `expecting.resendingCode`. */
function dotted(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries((value ?? {}) as Record<string, unknown>)[0] ?? ['', ''];
  return key === '' ? '' : `${key}.${dotted(child)}`;
}

/**
 * What is happening while a request is in flight, for a state tagged `busy` (its value, or its dotted name);
 * undefined for any other state.
 *
 * @example
 * ```ts
 * describeBusy(snapshot.value); // 'Sending a new code…' in expecting.resendingCode
 * ```
 */
export function describeBusy(state: unknown, catalog: EtnaMessages = englishMessages): string | undefined {
  const name = dotted(state);
  return Object.hasOwn(catalog.busy, name) ? catalog.busy[name as EtnaBusyState] : undefined;
}
