// The framework-free part of every example screen: the words it shows (shared by the React, Vue and Svelte
// examples, so the three say the same thing and their shared test driver checks one wording). What to do about
// a refused login is not here: it is the package's own `FAILURE_GUIDANCE`, which every screen of etna-auth shows.
import type { EtnaAuthErrorData, EtnaSessionEndReason } from 'etna-auth';

/** What to tell a person about `context.error`: branch on `kind`, never parse the message. */
export function errorText(error: EtnaAuthErrorData): string {
  switch (error.kind) {
    case 'network':
      return 'The server could not be reached. Check your connection.';
    case 'timeout':
      return 'The server did not answer in time.';
    case 'http':
      return `The server answered with HTTP ${error.status}.`;
    case 'protocol':
      return 'The server answered in a way this app does not understand.';
    case 'appKey':
      return 'The server refused this app’s application key: a configuration problem, not your password.';
    case 'rateLimited':
      return `Too many attempts: try again in ${Math.ceil((error.retryAfterMs ?? 0) / 1000)} s.`;
    case 'input':
      return error.message;
  }
}

const SESSION_ENDS: Readonly<Record<EtnaSessionEndReason, string>> = {
  expired: 'Your session expired. Log in again to continue.',
  revoked: 'The server ended your session. Log in again to continue.',
  loggedOut: 'You have logged out.',
};

/** Why the last session ended, from `context.reason` in `idle`; undefined when no session ended. */
export function sessionEndText(reason: string | undefined): string | undefined {
  return reason !== undefined && Object.hasOwn(SESSION_ENDS, reason)
    ? SESSION_ENDS[reason as EtnaSessionEndReason]
    : undefined;
}
