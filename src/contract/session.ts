import type { Secret } from './secret.js';

/**
 * Why the latest session ended; `context.reason` holds it in `idle` after a session. `endedElsewhere`: another
 * tab sharing the storage (`browserLocalStorage()`) logged out, was revoked or expired, so this one ended too.
 * @example if (snapshot.matches('idle') && snapshot.context.reason === 'expired') say('Your session ended.');
 */
export type EtnaSessionEndReason = 'expired' | 'revoked' | 'loggedOut' | 'endedElsewhere';

/** A session as a storage keeps it: the token, its end, and whose it is (absent in sessions stored before). */
export interface StoredSession {
  readonly token: Secret;
  readonly expiresAt: number;
  readonly username: string | undefined;
}

/**
 * Why a login attempt ended in `failed`, for routing: `rejected` (wrong credentials, PIN or code, a
 * corrupted ticket: show the Reason), `passwordExpired` and `pinNotInitialized` (the server said so but gave
 * no token to finish it with here, or refused the security images: send the user to the broker's screens; with a
 * token the chart goes to `passwordChange` or `pinSetup` instead), `unsupportedStep` (the server asked for a step
 * this library cannot answer), `resetRefused` (the server refused a password reset in a way the form cannot fix).
 * @example if (snapshot.context.failure?.code === 'passwordExpired') location.assign(brokerPasswordPage);
 */
export type EtnaFailureCode =
  | 'rejected'
  | 'passwordExpired'
  | 'pinNotInitialized'
  | 'unsupportedStep'
  | 'resetRefused';

const PASSWORD_EXPIRED = /password\b.*\bexpired/i;
const PIN_NOT_INITIALIZED = /\bpin\b.*\bnot\s+init/i;

/** The failure code a server Reason stands for, when it names one of the answers an app must route. */
export function routedFailureOf(reason: string): 'passwordExpired' | 'pinNotInitialized' | undefined {
  if (PASSWORD_EXPIRED.test(reason)) return 'passwordExpired';
  if (PIN_NOT_INITIALIZED.test(reason)) return 'pinNotInitialized';
  return undefined;
}
