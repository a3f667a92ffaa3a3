// Which screen a snapshot shows, its heading and its status line: the same in the React, Vue and Svelte examples.
import type { EtnaAuthMachine } from 'etna-auth';
import { describeBusy } from 'etna-auth/messages';
import type { SnapshotFrom } from 'xstate';
import { WORDS } from './error-text.js';

/** The machine's states, by dotted name, and the screen each one shows (`data-view` on the screen). */
export const VIEWS = {
  // A storage that answers later (React Native's AsyncStorage, IndexedDB) is read for a stored session: no form yet.
  restoring: 'restoring',
  idle: 'idle',
  authenticating: 'authenticating',
  'expecting.securityPin': 'securityPin',
  'expecting.verificationCode': 'verificationCode',
  // The code prompt stays on screen, disabled, while the new code is asked for.
  'expecting.resendingCode': 'resendingCode',
  'pinSetup.loadingImages': 'loadingImages',
  'pinSetup.choosing': 'pinSetup',
  'pinSetup.saving': 'savingPin',
  'passwordChange.editing': 'passwordChange',
  'passwordChange.saving': 'savingPassword',
  'passwordReset.loadingQuestion': 'findingAccount',
  'passwordReset.question': 'secretQuestion',
  'passwordReset.requestingCode': 'sendingResetCode',
  'passwordReset.code': 'resetCode',
  'passwordReset.verifyingCode': 'checkingResetCode',
  'passwordReset.newPassword': 'newPassword',
  'passwordReset.saving': 'savingNewPassword',
  // Logged in: the plain session, then the last `sessionWarning` ms of it, with a login again in place.
  'succeeded.active': 'succeeded',
  'succeeded.endingSoon.warning': 'endingSoon',
  'succeeded.endingSoon.authenticating': 'reloggingIn',
  'succeeded.endingSoon.securityPin': 'reloginPin',
  'succeeded.endingSoon.verificationCode': 'reloginCode',
  loggingOut: 'loggingOut',
  failed: 'failed',
  error: 'error',
} as const;

/** The screens of the login: one per state of the machine. */
export type View = (typeof VIEWS)[keyof typeof VIEWS];

/** `idle`, `expecting.securityPin`, …: a state value as one dotted name. */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [parent, child] = Object.entries(value as Record<string, unknown>)[0] ?? ['', ''];
  return `${parent}.${stateName(child)}`;
}

/** The screen of a state, by its dotted name (`expecting.securityPin` → `securityPin`). */
export function viewOf(state: string): View {
  const view = (VIEWS as Readonly<Record<string, View>>)[state];
  if (view === undefined) throw new Error(`no screen for the state ${state}`);
  return view;
}

/** The screens of a session (`snapshot.matches('succeeded')`): the session panel stays on each of them. */
const LOGGED_IN: ReadonlySet<View> = new Set([
  'succeeded',
  'endingSoon',
  'reloggingIn',
  'reloginPin',
  'reloginCode',
]);

/** True on every screen of a session: plain, ending soon, and each step of a login again in place. */
export function isLoggedIn(view: View): boolean {
  return LOGGED_IN.has(view);
}

/** True in the last `sessionWarning` ms of a session (tag `endingSoon`): the countdown to its end is shown. */
export function isEndingSoon(view: View): boolean {
  return view !== 'succeeded' && LOGGED_IN.has(view);
}

/** The screen a snapshot shows; a selector, so a component re-renders only when the screen changes. */
export function selectView(snapshot: SnapshotFrom<EtnaAuthMachine>): View {
  return viewOf(stateName(snapshot.value));
}

/** Each screen's heading: a journey keeps one heading from its first screen to its last. */
export const HEADINGS: Readonly<Record<View, string>> = {
  // The login's heading already: with nothing stored, the form then appears under it.
  restoring: 'Log in',
  idle: 'Log in',
  authenticating: 'Logging in…',
  securityPin: 'Security PIN',
  verificationCode: 'Verification code',
  resendingCode: 'Verification code',
  loadingImages: 'Set up your security PIN',
  pinSetup: 'Set up your security PIN',
  savingPin: 'Set up your security PIN',
  passwordChange: 'Your password has expired',
  savingPassword: 'Your password has expired',
  findingAccount: 'Reset your password',
  secretQuestion: 'Reset your password',
  sendingResetCode: 'Reset your password',
  resetCode: 'Reset your password',
  checkingResetCode: 'Reset your password',
  newPassword: 'Reset your password',
  savingNewPassword: 'Reset your password',
  // A login again keeps the screen: the session still works until it ends.
  succeeded: 'Logged in',
  endingSoon: 'Logged in',
  reloggingIn: 'Logged in',
  reloginPin: 'Logged in',
  reloginCode: 'Logged in',
  loggingOut: 'Logging out…',
  failed: 'Login refused',
  error: 'Login interrupted',
};

/** The status line (role="status") of each busy screen: what is happening, in the catalog's words. */
export const BUSY_STATUS: Readonly<Partial<Record<View, string>>> = Object.fromEntries(
  Object.entries(VIEWS).flatMap(([state, view]) => {
    const line = describeBusy(state, WORDS);
    return line === undefined ? [] : [[view, line]];
  }),
);

/**
 * Moves the focus to the first field of a form that has just appeared (a `<form>` element, or anything holding
 * its fields), so that the keyboard and a screen reader land on the next prompt: its first field that is not a
 * filled-in text field (the password when the username is already filled in). A disabled field is skipped.
 */
export function focusFirstField(form: HTMLElement | null | undefined): void {
  const fields = [
    ...(form?.querySelectorAll<HTMLInputElement>(
      'input:not([disabled]), select:not([disabled]), textarea:not([disabled])',
    ) ?? []),
  ];
  // A filled-in text field is passed over; a choice (radio, checkbox) is never "filled in".
  const next = fields.find(
    (field) => field.type === 'radio' || field.type === 'checkbox' || field.value === '',
  );
  (next ?? fields[0])?.focus();
}

/**
 * After the screen changed: when nothing inside the login section has the focus (a screen without a field, such
 * as "Logged in", or a form that was just taken away), its heading takes it, so that a screen reader reads the
 * new screen and a stray Enter presses no button ("Log out" in `succeeded`). A form's own first field, focused
 * as it appears, is left alone.
 */
export function focusScreen(section: HTMLElement | null | undefined): void {
  if (!section) return;
  const active = section.ownerDocument.activeElement;
  if (active && active !== section.ownerDocument.body && section.contains(active)) return;
  const heading = section.querySelector<HTMLElement>('h2');
  if (!heading) return;
  // Focusable by script only (tabindex="-1" in the markup, so that focusing it changes nothing else).
  if (heading.tabIndex !== -1) heading.tabIndex = -1;
  heading.focus();
}
