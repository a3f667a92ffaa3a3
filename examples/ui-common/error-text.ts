// The framework-free part of every example screen: the words it shows (shared by the React, Vue and Svelte
// examples, so the three say the same thing and their shared test driver checks one wording). What to do about
// a refused login is not here: it is the package's own `FAILURE_GUIDANCE`, which every screen of etna-auth shows.
// The headings and status lines are in view.ts, the forms' labels in forms.ts.
import {
  type EtnaAuthErrorData,
  type EtnaAuthFailure,
  type EtnaSessionEndReason,
  FAILURE_GUIDANCE,
} from 'etna-auth';
import { clockText } from './countdown.js';

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
  endedElsewhere: 'Your session ended in another tab. Log in again to continue.',
};

/** Why the last session ended, from `context.reason` in `idle`; undefined when no session ended. */
export function sessionEndText(reason: string | undefined): string | undefined {
  return reason !== undefined && Object.hasOwn(SESSION_ENDS, reason)
    ? SESSION_ENDS[reason as EtnaSessionEndReason]
    : undefined;
}

/** Who is logged in (`context.username`); a session stored before usernames were stored has none. */
export function loggedInText(username: string | undefined): string {
  return username === undefined ? 'Logged in with a restored session.' : `Logged in as ${username}.`;
}

/** While the session ends soon (tag `endingSoon`): the countdown to `context.sessionExpiresAt`. */
export const sessionEndingText = (seconds: number): string => `Your session ends in ${clockText(seconds)}.`;

/** After a login again that did not succeed: the session it was meant to extend is not lost. */
export const SESSION_STILL_WORKS = 'Your current session still works until it ends.';

/**
 * What a login again in `succeeded.endingSoon.warning` tells the person, as alerts of paragraphs: a refusal
 * (`context.failure`: the server's Reason and what to do) or a failed request (`context.error`), each with
 * "the current session still works"; a refused value (kind `input`) only names the problem, on its field.
 */
export function reloginAlerts(
  failure: EtnaAuthFailure | undefined,
  error: EtnaAuthErrorData | undefined,
): readonly (readonly string[])[] {
  const alerts: (readonly string[])[] = [];
  if (failure)
    alerts.push([`${failure.reason} (${failure.step})`, FAILURE_GUIDANCE[failure.code], SESSION_STILL_WORKS]);
  if (error)
    alerts.push(error.kind === 'input' ? [errorText(error)] : [errorText(error), SESSION_STILL_WORKS]);
  return alerts;
}

/** On the code prompt after a resend (`context.codeResent`). */
export const CODE_RESENT_NOTICE = 'A new code was sent. The previous code no longer works.';

/** Until `context.resendAvailableAt`: why there is no "Send a new code" button yet. */
export const resendCountdownText = (seconds: number): string => `You can ask for a new code in ${seconds} s.`;

/** Until `context.retryAvailableAt`, after a 429: why there is no "Retry" button yet. */
export const retryCountdownText = (seconds: number): string => `You can retry in ${seconds} s.`;

/** On the PIN prompt, under the anti-phishing picture and phrase (`context.securityImage`, `personalPhrase`). */
export const ANTI_PHISHING_ADVICE =
  'Not your picture or phrase? Do not enter your PIN: this page is not your broker’s.';

/** What the form of each new step says first (the field or form it describes, by `aria-describedby`). */
export const PROMPT_TEXT = {
  pinSetup:
    'Choose a picture and a phrase, and a new PIN. Each time you log in, check that this picture and phrase are shown before you type your PIN.',
  newPassword: 'Choose a new password: you will be logged in with it.',
  resetCode: 'We sent a code to your e-mail.',
} as const;

/** Before the anti-phishing phrase on the PIN prompt. */
export const PERSONAL_PHRASE_INTRO = 'Your personal phrase:';
