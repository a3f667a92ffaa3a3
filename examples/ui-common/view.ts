// Which screen a snapshot shows, and its heading: the same in the React, Vue and Svelte examples.
import type { EtnaAuthMachine } from 'etna-auth';
import type { SnapshotFrom } from 'xstate';

/** The screens of the login: the machine's states, with the two prompts told apart. */
export type View =
  | 'idle'
  | 'authenticating'
  | 'securityPin'
  | 'verificationCode'
  | 'succeeded'
  | 'loggingOut'
  | 'failed'
  | 'error';

/** The screen a snapshot shows; a selector, so a component re-renders only when the screen changes. */
export function selectView(snapshot: SnapshotFrom<EtnaAuthMachine>): View {
  if (snapshot.matches({ expecting: 'securityPin' })) return 'securityPin';
  if (snapshot.matches({ expecting: 'verificationCode' })) return 'verificationCode';
  return snapshot.value as Exclude<View, 'securityPin' | 'verificationCode'>;
}

/** Each screen's heading. */
export const HEADINGS: Readonly<Record<View, string>> = {
  idle: 'Log in',
  authenticating: 'Logging in…',
  securityPin: 'Security PIN',
  verificationCode: 'Verification code',
  succeeded: 'Logged in',
  loggingOut: 'Logging out…',
  failed: 'Login refused',
  error: 'Login interrupted',
};
