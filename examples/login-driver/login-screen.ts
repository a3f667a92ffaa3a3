// The screen contract the three example components share, and a driver that runs a model path through it.
// The components differ in framework only: the same headings, labels, buttons, notices and alerts, so one
// driver, written against the DOM with Testing Library, proves all three against the same generated paths.
import { screen, waitFor, within } from '@testing-library/dom';
import type { UserEvent } from '@testing-library/user-event';
import {
  createEtnaAuthMachine,
  DEFAULT_PERSIST_KEY,
  type EtnaAuthErrorData,
  type EtnaAuthMachine,
  type EtnaFailureCode,
  type EtnaSessionStorage,
} from 'etna-auth';
import {
  describeError,
  describeFailure,
  describeReason,
  describeSessionEnd,
  englishMessages,
} from 'etna-auth/messages';
import {
  createModelMachine,
  createSharedMemoryStorage,
  FAKE_ETNA_ROUTES,
  FAKE_SECURITY_IMAGES,
  type FakeEtnaServer,
  type FakeFault,
  injectServerAnswer,
  MODEL_OTHER_USER,
  MODEL_OUTCOMES,
  MODEL_SESSION_TOKEN,
  MODEL_SESSION_WARNING_MS,
  MODEL_USER,
  type ModelCoverage,
  type ModelExpectation,
  type ModelOtherTab,
  type ModelPath,
  type ModelServerAnswer,
  type ModelStart,
  type ModelStep,
  type ModelUserEvent,
  modelOtherTabWrite,
  type SharedStorageTab,
  stateValueName,
} from 'etna-auth/testing';
import { expect } from 'vitest';
import { type ActorOptions, type InspectionEvent, SimulatedClock, type SnapshotFrom } from 'xstate';
import { plainWordsProblems } from '../../test/plain-words.js';

// The words below are the driver's own copies, so a changed text is noticed; what the machine tells (errors,
// refusals, Reasons, waits, a session's end, the busy lines) is the package's catalog, whose English
// test/unit/messages pins: the screens must say exactly that.

/** The heading of each view, by the machine's state (dotted name): a journey keeps one heading throughout. */
export const HEADINGS: Readonly<Record<string, string>> = {
  // A storage that answers later is read at start: the login's heading, no form yet.
  restoring: 'Log in',
  idle: 'Log in',
  authenticating: 'Logging in…',
  'expecting.securityPin': 'Security PIN',
  'expecting.verificationCode': 'Verification code',
  'expecting.resendingCode': 'Verification code',
  'pinSetup.loadingImages': 'Set up your security PIN',
  'pinSetup.choosing': 'Set up your security PIN',
  'pinSetup.saving': 'Set up your security PIN',
  'passwordChange.editing': 'Your password has expired',
  'passwordChange.saving': 'Your password has expired',
  'passwordReset.loadingQuestion': 'Reset your password',
  'passwordReset.question': 'Reset your password',
  'passwordReset.requestingCode': 'Reset your password',
  'passwordReset.code': 'Reset your password',
  'passwordReset.verifyingCode': 'Reset your password',
  'passwordReset.newPassword': 'Reset your password',
  'passwordReset.saving': 'Reset your password',
  // Every phase of a session keeps the screen: a login again happens in place.
  'succeeded.active': 'Logged in',
  'succeeded.endingSoon.warning': 'Logged in',
  'succeeded.endingSoon.authenticating': 'Logged in',
  'succeeded.endingSoon.securityPin': 'Logged in',
  'succeeded.endingSoon.verificationCode': 'Logged in',
  loggingOut: 'Logging out…',
  failed: 'Login refused',
  error: 'Login interrupted',
};

/** The status line (role="status") of each busy view: what is happening, in the catalog's words. */
export const BUSY_STATUS: Readonly<Record<string, string>> = englishMessages.busy;

/** The buttons of each view, in order, where they do not depend on `snapshot.can()`. */
export const BUTTONS: Readonly<Record<string, readonly string[]>> = {
  // Nothing to press while the stored session is read.
  restoring: [],
  idle: ['Log in', 'Forgot password?'],
  'expecting.securityPin': ['Continue', 'Cancel'],
  // The prompt stays while a new code is asked for, its field and button disabled.
  'expecting.resendingCode': ['Continue (disabled)', 'Cancel'],
  'pinSetup.choosing': ['Save PIN', 'Cancel'],
  'passwordChange.editing': ['Change password', 'Cancel'],
  'passwordReset.question': ['Continue', 'Cancel'],
  'passwordReset.code': ['Continue', 'Cancel'],
  'passwordReset.newPassword': ['Change password', 'Cancel'],
  // The session panel (Call the API) stays on every screen of a session, Log out too.
  'succeeded.active': ['Call the API', 'Log out'],
  'succeeded.endingSoon.warning': ['Call the API', 'Log in again', 'Log out'],
  'succeeded.endingSoon.authenticating': ['Call the API', 'Cancel', 'Log out'],
  'succeeded.endingSoon.securityPin': ['Call the API', 'Continue', 'Cancel', 'Log out'],
  // No "Send a new code" in a login again.
  'succeeded.endingSoon.verificationCode': ['Call the API', 'Continue', 'Cancel', 'Log out'],
  loggingOut: ['Stop waiting'],
};

/**
 * The buttons of a view as `snapshot.can()` offers them: Retry and "Send a new code" only when allowed, and
 * "Log in again" disabled while a 429's wait holds it back (`reloginHeld`).
 */
export function buttonsOf(
  { state, canRetry, canResend }: ModelExpectation,
  reloginHeld = false,
): readonly string[] {
  switch (state) {
    case 'succeeded.endingSoon.warning':
      return ['Call the API', reloginHeld ? 'Log in again (disabled)' : 'Log in again', 'Log out'];
    case 'expecting.verificationCode':
      return ['Continue', ...(canResend ? ['Send a new code'] : []), 'Cancel'];
    case 'failed':
      return canRetry ? ['Try again'] : [];
    case 'error':
      return canRetry ? ['Retry', 'Cancel'] : ['Cancel'];
    default:
      // Every other busy view can only be cancelled.
      return BUTTONS[state] ?? ['Cancel'];
  }
}

/**
 * In `failed`, after the server's Reason: what the person can do about it, by `context.failure.code`. The
 * driver's own copy of the package's `FAILURE_GUIDANCE`, so a changed text is noticed.
 */
export const FAILURE_GUIDANCE: Readonly<Record<EtnaFailureCode, string>> = {
  rejected: 'Check what you typed, then try again.',
  passwordExpired: "Change your password on your broker's website or app, then log in with the new one.",
  pinNotInitialized: "Set up a security PIN on your broker's website or app, then log in again.",
  unsupportedStep: "Finish this login on your broker's website or app: this step cannot be answered here.",
  resetRefused: "Reset your password on your broker's website or app, or ask the broker's support.",
};

/** After a login again that did not succeed, with its refusal or error: the catalog's. */
export const SESSION_STILL_WORKS = englishMessages.notices.sessionStillWorks;

/** What the login again's form says first. */
export const RELOGIN_PROMPT = 'Log in again to stay logged in.';

/** In `restoring`, while a storage that answers later is read: the catalog's. */
export const RESTORING_NOTICE = englishMessages.notices.restoringSession;

/** On the code prompt after a resend: the catalog's. */
export const CODE_RESENT_NOTICE = englishMessages.notices.codeResent;

/** What each form says first (the text its field, or the form, is described by), where it is not the server's. */
export const PROMPT_TEXT = {
  pinSetup:
    'Choose a picture and a phrase, and a new PIN. Each time you log in, check that this picture and phrase are shown before you type your PIN.',
  newPassword: 'Choose a new password: you will be logged in with it.',
  resetCode: 'We sent a code to your e-mail.',
} as const;

/** The first field of each view with a form: it has the focus when the view appears (unless it is filled in). */
export const FIRST_FIELDS: Readonly<Record<string, string>> = {
  idle: 'username',
  'expecting.securityPin': 'pin',
  'expecting.verificationCode': 'code',
  'pinSetup.choosing': 'imageName',
  'passwordChange.editing': 'password',
  'passwordReset.question': 'answer',
  'passwordReset.code': 'code',
  'passwordReset.newPassword': 'password',
  // The username is the session's, shown read-only: the password is the field to fill in.
  'succeeded.endingSoon.warning': 'password',
  'succeeded.endingSoon.securityPin': 'pin',
  'succeeded.endingSoon.verificationCode': 'code',
};

/** The accessible name of each view's form. */
export const FORMS: Readonly<Record<string, string>> = {
  idle: 'Log in',
  'expecting.securityPin': 'Security PIN',
  'expecting.verificationCode': 'Verification code',
  'expecting.resendingCode': 'Verification code',
  'pinSetup.choosing': 'Set up your security PIN',
  'passwordChange.editing': 'Choose a new password',
  'passwordReset.question': 'Secret question',
  'passwordReset.code': 'Reset code',
  'passwordReset.newPassword': 'Choose a new password',
  'succeeded.endingSoon.warning': 'Log in again',
  'succeeded.endingSoon.securityPin': 'Security PIN',
  'succeeded.endingSoon.verificationCode': 'Verification code',
};

const NEW_PASSWORD_FIELDS = [
  'New password [password, password, new-password]',
  'Repeat the new password [confirmation, password, new-password]',
];

/** The fields of each view's form (the picker's images come first in `pinSetup.choosing`). */
export const FIELDS_SHOWN: Readonly<Record<string, readonly string[]>> = {
  idle: ['Username [username, text, username]', 'Password [password, password, current-password]'],
  'expecting.securityPin': ['PIN [pin, password, off, numeric]'],
  'expecting.verificationCode': ['Code [code, text, one-time-code, numeric]'],
  'expecting.resendingCode': ['Code [code, text, one-time-code, numeric, disabled]'],
  'pinSetup.choosing': [
    'New PIN [pin, password, off, numeric]',
    'Personal phrase [personalPhrase, text, off]',
  ],
  'passwordChange.editing': NEW_PASSWORD_FIELDS,
  // The answer is a secret: masked, never remembered.
  'passwordReset.question': ['Answer [answer, password, off]'],
  'passwordReset.code': ['Code [code, text, one-time-code]'],
  'passwordReset.newPassword': NEW_PASSWORD_FIELDS,
  'succeeded.endingSoon.warning': [
    'Username [username, text, username, readonly]',
    'Password [password, password, current-password]',
  ],
  'succeeded.endingSoon.securityPin': ['PIN [pin, password, off, numeric]'],
  'succeeded.endingSoon.verificationCode': ['Code [code, text, one-time-code, numeric]'],
};

/** Under the anti-phishing picture and phrase. */
export const ANTI_PHISHING_ADVICE =
  'Not your picture or phrase? Do not enter your PIN: this page is not your broker’s.';

/** The forms that show the server's `Errors` of their last refused call. */
const SHOWS_SERVER_ERRORS = new Set([
  'pinSetup.choosing',
  'passwordChange.editing',
  'passwordReset.question',
  'passwordReset.code',
  'passwordReset.newPassword',
]);

/** The `maxSteps` the model paths are generated for, and the machines under test run with. */
export const MAX_STEPS = 2;

/** The resend cooldown the machines under test run with (the machine's default, made explicit): a `wait` knows it. */
export const RESEND_COOLDOWN_MS = 30_000;

/** The wait a 429 without a usable `Retry-After` holds RETRY back for (the machine's default). */
const DEFAULT_RATE_LIMIT_WAIT_MS = 5_000;

type EtnaAuthSnapshot = SnapshotFrom<EtnaAuthMachine>;

/**
 * The actor's clock: a `SimulatedClock` that also knows when each pending timer fires, in simulated ms. The
 * machine's timers are set for `at - Date.now()` when they start, and a `SimulatedClock` does not move
 * `Date.now()`, so after the clock has moved on (a warning, a login again) the timers of one session were started
 * at different simulated times: a test moves the clock to the timer it means, not by the session's length.
 */
export class TrackedClock {
  readonly #clock = new SimulatedClock();
  readonly #pending = new Map<unknown, number>();

  setTimeout(fn: (...args: unknown[]) => void, timeout: number): unknown {
    const id: unknown = this.#clock.setTimeout(() => {
      this.#pending.delete(id);
      fn();
    }, timeout);
    this.#pending.set(id, this.#clock.now() + timeout);
    return id;
  }

  clearTimeout(id: unknown): void {
    this.#pending.delete(id);
    this.#clock.clearTimeout(id as number);
  }

  /** The simulated time now. */
  now(): number {
    return this.#clock.now();
  }

  /** Moves the simulated time on by `ms`, firing the timers due. */
  increment(ms: number): void {
    this.#clock.increment(ms);
  }

  /** When each pending timer fires, in simulated ms, earliest first. */
  pending(): number[] {
    return [...this.#pending.values()].sort((a, b) => a - b);
  }
}

/** The session settings of a live test: a short session, so the real countdown shows a minute, not a day. */
export interface LiveSessionSettings {
  readonly sessionLifetime: number;
  readonly sessionWarning: number;
}

/**
 * What a component under test gets: a machine on `server` persisting into `storage` (which, for a `restored`
 * start, holds a valid session, as after a reload), `otherTab` (another tab's view of that storage: what it
 * writes there, the machine hears), the options for its actor (`options`: the clock its timers run on, which a
 * test moves on instead of waiting, and an inspector that finds the actor), and `snapshot()`, the actor's
 * current snapshot once the component has created it. For a `restoring` start the machine persists into a
 * storage that answers later over `storage`, whose first read waits for `restore` (the path's storage step).
 * With `live` session settings, the machine is the examples' own (`createEtnaAuthMachine` with a warning, the
 * model's settings aside).
 */
export function loginSetup(server: FakeEtnaServer, start: ModelStart = 'fresh', live?: LiveSessionSettings) {
  // Created once per screen, as an app would at module scope.
  const { machine, storage, otherTab, restore } = live
    ? liveMachine(server, live)
    : createModelMachine({
        baseUrl: server.url,
        appKey: server.appKey,
        start,
        maxSteps: MAX_STEPS,
        resendCooldown: RESEND_COOLDOWN_MS,
      });
  const clock = new TrackedClock();
  let actor: { getSnapshot(): unknown } | undefined;
  const options: ActorOptions<EtnaAuthMachine> = {
    clock,
    // The root actor, the one the component created: read its snapshot, never send it anything.
    inspect: (event: InspectionEvent) => {
      if (event.type === '@xstate.actor' && event.actorRef.sessionId === event.rootId)
        actor ??= event.actorRef;
    },
  };
  const snapshot = (): EtnaAuthSnapshot => {
    if (!actor) throw new Error('the component has not created its actor');
    return actor.getSnapshot() as EtnaAuthSnapshot;
  };
  return { machine, storage, otherTab, restore, clock, options, snapshot };
}

function liveMachine(server: FakeEtnaServer, settings: LiveSessionSettings) {
  const shared = createSharedMemoryStorage();
  const storage = shared.openTab();
  const otherTab = shared.openTab();
  const machine = createEtnaAuthMachine({
    baseUrl: server.url,
    appKey: server.appKey,
    ...settings,
    persist: storage,
  });
  const restore = (_answer: FakeFault) => {
    throw new Error('a live machine reads its storage at once: nothing to restore later');
  };
  return { machine, storage, otherTab, restore };
}

/** The generated paths cover every state node, transition and target of the machine. */
export function expectFullCoverage(coverage: ModelCoverage): void {
  expect(coverage.missing).toEqual([]);
  expect(coverage.covered.stateNodes.size).toBe(coverage.stateNodes.length);
  expect(coverage.covered.transitions.size).toBe(coverage.transitions.length);
  expect(coverage.covered.targets.size).toBe(coverage.targets.length);
}

/** The paths driven to their end in this test file, by description. */
const driven = new Set<string>();

/** Every path was driven to its end through the component (run it after them): names those that were not. */
export function expectEveryPathDriven(paths: readonly ModelPath[]): void {
  expect(paths.length).toBeGreaterThan(0);
  expect(new Set(paths.map((path) => path.description)).size, 'descriptions name one path each').toBe(
    paths.length,
  );
  expect(
    paths.filter((path) => !driven.has(path.description)).map((path) => path.description),
    'paths not driven to their end',
  ).toEqual([]);
}

/** Loopback answers take milliseconds; the margin is for a loaded CI machine. */
const WAIT = { timeout: 10_000 };

/**
 * With a rendered login screen on a live fake server: alice logs in, calls the API with her session, and once
 * the server revokes it, the next call brings back the form with her username kept and the stored session gone.
 */
export async function expectLiveSessionRevoked(
  server: FakeEtnaServer,
  { storage, user }: { storage: EtnaSessionStorage; user: UserEvent },
): Promise<void> {
  await user.type(screen.getByLabelText('Username'), 'alice');
  await user.type(screen.getByLabelText('Password'), 'alice-password{Enter}');
  await screen.findByText('Logged in as alice.', {}, WAIT);
  await user.click(screen.getByRole('button', { name: 'Call the API' }));
  await screen.findByText('The API knows you as alice.', {}, WAIT);
  expect(storage.getItem(DEFAULT_PERSIST_KEY)).not.toBeNull();

  server.revokeSessions('alice');
  await user.click(screen.getByRole('button', { name: 'Call the API' }));
  await screen.findByText('The server ended your session. Log in again to continue.', {}, WAIT);
  expect(screen.getByRole('heading').textContent).toBe('Log in');
  expect(screen.getByLabelText<HTMLInputElement>('Username').value).toBe('alice');
  expect(storage.getItem(DEFAULT_PERSIST_KEY)).toBeNull();
}

/**
 * With a rendered login screen on a live fake server, nothing injected: frank, who has no PIN yet, picks a
 * picture among the server's own, a new PIN and a phrase; the machine logs in again by itself, and the server
 * asks for the new PIN showing his new phrase and picture; with it, he is logged in.
 */
export async function expectLivePinSetup(
  server: FakeEtnaServer,
  { container, user }: { container: HTMLElement; user: UserEvent },
): Promise<void> {
  const chosen = { imageName: 'lighthouse.png', pin: '5791', personalPhrase: 'Lighthouse at noon' };
  await user.type(screen.getByLabelText('Username'), 'frank');
  await user.type(screen.getByLabelText('Password'), 'frank-password{Enter}');
  await screen.findByRole('heading', { name: 'Set up your security PIN' }, WAIT);
  const first = await screen.findByRole('radio', { name: FAKE_SECURITY_IMAGES[0]?.FileName }, WAIT);
  expect(document.activeElement, 'the picker has the focus').toBe(first);
  expect(readScreen(container).securityImages).toEqual(FAKE_SECURITY_IMAGES.map((image) => image.FileName));

  await user.click(screen.getByLabelText(chosen.imageName));
  await user.type(screen.getByLabelText('New PIN'), chosen.pin);
  await user.type(screen.getByLabelText('Personal phrase'), chosen.personalPhrase);
  await user.click(screen.getByRole('button', { name: 'Save PIN' }));

  const pin = await screen.findByLabelText('PIN', {}, WAIT);
  expect(document.activeElement, 'the PIN prompt has the focus').toBe(pin);
  expect(readScreen(container).personalPhrase).toBe(chosen.personalPhrase);
  const picture = screen.getByRole<HTMLImageElement>('img', { name: 'Your security image' });
  const content = FAKE_SECURITY_IMAGES.find((image) => image.FileName === chosen.imageName)?.Content;
  expect(picture.getAttribute('src')).toBe(`data:image/png;base64,${content}`);
  expect(server.users.find((known) => known.username === 'frank')).toMatchObject({
    pin: chosen.pin,
    personalPhrase: chosen.personalPhrase,
    securityImage: chosen.imageName,
  });

  await user.type(pin, `${chosen.pin}{Enter}`);
  await screen.findByText('Logged in as frank.', {}, WAIT);
}

/**
 * With a rendered login screen on a live fake server: a value refused before sending is said on its form until its
 * field is edited (editing another field leaves it); after the server's "Invalid pin", an empty PIN is refused
 * beside what the prompt asks, not beside that Reason, which answered the PIN before.
 */
export async function expectStaleWordsCleared({
  container,
  user,
}: Pick<DriveOptions, 'container' | 'user'>): Promise<void> {
  await user.type(screen.getByLabelText('Username'), 'bob');
  await user.click(screen.getByRole('button', { name: 'Log in' }));
  await screen.findByText('Enter your password.');
  expect(readScreen(container)).toMatchObject({ alerts: ['Enter your password.'], invalidField: 'password' });
  await user.type(screen.getByLabelText('Username'), 'x');
  expect(readScreen(container), 'another field edited').toMatchObject({
    alerts: ['Enter your password.'],
    invalidField: 'password',
  });
  await user.type(screen.getByLabelText('Password'), 'b');
  expect(readScreen(container), 'the refused field edited').toMatchObject({
    alerts: [],
    invalidField: undefined,
  });

  await fill(user, screen.getByLabelText('Username'), 'bob');
  await fill(user, screen.getByLabelText('Password'), 'bob-password{Enter}');
  await user.type(await screen.findByLabelText('PIN', {}, WAIT), '9999{Enter}');
  await waitFor(() => expect(readScreen(container).prompt).toBe('That PIN is not right.'), WAIT);
  await user.click(screen.getByRole('button', { name: 'Continue' }));
  await screen.findByText('Enter your PIN.');
  expect(readScreen(container)).toMatchObject({
    prompt: 'Enter your security PIN.',
    alerts: ['Enter your PIN.'],
    invalidField: 'pin',
  });
}

/** The short session of the live warning test: it ends a minute and a millisecond after the login. */
export const LIVE_SESSION: LiveSessionSettings = { sessionLifetime: 60_001, sessionWarning: 60_000 };

/**
 * With a rendered login screen on a live fake server, its machine on `LIVE_SESSION`: bob logs in with his PIN
 * and calls the API; once the actor's clock reaches the warning, the session's last minute counts down on the
 * wall clock ("Your session ends in 1:00." then 0:59) above the login again, his username read-only and the
 * password field focused. He logs in again in place, PIN prompt included, and the screen stays: the heading
 * never changes, the API's answer stays on it, and the new session (a new token, a later end) replaces the old.
 */
export async function expectLiveRelogin(
  server: FakeEtnaServer,
  {
    container,
    user,
    clock,
    snapshot,
    tokens,
    storage,
  }: Pick<DriveOptions, 'container' | 'user' | 'clock' | 'snapshot' | 'tokens' | 'storage'>,
): Promise<void> {
  await user.type(screen.getByLabelText('Username'), 'bob');
  await user.type(screen.getByLabelText('Password'), 'bob-password{Enter}');
  await user.type(await screen.findByLabelText('PIN', {}, WAIT), '1234{Enter}');
  await screen.findByText('Logged in as bob.', {}, WAIT);
  await user.click(screen.getByRole('button', { name: 'Call the API' }));
  await screen.findByText('The API knows you as bob.', {}, WAIT);
  const first = { token: tokens.at(-1), end: snapshot().context.sessionExpiresAt ?? 0 };
  expect(first.token).toBeDefined();
  expect(screen.queryByRole('timer'), 'no countdown before the warning').toBeNull();

  const recorder = recordScreens(container);
  try {
    // The warning's timer, on the actor's clock: the earlier of the two the session set.
    const [warning] = clock.pending();
    if (warning === undefined) throw new Error('no warning timer is pending');
    clock.increment(warning - clock.now());
    const timer = await screen.findByRole('timer', {}, WAIT);
    const shown = timer.textContent ?? '';
    expect(shown).toMatch(/^Your session ends in (1:00|0:5\d)\.$/);
    // Live: the count goes down on the wall clock, once a second.
    await waitFor(
      () => expect(screen.getByRole('timer').textContent, 'the countdown ticks').not.toBe(shown),
      { timeout: 3_000 },
    );
    const username = screen.getByLabelText<HTMLInputElement>('Username');
    expect({ value: username.value, readOnly: username.readOnly }).toEqual({ value: 'bob', readOnly: true });
    expect(screen.getByText('Log in again to stay logged in.')).toBeDefined();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Password')), WAIT);
    expect(screen.getByText('The API knows you as bob.'), 'the session panel stays').toBeDefined();

    await user.type(screen.getByLabelText('Password'), 'bob-password');
    await user.click(screen.getByRole('button', { name: 'Log in again' }));
    const pin = await screen.findByLabelText('PIN', {}, WAIT);
    expect(readScreen(container).personalPhrase, 'the PIN prompt of a login again').toBeDefined();
    expect(screen.getByRole('timer').textContent).toMatch(/^Your session ends in \d:\d\d\.$/);
    await user.type(pin, '1234{Enter}');
    await waitFor(() => expect(snapshot().matches({ succeeded: 'active' })).toBe(true), WAIT);
  } finally {
    recorder.stop();
  }
  await waitFor(() => expect(screen.queryByRole('timer'), 'the countdown is gone').toBeNull(), WAIT);
  expect(screen.getByText('Logged in as bob.')).toBeDefined();
  expect(
    screen.getByText('The API knows you as bob.'),
    'the screen stayed: the API answer too',
  ).toBeDefined();
  expect(
    recorder.screens.map((shown) => shown.heading),
    'one heading throughout the login again',
  ).toEqual(recorder.screens.map(() => 'Logged in'));
  const next = tokens.at(-1);
  expect(next, 'a new session token').not.toBe(first.token);
  expect(server.isSessionActive(next ?? ''), 'the new token works').toBe(true);
  expect(storedToken(storage), 'the new session is stored').toBe(next);
  expect(snapshot().context.sessionExpiresAt ?? 0, 'the session ends later').toBeGreaterThan(first.end);
}

/** The protected API route the components' "Call the API" button asks, relative to the API root. */
export const API_ROUTE = 'v1.0/users/@me/info';

/** What a person reads on the login screen, taken from the DOM alone. */
export interface Screen {
  readonly heading: string | undefined;
  readonly busy: boolean;
  /** The username field's value on the form, otherwise the "Account: …" line. */
  readonly account: string | undefined;
  /** What the form says first: the text its first described field (or the form) is described by. */
  readonly prompt: string | undefined;
  /** The status lines (role="status"): progress, who is logged in, why the last session ended, a code resent. */
  readonly statuses: readonly string[];
  /** The alerts (role="alert"), in order: a refusal, the server's Errors, an error. */
  readonly alerts: readonly string[];
  /** The countdowns of the waits (role="timer"), one after the other. */
  readonly timer: string | undefined;
  /** The name of the field (or of the radio group) marked aria-invalid. */
  readonly invalidField: string | undefined;
  /** The accessible name of the form on the screen. */
  readonly form: string | undefined;
  /** Each field, as `label [name, type, autocomplete, inputmode, readonly, disabled]` (what is set of them). */
  readonly fields: readonly string[];
  /** The anti-phishing phrase shown with the PIN prompt. */
  readonly personalPhrase: string | undefined;
  /** The whole caption of the anti-phishing picture and phrase. */
  readonly caption: string | undefined;
  /** Whether the anti-phishing picture is shown with the PIN prompt (a `data:` image). */
  readonly securityImage: boolean;
  /** The images to pick from, by the value of their radio, each `(no picture)` unless its label shows it. */
  readonly securityImages: readonly string[] | undefined;
  /** Every button, `(disabled)` after the name of one that cannot be used. */
  readonly buttons: readonly string[];
}

const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim();

/** The text of an element made of paragraphs, one after the other, as they read. */
function paragraphs(element: Element | null): string | undefined {
  const parts = element ? [...element.querySelectorAll('p')] : [];
  return parts.length > 0 ? parts.map(text).join(' ') : text(element);
}

const isDataImage = (image: HTMLImageElement | null) =>
  image?.getAttribute('src')?.startsWith('data:image/') ?? false;

/** A field as `label [name, type, autocomplete, inputmode, readonly, disabled]`, naming only what is set. */
function describeField(input: HTMLInputElement): string {
  const attributes = [
    input.name,
    input.type,
    input.getAttribute('autocomplete'),
    input.getAttribute('inputmode'),
    input.readOnly ? 'readonly' : null,
    input.disabled ? 'disabled' : null,
  ].filter((value) => value !== null && value !== '');
  return `${text(input.closest('label')) ?? '(no label)'} [${attributes.join(', ')}]`;
}

/** The name of a field, or of the radios of a group. */
function nameOf(element: Element | null): string | undefined {
  return element?.getAttribute('name') ?? element?.querySelector('input')?.getAttribute('name') ?? undefined;
}

/** Reads the screen of the login component rendered in `container`. */
export function readScreen(container: HTMLElement): Screen {
  const section = container.querySelector('section');
  if (!section) throw new Error('no login section on the screen');
  const usernameField = section.querySelector<HTMLInputElement>('input[name="username"]');
  const accountLine = [...section.querySelectorAll('p')].find((p) => text(p)?.startsWith('Account: '));
  const described = section.querySelector('[aria-describedby]')?.getAttribute('aria-describedby');
  const radios = [...section.querySelectorAll<HTMLInputElement>('input[type="radio"][name="imageName"]')];
  return {
    heading: text(section.querySelector('h2')),
    busy: section.getAttribute('aria-busy') === 'true',
    account: usernameField ? usernameField.value : text(accountLine)?.slice('Account: '.length),
    prompt: described ? text(section.ownerDocument.getElementById(described)) : undefined,
    statuses: [...section.querySelectorAll('[role="status"]')].map((status) => text(status) ?? ''),
    alerts: [...section.querySelectorAll('[role="alert"]')].map((alert) => paragraphs(alert) ?? ''),
    timer: [...section.querySelectorAll('[role="timer"]')].map(text).join(' ') || undefined,
    invalidField: nameOf(section.querySelector('[aria-invalid="true"]')),
    form: section.querySelector('form')?.getAttribute('aria-label') ?? undefined,
    fields: [...section.querySelectorAll('input')].map(describeField),
    personalPhrase: text(section.querySelector('figure q')),
    caption: paragraphs(section.querySelector('figure figcaption')),
    securityImage: isDataImage(
      section.querySelector<HTMLImageElement>('figure img[alt="Your security image"]'),
    ),
    securityImages:
      radios.length === 0
        ? undefined
        : radios.map((radio) => {
            const label = radio.closest('label');
            const shown = text(label) === radio.value && isDataImage(label?.querySelector('img') ?? null);
            return shown ? radio.value : `${radio.value} (no picture)`;
          }),
    buttons: [...section.querySelectorAll('button')].map((button) => {
      const name = text(button) ?? '';
      return button.disabled ? `${name} (disabled)` : name;
    }),
  };
}

/**
 * The alert of an error: the catalog's sentence for it; after a login again that failed (not a refused value),
 * followed by the notice that the session still works.
 */
function errorAlert(error: Omit<EtnaAuthErrorData, 'message'>, relogin = false): string {
  const words = describeError(error);
  return relogin && error.kind !== 'input' ? `${words} ${SESSION_STILL_WORKS}` : words;
}

/** A state of a session: `succeeded.active` or a phase of `succeeded.endingSoon`. */
const isSessionState = (state: string) => state.startsWith('succeeded.');

function expectedStatuses({ state, username, reason, codeResent }: ModelExpectation): string[] {
  if (isSessionState(state)) {
    // The session panel's line first, on every screen of the session; then what a login again waits for.
    const status = BUSY_STATUS[state];
    return [
      username === undefined ? 'Logged in with a restored session.' : `Logged in as ${username}.`,
      ...(status === undefined ? [] : [status]),
    ];
  }
  switch (state) {
    case 'restoring':
      return [RESTORING_NOTICE];
    case 'idle': {
      const notice = describeSessionEnd(reason);
      return notice === undefined ? [] : [notice];
    }
    case 'expecting.verificationCode':
      return codeResent ? [CODE_RESENT_NOTICE] : [];
    default: {
      const status = BUSY_STATUS[state];
      return status === undefined ? [] : [status];
    }
  }
}

/**
 * The PIN or code prompt's line: the server's Reason in the catalog's words, or what the prompt asks when there
 * is none, or when a value was just refused (the Reason of the answer before would be stale beside it).
 */
function stepPrompt(step: 'securityPin' | 'verificationCode', { reason, error }: ModelExpectation): string {
  return (error?.kind !== 'input' && describeReason(reason)) || englishMessages.prompts[step];
}

function expectedPrompt(expected: ModelExpectation): string | undefined {
  const { state, secretQuestion } = expected;
  switch (state) {
    case 'expecting.securityPin':
    case 'succeeded.endingSoon.securityPin':
      return stepPrompt('securityPin', expected);
    case 'expecting.verificationCode':
    case 'succeeded.endingSoon.verificationCode':
      return stepPrompt('verificationCode', expected);
    case 'expecting.resendingCode':
      // The prompt stays while a new code is asked for; no value was refused there.
      return stepPrompt('verificationCode', { ...expected, error: undefined });
    case 'succeeded.endingSoon.warning':
      return RELOGIN_PROMPT;
    case 'pinSetup.choosing':
      return PROMPT_TEXT.pinSetup;
    case 'passwordChange.editing':
    case 'passwordReset.newPassword':
      return PROMPT_TEXT.newPassword;
    case 'passwordReset.question':
      return secretQuestion;
    case 'passwordReset.code':
      return PROMPT_TEXT.resetCode;
    default:
      return undefined;
  }
}

/** A countdown's text, its number of seconds at most the wait's. */
function countdownText(sentence: (seconds: string) => string, waitMs: number): unknown {
  const seconds = Array.from({ length: Math.ceil(waitMs / 1000) + 1 }, (_, index) => index).join('|');
  return expect.stringMatching(new RegExp(`^${sentence(`(${seconds})`)}$`));
}

/** The wait a `wait` step ends, in ms, as the model knows it: a 429's Retry-After, or the resend cooldown. */
function waitOf(until: 'retry' | 'resend', { error }: ModelExpectation): number {
  if (until === 'retry' || error?.kind === 'rateLimited')
    return error?.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
  return RESEND_COOLDOWN_MS;
}

function expectedTimer(expected: ModelExpectation, reloginHeld = false): unknown {
  const { state, error, canRetry, canResend } = expected;
  // Counted down to `context.sessionExpiresAt` on the wall clock, which the actor's simulated clock does not
  // move: minutes and seconds, however many minutes; then, while a 429 holds the login again back, its wait.
  const ending = 'Your session ends in \\d+:[0-5]\\d\\.';
  if (expected.endingSoon && state === 'succeeded.endingSoon.warning' && reloginHeld)
    return countdownText(
      (seconds) => `${ending} You can log in again in ${seconds} s\\.`,
      waitOf('retry', expected),
    );
  if (expected.endingSoon) return expect.stringMatching(new RegExp(`^${ending}$`));
  // A wrong application key is never retried: no wait to count down.
  if (state === 'error' && !canRetry && error?.kind !== 'appKey')
    return countdownText((seconds) => `You can try again in ${seconds} s\\.`, waitOf('retry', expected));
  if (state === 'expecting.verificationCode' && !canResend)
    return countdownText(
      (seconds) => `You can ask for a new code in ${seconds} s\\.`,
      waitOf('resend', expected),
    );
  return undefined;
}

function expectedCaption({ personalPhrase, securityImage }: ModelExpectation): string | undefined {
  if (personalPhrase === undefined && securityImage === undefined) return undefined;
  const phrase = personalPhrase === undefined ? [] : [`Your personal phrase: ${personalPhrase}`];
  return [...phrase, ANTI_PHISHING_ADVICE].join(' ');
}

/**
 * The screen a model expectation implies. `typedUsername`: what the form holds after a refused submission;
 * `reloginHeld`: a 429's wait holds the login again back (the model's expectation does not carry its end).
 */
export function expectedScreen(
  expected: ModelExpectation,
  typedUsername?: string,
  reloginHeld = false,
): Screen {
  const { state, failure, error, serverErrors } = expected;
  const onForm = state in FIRST_FIELDS;
  const relogin = state === 'succeeded.endingSoon.warning';
  const alerts: unknown[] = [];
  // The server's Reason in the catalog's words (never its Step's internal name), and what to do.
  const refusal = failure && `${describeFailure(failure).reason} ${FAILURE_GUIDANCE[failure.code]}`;
  if (refusal && state === 'failed') alerts.push(refusal);
  // A login again that failed: the session still works until it ends.
  if (refusal && relogin) alerts.push(`${refusal} ${SESSION_STILL_WORKS}`);
  // The server's Errors answered the submission before a refused value: not shown beside it.
  if (SHOWS_SERVER_ERRORS.has(state) && serverErrors && serverErrors.length > 0 && error?.kind !== 'input')
    alerts.push(serverErrors.join(' '));
  if (error && (onForm || state === 'error')) alerts.push(errorAlert(error, relogin));
  let account: string | undefined;
  if (state === 'idle') account = error?.kind === 'input' ? typedUsername : (expected.username ?? '');
  // Logged in, the status line names the account; a login again shows it in its read-only username field.
  else if (!isSessionState(state) || relogin) account = expected.username;
  const pinPrompt = state === 'expecting.securityPin' || state === 'succeeded.endingSoon.securityPin';
  const images = state === 'pinSetup.choosing' ? expected.securityImages : undefined;
  return {
    heading: HEADINGS[state],
    busy: expected.busy,
    account,
    prompt: expectedPrompt(expected),
    statuses: expectedStatuses(expected),
    alerts: alerts as string[],
    timer: expectedTimer(expected, reloginHeld) as string | undefined,
    invalidField: onForm && error?.kind === 'input' ? error.field : undefined,
    form: FORMS[state],
    fields: [...(images ?? []).map((image) => `${image} [imageName, radio]`), ...(FIELDS_SHOWN[state] ?? [])],
    personalPhrase: pinPrompt ? expected.personalPhrase : undefined,
    caption: pinPrompt ? expectedCaption(expected) : undefined,
    securityImage: pinPrompt && expected.securityImage !== undefined,
    securityImages: images && images.length > 0 ? images : undefined,
    buttons: buttonsOf(expected, reloginHeld),
  };
}

/** Records every screen the component shows, as soon as the DOM changes: a busy screen may last one round trip. */
export function recordScreens(container: HTMLElement) {
  const screens: Screen[] = [readScreen(container)];
  const observer = new MutationObserver(() => {
    // Unmounted: nothing left to read.
    if (container.querySelector('section')) screens.push(readScreen(container));
  });
  observer.observe(container, { subtree: true, childList: true, attributes: true, characterData: true });
  return { screens, stop: () => observer.disconnect() };
}

export interface DriveOptions {
  readonly container: HTMLElement;
  readonly user: UserEvent;
  readonly server: FakeEtnaServer;
  /** The tokens the component handed to its `onToken` callback, latest last. */
  readonly tokens: readonly (string | undefined)[];
  /** The `persist` storage of the component's machine, seeded under `DEFAULT_PERSIST_KEY` for a restored start. */
  readonly storage: EtnaSessionStorage;
  /** Another tab's view of `storage`: an `otherTab` step writes through it, and the machine hears it. */
  readonly otherTab: SharedStorageTab;
  /** The clock of the component's actor: its timers (session end, waits) fire when it is advanced past them. */
  readonly clock: TrackedClock;
  /** The snapshot of the component's actor (`loginSetup`), read to know when a timer fired. */
  readonly snapshot: () => EtnaAuthSnapshot;
  /** For a `restoring` start (`loginSetup`): answers the storage's held first read as a `storage` outcome says. */
  readonly restore: (answer: FakeFault) => void;
}

/** The usable buttons named one of `names`. */
function buttons(container: HTMLElement, names: readonly string[]): HTMLButtonElement[] {
  return [...container.querySelectorAll('button')].filter(
    (b) => !b.disabled && names.includes(text(b) ?? ''),
  );
}

function button(container: HTMLElement, ...names: string[]): HTMLButtonElement {
  const found = buttons(container, names);
  if (found.length !== 1)
    throw new Error(`expected one of the buttons ${names.join(' / ')}, found ${found.length}`);
  return found[0] as HTMLButtonElement;
}

function field(container: HTMLElement, name: string): HTMLInputElement {
  const input = container.querySelector<HTMLInputElement>(`input[name="${name}"]:not([disabled])`);
  if (!input) throw new Error(`no ${name} field on the screen`);
  return input;
}

/** The buttons that send each user event; LOGOUT is "Log out", or "Stop waiting" while logging out. */
const SENDERS: Readonly<Record<ModelUserEvent['type'], readonly string[]>> = {
  SUBMIT_CREDENTIALS: ['Log in', 'Log in again'],
  FORGOT_PASSWORD: ['Forgot password?'],
  SUBMIT_PIN: ['Continue'],
  SUBMIT_VERIFICATION_CODE: ['Continue'],
  RESEND_CODE: ['Send a new code'],
  SUBMIT_NEW_PIN: ['Save PIN'],
  SUBMIT_NEW_PASSWORD: ['Change password'],
  SUBMIT_SECRET_ANSWER: ['Continue'],
  SUBMIT_RESET_CODE: ['Continue'],
  CANCEL: ['Cancel'],
  RETRY: ['Try again', 'Retry'],
  LOGOUT: ['Log out', 'Stop waiting'],
};
/** The field that tells each form apart, for the events sent from a form. */
const FIELDS: Readonly<Partial<Record<ModelUserEvent['type'], string>>> = {
  SUBMIT_CREDENTIALS: 'username',
  FORGOT_PASSWORD: 'username',
  SUBMIT_PIN: 'pin',
  SUBMIT_VERIFICATION_CODE: 'code',
  SUBMIT_NEW_PIN: 'personalPhrase',
  SUBMIT_NEW_PASSWORD: 'confirmation',
  SUBMIT_SECRET_ANSWER: 'answer',
  SUBMIT_RESET_CODE: 'code',
};

/** Whether the screen has the controls a person would use to send `event`. */
function offers(container: HTMLElement, event: ModelUserEvent): boolean {
  const name = FIELDS[event.type];
  const hasField =
    name === undefined || container.querySelector(`input[name="${name}"]:not([disabled])`) !== null;
  return hasField && buttons(container, SENDERS[event.type]).length > 0;
}

async function fill(user: UserEvent, input: HTMLInputElement, value: string) {
  await user.clear(input);
  if (value !== '') await user.type(input, value);
}

/** Types, picks and clicks what sends `event`. */
async function send(container: HTMLElement, user: UserEvent, event: ModelUserEvent) {
  switch (event.type) {
    case 'SUBMIT_CREDENTIALS': {
      // A login again shows the session's username, read-only: it must be the one the event sends.
      const username = field(container, 'username');
      if (username.readOnly) expect(username.value, 'the username of a login again').toBe(event.username);
      else await fill(user, username, event.username);
      await fill(user, field(container, 'password'), event.password);
      break;
    }
    case 'FORGOT_PASSWORD':
      await fill(user, field(container, 'username'), event.username);
      break;
    case 'SUBMIT_PIN':
      await fill(user, field(container, 'pin'), event.pin);
      break;
    case 'SUBMIT_VERIFICATION_CODE':
    case 'SUBMIT_RESET_CODE':
      await fill(user, field(container, 'code'), event.code);
      break;
    case 'SUBMIT_NEW_PIN':
      // The picture by its label, as a person (or a screen reader) finds it.
      await user.click(within(container).getByLabelText(event.imageName));
      await fill(user, field(container, 'pin'), event.pin);
      await fill(user, field(container, 'personalPhrase'), event.personalPhrase);
      break;
    case 'SUBMIT_NEW_PASSWORD':
      await fill(user, field(container, 'password'), event.password);
      await fill(user, field(container, 'confirmation'), event.confirmation);
      break;
    case 'SUBMIT_SECRET_ANSWER':
      await fill(user, field(container, 'answer'), event.answer);
      break;
    default:
      break;
  }
  await user.click(button(container, ...SENDERS[event.type]));
}

const storedToken = (storage: EtnaSessionStorage): string | undefined => {
  const stored = storage.getItem(DEFAULT_PERSIST_KEY);
  return stored === null ? undefined : (JSON.parse(stored) as { token: string }).token;
};

/** Every block of text a person reads on `screen`, for the plain-words check. */
const wordsOf = (screen: Screen) => [
  screen.heading,
  screen.prompt,
  screen.form,
  screen.timer,
  screen.caption,
  ...screen.statuses,
  ...screen.alerts,
  ...screen.buttons,
];

/** The screen, the token handed out and the stored session must all show `expected`. */
async function expectSettled(
  where: string,
  expected: ModelExpectation,
  { container, tokens, storage }: DriveOptions,
  typedUsername: string | undefined,
  reloginHeld = false,
) {
  await waitFor(
    () => expect(readScreen(container), where).toEqual(expectedScreen(expected, typedUsername, reloginHeld)),
    WAIT,
  );
  expect(plainWordsProblems(wordsOf(readScreen(container))), `${where}: the words on the screen`).toEqual([]);
  // The model user's session, or the other user's that another tab stored and this one adopted from idle.
  const held = expected.username === MODEL_OTHER_USER.username ? MODEL_OTHER_USER.token : MODEL_SESSION_TOKEN;
  const token = expected.hasToken ? held : undefined;
  await waitFor(() => expect(tokens.at(-1), `${where}: token`).toBe(token), WAIT);
  // Not logged in, the storage may still hold the other user's session, which ended this tab's and waits.
  const stored = storedToken(storage);
  if (token !== undefined || stored !== MODEL_OTHER_USER.token)
    expect(stored, `${where}: a session of this tab is stored only while logged in`).toBe(token);
}

/** A view with a form that has just appeared has moved the focus to the form's first field. */
async function expectFocusOnFirstField(where: string, state: string, container: HTMLElement) {
  // The login form with the username kept: its first empty field, the password.
  const kept = state === 'idle' && container.querySelector<HTMLInputElement>('input[name="username"]')?.value;
  const name = kept ? 'password' : FIRST_FIELDS[state];
  if (name === undefined) return;
  await waitFor(() => {
    const focused = container.ownerDocument.activeElement;
    expect(container.contains(focused) ? focused?.getAttribute('name') : undefined, `${where}: focus`).toBe(
      name,
    );
    // The first of its kind: the first image of the picker.
    expect(focused, `${where}: focus`).toBe(container.querySelector(`input[name="${name}"]`));
  }, WAIT);
}

/** The state of a snapshot as one dotted name (`succeeded.endingSoon.warning`). */
function stateOf(snapshot: EtnaAuthSnapshot): string {
  return stateValueName(snapshot.value);
}

/** When the session ends on the actor's clock: the latest of its pending timers while logged in. */
function sessionEndOnClock(where: string, clock: TrackedClock): number {
  const end = clock.pending().at(-1);
  if (end === undefined) throw new Error(`${where}: no session timer is pending`);
  return end;
}

/**
 * Ends the session without the user, through the component: `expired` moves the actor's clock to a second
 * before the session's timer (it must not have ended), then on a second at a time until it ends (passing the
 * warning on the way, from `succeeded.active`); `revoked` clicks "Call the API", whose 401 (the fake server never
 * issued the model's token) makes `createEtnaClient` end the session.
 */
async function endSession(where: string, end: 'expired' | 'revoked', options: DriveOptions) {
  const { container, user, server, storage, clock, snapshot } = options;
  if (end === 'expired') {
    if (storage.getItem(DEFAULT_PERSIST_KEY) === null)
      throw new Error(`${where}: no stored session to expire`);
    const at = sessionEndOnClock(where, clock);
    clock.increment(at - clock.now() - 1_000);
    expect(snapshot().matches('succeeded'), `${where}: not a second early`).toBe(true);
    expect(storedToken(storage), `${where}: not a second early`).toBe(MODEL_SESSION_TOKEN);
    expect(readScreen(container).heading, `${where}: not a second early`).toBe(HEADINGS['succeeded.active']);
    for (let second = 0; second < 60 && snapshot().matches('succeeded'); second++) clock.increment(1_000);
    expect(stateOf(snapshot()), `${where}: the session ended`).toBe('idle');
    return;
  }
  const sent = server.requests.length;
  await user.click(button(container, 'Call the API'));
  await expectApiCall(where, sent, options);
  expect((await server.waitForEnd(sent)).outcome, `${where}: the API refuses the token`).toBe(401);
}

/** The API call at `requests[sent]` carries the session token and the application key. */
async function expectApiCall(where: string, sent: number, { server }: DriveOptions) {
  await server.waitForRequests(sent + 1);
  const call = server.requests[sent];
  expect(call?.method, where).toBe('GET');
  expect(call?.path, where).toBe(new URL(API_ROUTE, server.url).pathname);
  expect(call?.header('authorization'), where).toBe(`Bearer ${MODEL_SESSION_TOKEN}`);
  expect(call?.header('et-app-key'), where).toBe(server.appKey);
}

/**
 * A successful API call, through the component: the fake server is told to answer 200, "Call the API" is
 * clicked, and the machine hears of it (`SESSION_ACTIVITY`: with a sliding session, the end moves on).
 */
async function callApi(where: string, options: DriveOptions) {
  const { container, user, server } = options;
  const sent = server.requests.length;
  server.injectApi({ kind: 'respond', status: 200, body: { Login: MODEL_USER.username } });
  await user.click(button(container, 'Call the API'));
  await expectApiCall(where, sent, options);
  expect((await server.waitForEnd(sent)).outcome, `${where}: the API answers`).toBe(200);
}

/**
 * Another tab acts on the storage this tab shares: `login` stores the model's session there (as that tab's
 * machine does), `otherUser` another user's, `logout` removes it. The machine hears it a moment later.
 */
function actInOtherTab(action: ModelOtherTab, { otherTab }: DriveOptions) {
  const written = modelOtherTabWrite(action);
  if (written === null) otherTab.removeItem(DEFAULT_PERSIST_KEY);
  else otherTab.setItem(DEFAULT_PERSIST_KEY, written);
}

/**
 * The session's warning, by the machine's own timer: `MODEL_SESSION_WARNING_MS` before the session's end on the
 * actor's clock. A second before it the session is plain (no countdown, no login again); past it, it ends soon.
 */
async function reachWarning(where: string, previous: ModelExpectation, options: DriveOptions) {
  const { container, clock, snapshot } = options;
  const end = sessionEndOnClock(where, clock);
  const warning = end - MODEL_SESSION_WARNING_MS;
  expect(
    clock.pending().some((at) => Math.abs(at - warning) < 1_000),
    `${where}: a timer is set for the warning`,
  ).toBe(true);
  clock.increment(warning - clock.now() - 1_000);
  expect(stateOf(snapshot()), `${where}: not a second early`).toBe(previous.state);
  expect(snapshot().hasTag('endingSoon'), `${where}: not a second early`).toBe(false);
  expect(readScreen(container).timer, `${where}: no countdown before the warning`).toBeUndefined();
  clock.increment(2_000);
  expect(snapshot().hasTag('endingSoon'), `${where}: the warning began`).toBe(true);
}

/**
 * Ends a wait the machine's own timer ends: a 429's Retry-After (`retry`) or the resend cooldown (`resend`).
 * Until then the screen counts it down without the button; the actor's clock is moved on to a second before
 * the wait's end (the timer must not fire), then past it (it must), and the button comes back.
 */
async function endWait(
  where: string,
  until: 'retry' | 'resend' | 'warning',
  previous: ModelExpectation,
  options: DriveOptions,
) {
  if (until === 'warning') return reachWarning(where, previous, options);
  const { container, clock, snapshot } = options;
  // A 429 to the login again holds it back in the warning, whose form stays on screen, its button disabled.
  const relogin = until === 'retry' && previous.state === 'succeeded.endingSoon.warning';
  const event = relogin
    ? ({ type: 'SUBMIT_CREDENTIALS', username: MODEL_USER.username, password: MODEL_USER.password } as const)
    : ({ type: until === 'retry' ? 'RETRY' : 'RESEND_CODE' } as const);
  const control = relogin ? 'Log in again' : until === 'retry' ? 'Retry' : 'Send a new code';
  const { context } = snapshot();
  const at = until === 'retry' ? context.retryAvailableAt : context.resendAvailableAt;
  if (at === undefined) throw new Error(`${where}: no ${until} wait holds`);
  // The timer was set on the actor's clock for the whole wait when it began, so that is how far to move it.
  const wait = waitOf(until, previous);
  expect(at - Date.now(), `${where}: the wait the context holds`).toBeLessThanOrEqual(wait);
  expect(buttons(container, [control]), `${where}: no ${control} while the wait holds`).toEqual([]);
  expect(readScreen(container).timer, `${where}: the countdown`).toEqual(expectedTimer(previous, relogin));
  clock.increment(wait - 1_000);
  expect(snapshot().can(event), `${where}: not a second early`).toBe(false);
  clock.increment(2_000);
  expect(snapshot().can(event), `${where}: once the wait is over`).toBe(true);
  await waitFor(
    () => expect(buttons(container, [control]), `${where}: ${control} is back`).toHaveLength(1),
    WAIT,
  );
}

/** The method and path of the request a model endpoint answers. */
function routeOf(server: FakeEtnaServer, { endpoint }: ModelServerAnswer): string {
  const route = FAKE_ETNA_ROUTES[endpoint];
  return `${route.method} ${new URL(route.path, server.url).pathname}`;
}

/**
 * Runs one generated path through a rendered login component, as a person would: a user event is typing,
 * picking and clicking (the fake server is told its answer, and those of the requests that follow by
 * themselves, first), a server outcome is waiting, a wait is the actor's clock passing its end, a session end is
 * the clock passing the session's end or the API refusing its token. Before the first step and after every step
 * the screen must show what the model expects, and each form that appears must have the focus on its first
 * field; a busy screen is checked in the record of screens, since the answer may already have replaced it. An
 * event the screen offers no control for must be one the machine ignores.
 */
export async function driveModelPath(path: ModelPath, options: DriveOptions) {
  const { container, user, server } = options;
  const recorder = recordScreens(container);
  const apiPath = new URL(API_ROUTE, server.url).pathname;
  // The login's own requests (/token, /logout, the journey's calls), not the API calls.
  const calls = () => server.requests.filter((request) => request.path !== apiPath);
  const routeOfCall = (index: number) => {
    const call = calls()[index];
    return call && `${call.method} ${call.path.split('?')[0]}`;
  };
  let typedUsername: string | undefined;
  let previous = path.initial;
  /** Requests started so far, and the answers of those the machine is yet to start by itself. */
  let started = 0;
  let following: ModelServerAnswer[] = [];
  /** Where in the record of screens a busy screen is looked for: after the last one found. */
  let searchFrom = 0;
  /** A 429 holds the login again back, until its wait step. */
  let reloginHeld = false;
  try {
    // Only a form that appears after a step is checked for the focus: at the first render, @testing-library/vue
    // moves the rendered nodes out of a wrapper (which drops the focus), as no app does.
    await expectSettled(`start of ${path.description}`, path.initial, options, typedUsername);
    for (const [index, step] of path.steps.entries()) {
      const where = `step ${index + 1} of ${path.description}`;
      const wasBusy = readScreen(container).busy;
      // A 429 to the login again holds it back until the machine's timer ends the wait (the wait step).
      if (step.expected.state !== 'succeeded.endingSoon.warning' || step.kind === 'wait') reloginHeld = false;
      else if (step.kind === 'server' && step.expected.error?.kind === 'rateLimited') reloginHeld = true;
      let request: ModelServerAnswer | undefined;
      const stepKind: ModelStep['kind'] = step.kind;
      switch (step.kind) {
        case 'user':
          searchFrom = recorder.screens.length;
          if (offers(container, step.event)) {
            injectServerAnswer(server, step);
            if (step.event.type === 'SUBMIT_CREDENTIALS' || step.event.type === 'FORGOT_PASSWORD')
              typedUsername = step.event.username;
            await send(container, user, step.event);
            request = step.serverAnswer;
            following = [...step.followingAnswers];
          } else {
            // Nothing to type or click: the screen must be right that the machine has nothing to do with it.
            expect(step.serverAnswer, `${where}: ${step.event.type} is not offered`).toBeUndefined();
            expect(step.expected, `${where}: ${step.event.type} is not offered`).toEqual(previous);
          }
          break;
        case 'server': {
          const storage = MODEL_OUTCOMES.find((outcome) => outcome.name === step.outcome);
          if (storage?.endpoint === 'storage') {
            // The storage that answers later answers the read it began with: the screen waited, sending nothing.
            expect(stateOf(options.snapshot()), `${where}: the storage's answer`).toBe('restoring');
            expect(server.requests, `${where}: restoring sends nothing`).toHaveLength(0);
            options.restore(storage.answer);
            searchFrom = recorder.screens.length;
            break;
          }
          // Landing in a busy state, the machine started the next request by itself.
          if (step.expected.busy) {
            request = following.shift();
            if (!request) throw new Error(`${where}: a request the step before did not answer`);
          }
          break;
        }
        case 'wait':
          searchFrom = recorder.screens.length;
          await endWait(where, step.until, previous, options);
          break;
        case 'session':
          searchFrom = recorder.screens.length;
          await endSession(where, step.end, options);
          break;
        case 'otherTab':
          searchFrom = recorder.screens.length;
          actInOtherTab(step.action, options);
          break;
        case 'apiCall':
          searchFrom = recorder.screens.length;
          await callApi(where, options);
          break;
        default:
          throw new Error(`${where}: a step of an unknown kind, ${stepKind}`);
      }
      if (request) {
        started++;
        await waitFor(
          () => expect(calls().length, `${where}: request sent`).toBeGreaterThanOrEqual(started),
          WAIT,
        );
        expect(routeOfCall(started - 1), `${where}: request`).toBe(routeOf(server, request));
        if (request.endpoint === 'logout')
          expect(calls()[started - 1]?.header('authorization'), where).toBe(`Bearer ${MODEL_SESSION_TOKEN}`);
      }

      const next = path.steps[index + 1];
      if (step.expected.busy && next?.kind === 'server') {
        // The answer may land before we look: the busy screen must have been shown since the step began
        // (or since the busy screen before it, when one request follows another).
        const expected = expectedScreen(step.expected, typedUsername);
        await waitFor(() => expect(recorder.screens.slice(searchFrom), where).toContainEqual(expected), WAIT);
        searchFrom =
          recorder.screens.findIndex((shown, at) => at >= searchFrom && matches(shown, expected)) + 1;
      } else if (step.expected.busy) {
        await waitFor(
          () => expect(readScreen(container), where).toEqual(expectedScreen(step.expected, typedUsername)),
          WAIT,
        );
      } else {
        await expectSettled(where, step.expected, options, typedUsername, reloginHeld);
        expect(calls().length, `${where}: requests sent`).toBe(started);
        if (step.expected.state !== previous.state)
          await expectFocusOnFirstField(where, step.expected.state, container);
      }
      if (step.expected.busy) {
        expect(calls().length, `${where}: requests sent`).toBeLessThanOrEqual(started + following.length);
      }
      if (wasBusy && !step.expected.busy && step.kind === 'user') {
        const inFlight = calls()[started - 1];
        if (!inFlight) throw new Error(`${where}: no request was in flight`);
        const ended = await server.waitForEnd(server.requests.indexOf(inFlight));
        expect(ended.aborted, `${where}: the request in flight is aborted`).toBe(true);
      }
      previous = step.expected;
    }
    driven.add(path.description);
  } finally {
    recorder.stop();
  }
}

/** `expected` describes `shown` (with its asymmetric matchers). */
function matches(shown: Screen, expected: Screen): boolean {
  try {
    expect(shown).toEqual(expected);
    return true;
  } catch {
    return false;
  }
}
