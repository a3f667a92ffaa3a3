import type { EtnaAuthErrorData } from '../contract/auth-error.js';
import { headerValueProblem } from '../contract/header-value.js';
import { Secret } from '../contract/secret.js';
import type { EtnaAuthEvent, SecretInput } from './types.js';

/** A submitted secret as the machine keeps it: wrapped, whichever form it came in. */
export function secretOf(value: SecretInput): Secret {
  return Secret.is(value) ? value : new Secret(value);
}

function firstProblem(fields: Readonly<Record<string, unknown>>): EtnaAuthErrorData | undefined {
  for (const [field, value] of Object.entries(fields)) {
    const problem = headerValueProblem(field, Secret.is(value) ? value.reveal() : value);
    if (problem) return { kind: 'input', field, message: problem };
  }
  return undefined;
}

function check(event: EtnaAuthEvent): EtnaAuthErrorData | undefined {
  switch (event.type) {
    case 'SUBMIT_CREDENTIALS':
      return firstProblem({ username: event.username, password: event.password });
    case 'SUBMIT_PIN':
      return firstProblem({ pin: event.pin });
    case 'SUBMIT_VERIFICATION_CODE':
      return firstProblem({ code: event.code });
    default:
      return undefined;
  }
}

// The guard asks, then the action records: one check per event object, not two.
const checked = new WeakMap<object, EtnaAuthErrorData | null>();

/**
 * Why a submitted value cannot be sent (empty, or not something an HTTP header can carry), or undefined when
 * it can. The message names the field and never repeats the value.
 */
export function inputProblemOf(event: EtnaAuthEvent): EtnaAuthErrorData | undefined {
  let problem = checked.get(event);
  if (problem === undefined) {
    problem = check(event) ?? null;
    checked.set(event, problem);
  }
  return problem ?? undefined;
}
