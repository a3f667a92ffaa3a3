// The framework-free part of every example screen: the words it shows (shared by the React, Vue and Svelte
// examples, so the three say the same thing and their shared test driver checks one wording). What the machine
// tells (errors, refusals, the server's Reasons, waits, a session's end) is said in the package's own catalog,
// `etna-auth/messages`: an app in another language passes another catalog. The headings and status lines are in
// view.ts, the forms' labels in forms.ts.
import type { EtnaAuthErrorData, EtnaAuthFailure } from 'etna-auth';
import {
  describeError,
  describeFailure,
  describeReason,
  describeSessionEnd,
  describeWait,
  englishMessages,
} from 'etna-auth/messages';

/** The catalog the examples say things with. */
export const WORDS = englishMessages;

/** What to tell a person about `context.error`: by kind and problem, never by parsing the message. */
export const errorText = (error: EtnaAuthErrorData): string => describeError(error, WORDS);

/** Why the last session ended, from `context.reason` in `idle`; undefined when no session ended. */
export const sessionEndText = (reason: string | undefined): string | undefined =>
  describeSessionEnd(reason, WORDS);

/** Who is logged in (`context.username`); a session stored before usernames were stored has none. */
export function loggedInText(username: string | undefined): string {
  return username === undefined ? 'Logged in with a restored session.' : `Logged in as ${username}.`;
}

/** While the session ends soon (tag `endingSoon`): the countdown to `context.sessionExpiresAt`. */
export const sessionEndingText = (seconds: number): string => describeWait('sessionEnd', seconds, WORDS);

/** In `restoring`, while a storage that answers later is read: no form, no button, this line. */
export const RESTORING_NOTICE = WORDS.notices.restoringSession;

/** After a login again that did not succeed: the session it was meant to extend is not lost. */
export const SESSION_STILL_WORKS = WORDS.notices.sessionStillWorks;

/** A refused login (`context.failure`), as paragraphs: what the server said, then what to do. */
export function failureParagraphs(failure: EtnaAuthFailure): readonly string[] {
  const { reason, advice } = describeFailure(failure, WORDS);
  return [reason, advice];
}

/**
 * What a login again in `succeeded.endingSoon.warning` tells the person, as alerts of paragraphs: a refusal
 * (`context.failure`: the server's Reason and what to do) or a failed request (`context.error`), each with
 * "the current session still works"; a refused value (kind `input`, until its field is edited) only says what
 * is wrong with it.
 */
export function reloginAlerts(
  failure: EtnaAuthFailure | undefined,
  error: EtnaAuthErrorData | undefined,
): readonly (readonly string[])[] {
  const alerts: (readonly string[])[] = [];
  if (failure) alerts.push([...failureParagraphs(failure), SESSION_STILL_WORKS]);
  if (error)
    alerts.push(error.kind === 'input' ? [errorText(error)] : [errorText(error), SESSION_STILL_WORKS]);
  return alerts;
}

/**
 * What the PIN or code prompt says above its field: the server's Reason in the catalog's words, or what it asks
 * when there is none, or when a value was just refused (the Reason of the answer before would be stale).
 */
export function stepPromptText(
  step: 'securityPin' | 'verificationCode',
  reason: string | undefined,
  error: EtnaAuthErrorData | undefined,
): string {
  const said = error?.kind === 'input' ? undefined : describeReason(reason, WORDS);
  return said || WORDS.prompts[step];
}

/** On the code prompt after a resend (`context.codeResent`). */
export const CODE_RESENT_NOTICE = WORDS.notices.codeResent;

/** Until `context.resendAvailableAt`: why there is no "Send a new code" button yet. */
export const resendCountdownText = (seconds: number): string => describeWait('resend', seconds, WORDS);

/** Until `context.retryAvailableAt`, after a 429: why there is no "Retry" button yet. */
export const retryCountdownText = (seconds: number): string => describeWait('retry', seconds, WORDS);

/** Until `context.retryAvailableAt`, after a 429 to a login again: why "Log in again" is disabled. */
export const reloginCountdownText = (seconds: number): string => describeWait('relogin', seconds, WORDS);

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

/**
 * The refusal a form shows: `context.error` of kind `input`, until the person edits the field it names (`edited`
 * is the refusal whose field was edited last: from then on it is stale).
 */
export function refusalShown(
  error: EtnaAuthErrorData | undefined,
  edited: EtnaAuthErrorData | undefined,
): EtnaAuthErrorData | undefined {
  return error?.kind === 'input' && error !== edited ? error : undefined;
}

/** Whether an edit of the field named `name` makes the refusal `error` stale. */
export const editMakesStale = (error: EtnaAuthErrorData | undefined, name: string): boolean =>
  error?.kind === 'input' && error.field === name;
