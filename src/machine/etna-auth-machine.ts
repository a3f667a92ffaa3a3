// The login statechart, composed from its regions. Read it as the state table of the README: each region's
// module (regions/) holds its states with the actions and guards only it uses; setup.ts holds what they share.
import {
  DEFAULT_MAX_STEPS,
  DEFAULT_RESEND_COOLDOWN_MS,
  DEFAULT_SESSION_LIFETIME_MS,
  DEFAULT_SESSION_WARNING_MS,
  DEFAULT_SLIDING_SESSION,
} from '../defaults.js';
import { NOTHING_HELD } from './context.js';
import { authenticating, expecting, idle, loginImplementations, restoring } from './regions/login.js';
import { errorState, failed, outcomeImplementations, retryPointsOf } from './regions/outcomes.js';
import { passwordChange } from './regions/password-change.js';
import { passwordReset, passwordResetImplementations } from './regions/password-reset.js';
import { pinSetup, pinSetupImplementations } from './regions/pin-setup.js';
import { loggingOut, sessionImplementations, succeeded } from './regions/session.js';
import { machineSetup } from './setup.js';
import type { EtnaAuthSettings } from './types.js';

export { LOGOUT_ID, REQUEST_TOKEN_ID } from './setup.js';

/** The settings of the bare machine: the protocol's defaults, and no API to call. */
export const DEFAULT_SETTINGS: EtnaAuthSettings = {
  maxSteps: DEFAULT_MAX_STEPS,
  sessionLifetime: DEFAULT_SESSION_LIFETIME_MS,
  apiRoot: undefined,
  appKey: undefined,
  resendCooldown: DEFAULT_RESEND_COOLDOWN_MS,
  sessionWarning: DEFAULT_SESSION_WARNING_MS,
  slidingSession: DEFAULT_SLIDING_SESSION,
};

/** `restoring` where nothing is read later: left at once, so its read is never started (one actor less per login). */
function restoringAtOnce() {
  const { invoke: _readLater, ...atOnce } = restoring();
  return atOnce;
}

/**
 * Every state but `error`, by region; `error`'s RETRY is read off them. Built for each machine (each region's
 * states come from a function), so that a mutation test can change a state's config by changing the machine.
 */
const statesOf = (readsLater: boolean) => ({
  // login: a stored session read at start, the credentials, the `/token` request, the PIN and code steps
  restoring: readsLater ? restoring() : restoringAtOnce(),
  idle: idle(),
  authenticating: authenticating(),
  expecting: expecting(),
  // the journeys a `/token` answer (or the login form) starts, each ending in a login again
  pinSetup: pinSetup(),
  passwordChange: passwordChange(),
  passwordReset: passwordReset(),
  // the session, until it ends
  succeeded: succeeded(),
  loggingOut: loggingOut(),
  // the attempt the server refused
  failed: failed(),
});

/** The shared setup with every region's own actions and guards. */
const chartSetup = machineSetup
  .extend(loginImplementations)
  .extend(pinSetupImplementations)
  .extend(passwordResetImplementations)
  .extend(sessionImplementations)
  .extend(outcomeImplementations);

/**
 * The login statechart with its settings, pure: no I/O. `createEtnaAuthMachine` calls it with the settings
 * from its options and provides the real request actors; the bare `etnaAuthMachine` has the defaults, and its
 * request actors only reject (it is for traversal and for `.provide()` in tests). `readsLater: false` (no storage
 * that answers later) leaves out `restoring`'s read, which could only end in a state already left.
 */
export function etnaAuthMachineWith(settings: EtnaAuthSettings, readsLater = true) {
  const states = statesOf(readsLater);
  return chartSetup.createMachine({
    id: 'etnaAuth',
    context: { ...NOTHING_HELD, settings },
    initial: 'restoring',
    // The stored session, and with a storage that tabs share, what the other tabs do to it (`sessionSync`).
    entry: 'restoreSession',
    states: {
      ...states,
      // no usable answer: the same request again (RETRY), or back to the form (CANCEL)
      error: errorState(retryPointsOf(states)),
    },
  });
}

/** The login statechart with the default settings. */
export const etnaAuthMachine = etnaAuthMachineWith(DEFAULT_SETTINGS);

/**
 * The type of the login machine, bare or from `createEtnaAuthMachine`: for typing a component's props or an actor.
 * @example const [snapshot, send] = useActor<EtnaAuthMachine>(machine);
 */
export type EtnaAuthMachine = typeof etnaAuthMachine;
